import { type ErrorCode, statusForErrorCode } from '@mission-control/contracts';

/** The one error type services throw: a stable code, a message that says what to do, optional details. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = statusForErrorCode(code);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
