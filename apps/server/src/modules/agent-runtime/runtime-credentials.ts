import { createSecretBox } from '../../core/secret-box.js';

/**
 * Built-in agents act through the API with their own API key, like any external agent. Keys are
 * stored hashed, so the runtime keeps its own copy of the secret, sealed under the instance
 * signing secret. If that secret changes, opening fails and a new key is issued.
 */
export function createCredentialCipher(signingKey: Uint8Array) {
  // 'v1': the version field these values were first stored with.
  const box = createSecretBox(signingKey, 'agent-runtime-credential', { version: 'v1' });
  return {
    encrypt: (secret: string): string => box.seal(secret),
    /** The secret, or null when it was sealed with another key or is damaged. */
    decrypt: (sealed: string): string | null => box.open(sealed),
  };
}
