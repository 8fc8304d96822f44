import { isMissionControlError } from '@mission-control/sdk';

/**
 * A short sentence for any thrown value, for error states and toasts. The server's messages are
 * written for people and say what to do next; the SDK's own failures (no connection, an answer
 * it cannot read) are said in the dashboard's words instead of a developer's.
 */
export function describeError(error: unknown): string {
  if (isMissionControlError(error)) {
    if (error.code === 'NETWORK_ERROR') return 'Cannot reach the server. Check the connection and try again.';
    if (error.code === 'TIMEOUT') return 'The server took too long to answer. Try again.';
    if (error.code === 'INVALID_RESPONSE') return 'The server answered something this dashboard does not understand. Reload the page.';
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** True when the endpoint does not exist on this server yet (an older server, or a feature still being built). */
export function isMissingEndpoint(error: unknown): boolean {
  return isMissionControlError(error) && error.code === 'ROUTE_NOT_FOUND';
}
