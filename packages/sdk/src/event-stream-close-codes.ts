import { MissionControlError } from './errors.js';

// The close codes an EventStream acts on; 4000–4999 are free for applications.
/** The readyState of an open WebSocket. */
export const openState = 1;
/** Closing on our side a socket we no longer trust (silent after a ping, lived through going offline); 4000–4999 are free for applications. */
export const untrustedSocketCloseCode = 4000;
/** The server refused the credential (4401) or the caller lost access (4403): only a new credential can help. */
export const credentialCloseCodes = new Set([4401, 4403]);
/** The agent does not exist or is not the caller's: reconnecting cannot help. */
export const unknownAgentCloseCode = 4404;
/** The resume point is beyond the server's newest event (another or a reset database): start again from its newest. */
export const cursorAheadCloseCode = 4409;

/** Any failure as the stream reports it: a MissionControlError, the original kept as its cause. */
export function toStreamError(error: unknown, fallback: string): MissionControlError {
  if (error instanceof MissionControlError) return error;
  return new MissionControlError('NETWORK_ERROR', `${fallback} (${error instanceof Error ? error.message : String(error)})`, {
    cause: error,
  });
}
