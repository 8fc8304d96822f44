import { createHash, randomBytes } from 'node:crypto';

/** A high-entropy token: the prefix, then 32 random bytes in base64url (256 bits). */
export function generateSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Stored form of a token: its SHA-256. The tokens have 256 bits of entropy, so a fast hash is enough. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
