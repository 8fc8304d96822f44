// Signed requests (issue 19): an API key created with `requireSignature` is refused unless every
// request made with it carries a timestamp, a nonce and an HMAC of the request. The text signed
// and the header names come from the contracts; the crypto is Web Crypto, so this file runs the
// same in Node 20 and in browsers.
import {
  apiKeyPrefix,
  canonicalRequestText,
  signatureHeader,
  signatureNonceHeader,
  signatureTimestampHeader,
  signatureVersion,
  signingKeyPurpose,
} from '@mission-control/contracts';

/** The three signature headers, so a resend can drop the previous attempt's before signing anew. */
export const signatureHeaderNames = [signatureTimestampHeader, signatureNonceHeader, signatureHeader] as const;

/** A request as it is about to be sent, with the body in the exact form fetch will send it. */
export interface RequestToSign {
  method: string;
  /** The absolute URL (http, https, ws or wss); its path and query are what the server checks. */
  url: string;
  body?: string | ArrayBuffer | undefined;
}

/** The signature of one request: the values of the three headers (or of the stream's auth message fields). */
export interface RequestSignature {
  timestamp: string;
  nonce: string;
  signature: string;
}

/** Signs one request with an API key secret; a new timestamp and nonce on every call. */
export type RequestSigner = (secret: string, request: RequestToSign) => Promise<RequestSignature>;

/** Keys remembered per signer: the current one and a few it was rotated from. */
const signingKeyCacheSize = 4;

const encoder = new TextEncoder();

/** Whether a credential is an API key (which may require signing) rather than an access token. */
export function isApiKey(credential: string): boolean {
  return credential.startsWith(apiKeyPrefix);
}

/**
 * Whether Web Crypto can sign here. Browsers offer it only in secure contexts (https, localhost);
 * without it requests go unsigned, which keys that do not require signatures accept.
 */
export function canSignRequests(): boolean {
  return typeof globalThis.crypto?.subtle?.sign === 'function';
}

/** Lower-case hex of some bytes. */
function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Lower-case hex SHA-256 of a body (of the empty string when there is none). */
export async function hashBody(body: string | ArrayBuffer | undefined): Promise<string> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : (body ?? new ArrayBuffer(0));
  return toHex(await crypto.subtle.digest('SHA-256', bytes));
}

/** A fresh nonce: 16 random bytes as 32 hex digits, inside `signatureNoncePattern`. */
export function createNonce(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)).buffer);
}

/** The signing key of an API key: HMAC-SHA256 keyed by the secret over `signingKeyPurpose`, ready to sign with. */
export async function deriveSigningKey(secret: string): Promise<CryptoKey> {
  const hmac = { name: 'HMAC', hash: 'SHA-256' };
  const apiKey = await crypto.subtle.importKey('raw', encoder.encode(secret), hmac, false, ['sign']);
  const signingKey = await crypto.subtle.sign('HMAC', apiKey, encoder.encode(signingKeyPurpose));
  return crypto.subtle.importKey('raw', signingKey, hmac, false, ['sign']);
}

/** The path and query of a URL exactly as the request line carries them (`/api/v1/tasks?status=inbox`). */
export function readPathWithQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Signs a request with a derived signing key at a given time and nonce: `v1=<hex HMAC of the canonical text>`. */
export async function computeSignature(signingKey: CryptoKey, request: RequestToSign, timestamp: string, nonce: string): Promise<string> {
  const text = canonicalRequestText({
    method: request.method,
    pathWithQuery: readPathWithQuery(request.url),
    timestamp,
    nonce,
    bodySha256: await hashBody(request.body),
  });
  return `${signatureVersion}=${toHex(await crypto.subtle.sign('HMAC', signingKey, encoder.encode(text)))}`;
}

/**
 * A signer that derives each secret's signing key once. The cache lives with the client rather
 * than the module, so secrets do not outlive it, and is small, since a credential function may
 * hand out rotated keys for as long as the client lives.
 */
export function createRequestSigner(clock: () => number = Date.now): RequestSigner {
  const signingKeys = new Map<string, Promise<CryptoKey>>();
  const readSigningKey = (secret: string): Promise<CryptoKey> => {
    let signingKey = signingKeys.get(secret);
    if (signingKey) {
      // Re-inserted so the Map's order is least recently used first.
      signingKeys.delete(secret);
    } else {
      signingKey = deriveSigningKey(secret);
      // A failed derivation is not remembered: the next request tries again.
      signingKey.catch(() => signingKeys.delete(secret));
    }
    signingKeys.set(secret, signingKey);
    for (const oldest of signingKeys.keys()) {
      if (signingKeys.size <= signingKeyCacheSize) break;
      signingKeys.delete(oldest);
    }
    return signingKey;
  };
  return async (secret, request) => {
    const timestamp = String(Math.floor(clock() / 1000));
    const nonce = createNonce();
    const signature = await computeSignature(await readSigningKey(secret), request, timestamp, nonce);
    return { timestamp, nonce, signature };
  };
}

/** The signature as request headers. */
export function toSignatureHeaders(signature: RequestSignature): Record<string, string> {
  return {
    [signatureTimestampHeader]: signature.timestamp,
    [signatureNonceHeader]: signature.nonce,
    [signatureHeader]: signature.signature,
  };
}

/**
 * A form serialised once into the bytes and content type (with its boundary) fetch would send,
 * so the signature covers exactly what goes out and every retry resends the same bytes.
 */
export async function serializeForm(form: FormData): Promise<{ body: ArrayBuffer; contentType: string }> {
  const response = new Response(form);
  const contentType = response.headers.get('content-type');
  if (!contentType) throw new TypeError('A serialised form has no content type.');
  return { body: await response.arrayBuffer(), contentType };
}
