import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals secrets the server must read again (TOTP secrets, webhook and inbound-hook signing
 * secrets, Slack and Discord webhook URLs, built-in agents' own API keys) with AES-256-GCM under a
 * key derived (HKDF) from the instance secret for one purpose only. Encrypted rather than hashed
 * because they are used again; a copy of the database alone does not reveal them, and every
 * instance sharing the database can open them.
 */
export interface SecretBox {
  seal(secret: string): string;
  /** The secret, or null when it was sealed under another instance secret, for another purpose, or is damaged. */
  open(sealed: string): string | null;
}

export interface SecretBoxOptions {
  /** The first field of a sealed value; kept per purpose so values stored by earlier versions still open. */
  version?: string;
}

export function createSecretBox(instanceSecret: Uint8Array, purpose: string, options: SecretBoxOptions = {}): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', instanceSecret, 'mission-control', purpose, 32));
  const version = options.version ?? 's1';
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [version, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), encrypted.toString('base64url')].join('.');
    },
    open(sealed) {
      const [given, iv, tag, data] = sealed.split('.');
      if (given !== version || !iv || !tag || !data) return null;
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
