import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Built-in agents act through the API with their own API key, like any external agent. Keys are
 * stored hashed, so the runtime keeps its own copy of the secret, encrypted (AES-256-GCM) with a
 * key derived from the instance signing secret: a copy of the database alone does not reveal it,
 * and every instance sharing the database can decrypt it. If the secret changes, decryption
 * fails and a new key is issued.
 */
export function createCredentialCipher(signingKey: Uint8Array) {
  const key = Buffer.from(hkdfSync('sha256', signingKey, 'mission-control', 'agent-runtime-credential', 32));
  return {
    encrypt(secret: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), encrypted.toString('base64url')].join('.');
    },
    /** The secret, or null when it was sealed with another key or is damaged. */
    decrypt(sealed: string): string | null {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || !data) return null;
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
