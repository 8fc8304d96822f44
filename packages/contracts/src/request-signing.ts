// Signed requests (issue 19): what the SDK signs and the server checks, defined once for both.
// The HMAC itself is computed by each side with its own crypto (Web Crypto in the SDK, node:crypto
// on the server); only the text they sign and the names they use live here.

/** What every API key starts with (`mc_…`); any other Bearer credential is an access token. */
export const apiKeyPrefix = 'mc_';

/** Unix time in seconds when the request was signed. */
export const signatureTimestampHeader = 'x-mission-timestamp';
/** A value unique to each signed request (16–64 letters, digits, `-` or `_`), so two identical requests in one second both pass. */
export const signatureNonceHeader = 'x-mission-nonce';
/** What a nonce may be made of. */
export const signatureNoncePattern = /^[A-Za-z0-9_-]{16,64}$/;
/** `v1=<hex HMAC-SHA256 of the canonical request text>`. */
export const signatureHeader = 'x-mission-signature';
/** How far a signed request's timestamp may be from the server's clock, either way. */
export const signatureToleranceSeconds = 300;
/** The version of the canonical text; the signature header names it. */
export const signatureVersion = 'v1';

/**
 * What the signing key is derived from the API key with (HMAC-SHA256 keyed by the API key), so the
 * server can keep the signing key sealed without keeping the API key itself.
 */
export const signingKeyPurpose = 'mission-control request signing v1';

/** The parts of a request a signature covers. */
export interface SignedRequestParts {
  /** Upper-case HTTP method. */
  method: string;
  /** The path with its query string, exactly as sent (`/api/v1/tasks?status=inbox`). */
  pathWithQuery: string;
  /** The X-Mission-Timestamp value. */
  timestamp: string;
  /** The X-Mission-Nonce value. */
  nonce: string;
  /** Lower-case hex SHA-256 of the body bytes (of the empty string when there is no body). */
  bodySha256: string;
}

/** The text a request signature is the HMAC of: version, method, path with query, timestamp, nonce and body hash, one per line. */
export function canonicalRequestText(parts: SignedRequestParts): string {
  return [signatureVersion, parts.method.toUpperCase(), parts.pathWithQuery, parts.timestamp, parts.nonce, parts.bodySha256].join('\n');
}
