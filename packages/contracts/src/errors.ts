import { z } from 'zod';

/** Every error code the API can answer with, and the HTTP status that goes with it. */
export const errorStatusByCode = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  API_KEY_INVALID: 401,
  API_KEY_REVOKED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  DOCUMENT_VERSION_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  BUDGET_NOT_FOUND: 404,
  AGENT_NAME_TAKEN: 409,
  AGENT_SESSION_KEY_TAKEN: 409,
  USER_EMAIL_TAKEN: 409,
  MEMBER_ALREADY_EXISTS: 409,
  WORKSPACE_SLUG_TAKEN: 409,
  TASK_INVALID_TRANSITION: 409,
  TASK_ASSIGNEE_REQUIRED: 409,
  TASK_DEPENDENCY_CYCLE: 409,
  TASK_PARENT_CYCLE: 409,
  DOCUMENT_VERSION_CONFLICT: 409,
  LAST_OWNER: 409,
  TASK_ALREADY_CLAIMED: 409,
  TASK_NOT_CLAIMABLE: 409,
  AGENT_AT_CAPACITY: 409,
  AGENT_NOT_BUILTIN: 409,
  MODEL_NOT_CONFIGURED: 409,
  BUDGET_EXISTS: 409,
  BUDGET_EXHAUSTED: 409,
  LEASE_CONFLICT: 409,
  LEASE_EXPIRED: 409,
  LEASE_REQUIRED: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  PRECONDITION_FAILED: 412,
  PRECONDITION_REQUIRED: 428,
  WORKING_STATE_VERSION_NOT_FOUND: 404,
  SUBSCRIPTION_LIMIT: 429,
  MCP_SESSION_LIMIT: 429,
  CURSOR_AHEAD: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatusByCode;

export const errorCodeSchema = z.enum(Object.keys(errorStatusByCode) as [ErrorCode, ...ErrorCode[]]);

/** The one error body shape every non-2xx response carries. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The HTTP status that an error code is answered with. */
export function statusForErrorCode(code: ErrorCode): number {
  return errorStatusByCode[code];
}
