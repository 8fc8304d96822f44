import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals integration secrets (webhook signing secrets, inbound hook secrets, Slack and Discord
 * incoming-webhook URLs) with AES-256-GCM under a key derived from the instance secret. They must
 * be readable again (to sign, to post), so they are encrypted rather than hashed: a copy of the
 * database alone does not reveal them, and every instance sharing the database can open them.
 */
export interface SecretBox {
  seal(secret: string): string;
  /** The secret, or null when it was sealed under another instance secret or is damaged. */
  open(sealed: string): string | null;
}

export function createSecretBox(instanceSecret: Uint8Array): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', instanceSecret, 'mission-control', 'integration-secret', 32));
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

/** Shows enough of a secret URL to recognise it: scheme, host and the last four characters. */
export function maskSecretUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const tail = url.slice(-4);
    return `${parsed.protocol}//${parsed.host}/…${tail}`;
  } catch {
    return '…';
  }
}
