import { type ErrorCode, errorStatusByCode } from '../errors.js';
import { type EndpointDefinition, isSessionAuthenticated } from './define-endpoint.js';

const credentialErrors: readonly ErrorCode[] = [
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'API_KEY_INVALID',
  'API_KEY_REVOKED',
  // An API key's own controls (decision 0030), checked on every authenticated request.
  'KEY_ADDRESS_NOT_ALLOWED',
  'SIGNATURE_INVALID',
];
const bodyErrors: readonly ErrorCode[] = ['MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
const idempotencyErrors: readonly ErrorCode[] = ['IDEMPOTENCY_KEY_IN_USE', 'IDEMPOTENCY_KEY_REUSED'];

/** Whether the server honours an Idempotency-Key on this endpoint (every POST behind authentication, but streams). */
export function acceptsIdempotencyKey(definition: EndpointDefinition): boolean {
  return definition.method === 'POST' && isSessionAuthenticated(definition) && definition.idempotent !== false;
}

/** Whether requests to this endpoint count against a rate limit: every endpoint does (public ones per address). */
export function isRateLimited(_definition: EndpointDefinition): boolean {
  return true;
}

/**
 * Every error code an endpoint can answer: its own, plus those that come with its shape —
 * validation when it takes input, body errors when it takes a body, credential errors when it is
 * not public, FORBIDDEN when only users or only agents may call it, idempotency errors on
 * authenticated POSTs, and RATE_LIMITED.
 */
export function endpointErrorCodes(definition: EndpointDefinition): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  const takesInput = Boolean(definition.params || definition.query || definition.body || definition.headers);
  if (takesInput) codes.add('VALIDATION_FAILED');
  if (definition.body || definition.method !== 'GET') for (const code of bodyErrors) codes.add(code);
  if (isSessionAuthenticated(definition)) for (const code of credentialErrors) codes.add(code);
  if (isSessionAuthenticated(definition) && definition.operationId !== 'getMe') codes.add('KEY_SCOPE_MISSING');
  // A person's custom role narrows every endpoint but who-am-I; agents hold no custom role.
  if (isSessionAuthenticated(definition) && definition.operationId !== 'getMe' && definition.auth !== 'agent') {
    codes.add('ROLE_PERMISSION_MISSING');
  }
  if (definition.auth === 'user' || definition.auth === 'agent') codes.add('FORBIDDEN');
  if (acceptsIdempotencyKey(definition)) for (const code of idempotencyErrors) codes.add(code);
  for (const code of definition.errors) codes.add(code);
  if (isRateLimited(definition)) codes.add('RATE_LIMITED');
  return [...codes];
}

/** The endpoint's error codes grouped by the HTTP status they are answered with, statuses ascending. */
export function endpointErrorsByStatus(definition: EndpointDefinition): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of endpointErrorCodes(definition)) {
    const status = errorStatusByCode[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus.entries()].sort(([left], [right]) => left - right));
}
