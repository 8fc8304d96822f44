import { type ErrorCode, errorBodySchema } from '@mission-control/contracts';

/** Codes the SDK itself raises when no server answer carries one. */
export type ClientErrorCode =
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'INVALID_RESPONSE'
  | 'UNEXPECTED_STATUS'
  | 'MISSING_CREDENTIALS'
  /** Login needs a code from the authenticator app: `details` is the challenge; pass the code to `auth.login` or call `auth.verifyMfa`. */
  | 'MFA_REQUIRED';

/** Every code a MissionControlError can carry: the server's codes plus the SDK's own. */
export type MissionControlErrorCode = ErrorCode | ClientErrorCode;

/** Options of a MissionControlError beyond its code and message. */
export interface MissionControlErrorOptions {
  status?: number;
  details?: unknown;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** An error answered by the server (with its stable code) or raised by the SDK on the way. */
export class MissionControlError extends Error {
  override readonly name = 'MissionControlError';
  /** The server's error code (`TASK_NOT_FOUND`, `LEASE_CONFLICT`, …) or a client code such as `NETWORK_ERROR`. */
  readonly code: MissionControlErrorCode;
  /** The HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  /** The server's details, when it gave any (for example the fields that failed validation). */
  readonly details: unknown;
  /** Seconds the server asked to wait before trying again (429, 503). */
  readonly retryAfterSeconds: number | undefined;

  /** Creates an error with a code, a message and optional status, details and cause. */
  constructor(code: MissionControlErrorCode, message: string, options: MissionControlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Whether a value is a MissionControlError (also across copies of the SDK, by shape). */
export function isMissionControlError(error: unknown): error is MissionControlError {
  if (error instanceof MissionControlError) return true;
  return (
    error instanceof Error &&
    error.name === 'MissionControlError' &&
    typeof Reflect.get(error, 'code') === 'string' &&
    typeof Reflect.get(error, 'status') === 'number'
  );
}

/** Reads Retry-After as seconds (either delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1_000);
}

/** Turns a non-2xx answer into a MissionControlError, keeping the server's code when the body has one. */
export async function readErrorResponse(response: Response): Promise<MissionControlError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const body = errorBodySchema.safeParse(json);
  if (body.success) {
    return new MissionControlError(body.data.error.code, body.data.error.message, {
      status: response.status,
      details: body.data.error.details,
      retryAfterSeconds,
    });
  }
  // Proxies and load balancers answer without our error body; keep the status meaningful.
  const code: MissionControlErrorCode =
    response.status === 503 ? 'SERVICE_UNAVAILABLE' : response.status === 429 ? 'RATE_LIMITED' : 'UNEXPECTED_STATUS';
  const excerpt = text.slice(0, 200).trim();
  return new MissionControlError(code, `The server answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`, {
    status: response.status,
    retryAfterSeconds,
  });
}
