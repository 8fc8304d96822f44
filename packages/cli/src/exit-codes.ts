import { isMissionControlError, type MissionControlError } from '@mission-control/sdk';

/** What the exit status of `mission` means; also printed by `mission --help`. */
export const exitCodes = {
  ok: 0,
  apiError: 1,
  usage: 2,
  notFound: 3,
  unauthorized: 4,
  conflict: 5,
  unreachable: 6,
} as const;

/** The exit codes as `mission --help` prints them. */
export const exitCodeHelp = `Exit codes:
  0  success
  1  the server answered an error (printed as "error CODE: message")
  2  usage error: unknown command, missing or bad argument
  3  not found (TASK_NOT_FOUND, AGENT_NOT_FOUND, …)
  4  not signed in, bad or revoked key, or not allowed
  5  conflict: the task is claimed, the lease is gone, WORKING.md changed meanwhile (409, 412)
  6  the server could not be reached`;

/** A mistake in how the command was called; exits 2 (or the code given) with the message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode: number;

  /** Creates a usage error with a message that says what to do. */
  constructor(message: string, exitCode: number = exitCodes.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The exit code for an API error. */
export function exitCodeForError(error: MissionControlError): number {
  if (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT') return exitCodes.unreachable;
  if (error.code === 'MISSING_CREDENTIALS' || error.status === 401 || error.status === 403) return exitCodes.unauthorized;
  if (error.status === 404) return exitCodes.notFound;
  if (error.status === 409 || error.status === 412 || error.status === 428) return exitCodes.conflict;
  return exitCodes.apiError;
}

/** Prints an error in one line and answers the exit code. */
export function reportError(error: unknown, write: (line: string) => void): number {
  if (error instanceof UsageError) {
    write(`error: ${error.message}`);
    return error.exitCode;
  }
  if (isMissionControlError(error)) {
    write(`error ${error.code}: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
    return exitCodeForError(error);
  }
  write(`error: ${error instanceof Error ? error.message : String(error)}`);
  return exitCodes.apiError;
}
