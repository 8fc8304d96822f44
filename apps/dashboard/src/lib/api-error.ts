import { type ErrorCode, errorBodySchema } from '@mission-control/contracts';

/** A non-2xx answer from the API, carrying the stable error code from contracts. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Builds the error from a response body, tolerating bodies that are not the API's error shape (a proxy's 502 page). */
  static fromBody(status: number, body: unknown): ApiError {
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success) return new ApiError(status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
    return new ApiError(status, 'UNEXPECTED_RESPONSE', `The server answered ${status}.`);
  }
}

/** A short sentence for any thrown value, for error states and toasts. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** True when the endpoint does not exist on this server yet (an older server, or a feature still being built). */
export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'ROUTE_NOT_FOUND';
}
