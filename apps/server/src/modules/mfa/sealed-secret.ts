import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals TOTP secrets with AES-256-GCM under a key derived (HKDF) from the instance secret for
 * this purpose only. The server must read a secret again to check codes, so it is encrypted, not
 * hashed: a copy of the database alone does not let anyone compute a user's codes.
 */
export interface SealedSecrets {
  seal(secret: string): string;
  /** The secret, or null when it was sealed under another instance secret or is damaged. */
  open(sealed: string): string | null;
}

export function createSealedSecrets(instanceSecret: Uint8Array, purpose: string): SealedSecrets {
  const key = Buffer.from(hkdfSync('sha256', instanceSecret, 'mission-control', purpose, 32));
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['s1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), encrypted.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 's1' || !iv || !tag || !data) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
