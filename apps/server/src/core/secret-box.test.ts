import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, maskSecretUrl } from './secret-box.js';

describe('secrets sealed under the instance secret', () => {
  const instanceSecret = randomBytes(32);

  it('opens what it sealed, and never stores the secret itself', () => {
    const box = createSecretBox(instanceSecret, 'test-purpose');
    const sealed = box.seal('whsec_very-secret');
    expect(sealed).not.toContain('very-secret');
    expect(sealed.startsWith('s1.')).toBe(true);
    expect(box.open(sealed)).toBe('whsec_very-secret');
    // A fresh IV each time: the same secret never seals to the same text.
    expect(box.seal('whsec_very-secret')).not.toBe(sealed);
  });

  it('refuses a value sealed for another purpose, under another instance secret, or tampered with', () => {
    const sealed = createSecretBox(instanceSecret, 'one').seal('secret');
    expect(createSecretBox(instanceSecret, 'two').open(sealed)).toBeNull();
    expect(createSecretBox(randomBytes(32), 'one').open(sealed)).toBeNull();
    const parts = sealed.split('.');
    const flipped = `${parts[0]}.${parts[1]}.${parts[2]}.${(parts[3] ?? '').replace(/^./, (first) => (first === 'A' ? 'B' : 'A'))}`;
    expect(createSecretBox(instanceSecret, 'one').open(flipped)).toBeNull();
    expect(createSecretBox(instanceSecret, 'one').open('garbage')).toBeNull();
  });

  it('keeps the version field a purpose was stored with', () => {
    const box = createSecretBox(instanceSecret, 'agent-runtime-credential', { version: 'v1' });
    const sealed = box.seal('mc_key');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed)).toBe('mc_key');
    expect(createSecretBox(instanceSecret, 'agent-runtime-credential').open(sealed)).toBeNull();
  });

  it('masks a secret URL to its host and last four characters', () => {
    expect(maskSecretUrl('https://hooks.slack.com/services/T000/B000/abcdWXYZ')).toBe('https://hooks.slack.com/…WXYZ');
    expect(maskSecretUrl('not a url')).toBe('…');
  });
});
