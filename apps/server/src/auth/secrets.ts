import { createHash, createHmac, randomBytes } from 'node:crypto';

import { apiKeyPrefix } from '@mission-control/contracts';

// Defined with the request-signing contract, which the SDK shares.
export { apiKeyPrefix };

/** A high-entropy token: the prefix, then 32 random bytes in base64url (256 bits). */
export function generateSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Stored form of a token: its SHA-256. The tokens have 256 bits of entropy, so a fast hash is enough. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * A token derived from another with a server key (HMAC-SHA256, 256 bits): the same input always
 * gives the same token, and nobody without the key can compute it. Refresh answers use it to
 * give the same successor again without storing it.
 */
export function deriveSecretToken(prefix: string, key: Uint8Array, purpose: string, input: string): string {
  return `${prefix}${createHmac('sha256', key).update(`${purpose}\n${input}`).digest('base64url')}`;
}
