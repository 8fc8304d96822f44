import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import {
  canonicalRequestText,
  signatureHeader,
  signatureNonceHeader,
  signatureNoncePattern,
  signatureTimestampHeader,
  signatureToleranceSeconds,
  signatureVersion,
} from '@mission-control/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { AppError } from '../http/app-error.js';
import type { ApiKeyRestrictions } from './principal.js';

/** Room for a multipart body's boundaries and part headers beside the file itself. */
export const multipartOverheadBytes = 64 * 1024;

const emptyBodySha256 = createHash('sha256').update('').digest('hex');
const signaturePattern = new RegExp(`^${signatureVersion}=([0-9a-f]{64})$`);

export interface RequestSignatureOptions {
  clock: Clock;
  /**
   * Remembers a signature until `expiresAt`; false when it was seen before. Kept in the database,
   * so a request replayed to another instance is refused too.
   */
  rememberSignature: (signatureHash: string, expiresAt: string) => Promise<boolean>;
  /** The largest multipart body a signed request may send (it is read whole to be hashed). */
  maxMultipartBytes: number;
}

function refuse(reason: string): AppError {
  return new AppError(
    'SIGNATURE_INVALID',
    `${reason} This API key requires signed requests: send ${signatureTimestampHeader} (Unix seconds), ${signatureNonceHeader} (a fresh random value) and ${signatureHeader}: ${signatureVersion}=<hex HMAC-SHA256>, as the SDK and the mission CLI do.`,
  );
}

function isMultipart(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
}

/**
 * Reads a multipart body whole, so it can be hashed before the handler streams it, and hands the
 * same bytes to whoever pipes the request next (@fastify/multipart pipes the raw request to busboy).
 */
async function hashMultipartBody(request: FastifyRequest, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `A signed upload may be at most ${maxBytes} bytes. Send a smaller file.`, { maxBytes });
    }
    chunks.push(buffer);
  }
  const body = Buffer.concat(chunks);
  const raw = request.raw;
  raw.pipe = <Destination extends NodeJS.WritableStream>(destination: Destination) => Readable.from([body]).pipe(destination);
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Checks the signature of every request made with a key that requires one (issue 19): the
 * timestamp within the tolerance, the HMAC over method, path with query, timestamp and body hash,
 * and a signature never seen before. Body bytes are hashed as they are parsed (preParsing), so the
 * check runs once the body is read (preValidation), before validation, idempotency and the handler.
 */
export function registerRequestSignatures(app: FastifyInstance, options: RequestSignatureOptions): void {
  const bodyHashes = new WeakMap<FastifyRequest, string>();

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.principal?.apiKey?.signingKey || isMultipart(request)) return payload;
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        bodyHashes.set(request, hash.digest('hex'));
        callback();
      },
    });
    payload.on('error', (error) => hashing.destroy(error));
    return payload.pipe(hashing);
  });

  app.addHook('preValidation', async (request) => {
    const apiKey = request.principal?.apiKey;
    if (!apiKey?.signingKey) return;
    const bodySha256 = isMultipart(request)
      ? await hashMultipartBody(request, options.maxMultipartBytes)
      : (bodyHashes.get(request) ?? emptyBodySha256);
    await verifySignedRequest(request, { ...apiKey, signingKey: apiKey.signingKey }, bodySha256, options);
  });
}

/**
 * Verifies one request's signature with its key's signing key, or throws 401 SIGNATURE_INVALID.
 * The WebSocket stream calls it for its upgrade request, which has no body.
 */
export async function verifySignedRequest(
  request: Pick<FastifyRequest, 'headers' | 'method' | 'url' | 'raw'>,
  apiKey: Pick<ApiKeyRestrictions, 'id'> & { signingKey: Buffer },
  bodySha256: string,
  options: Pick<RequestSignatureOptions, 'clock' | 'rememberSignature'>,
): Promise<void> {
  const timestamp = request.headers[signatureTimestampHeader];
  const nonce = request.headers[signatureNonceHeader];
  const signature = request.headers[signatureHeader];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || typeof nonce !== 'string')
    throw refuse('The request is not signed.');
  if (!signatureNoncePattern.test(nonce)) throw refuse(`${signatureNonceHeader} must be 16 to 64 letters, digits, - or _.`);
  if (!/^\d{1,12}$/.test(timestamp)) throw refuse(`${signatureTimestampHeader} must be the Unix time in seconds.`);
  const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > signatureToleranceSeconds) {
    throw refuse(
      `The request was signed more than ${signatureToleranceSeconds / 60} minutes from the server's time; check the clock and sign it again.`,
    );
  }
  const given = signaturePattern.exec(signature.trim().toLowerCase())?.[1];
  if (!given) throw refuse(`${signatureHeader} must be ${signatureVersion}= followed by 64 hex digits.`);
  const text = canonicalRequestText({
    method: request.method,
    pathWithQuery: request.raw.url ?? request.url,
    timestamp,
    nonce,
    bodySha256,
  });
  const expected = createHmac('sha256', apiKey.signingKey).update(text).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    throw refuse('The signature does not match the request: it was altered, or signed with another key.');
  }
  // The nonce is inside the signed text, so a replay repeats the signature exactly.
  const seen = createHash('sha256').update(`${apiKey.id}\n${given}`).digest('base64url');
  const expiresAt = new Date((Number(timestamp) + signatureToleranceSeconds + 1) * 1000).toISOString();
  if (!(await options.rememberSignature(seen, expiresAt))) {
    throw refuse('This signed request was already received once; sign each request anew.');
  }
}

/** The SHA-256 of a request without a body, which GET requests and WebSocket upgrades sign. */
export const emptyBodyHash = emptyBodySha256;
