import type { ApiKey } from '@mission-control/contracts';
import { plural, relativeTime } from '../../lib/format';

/** "used 3 minutes ago from 10.1.2.3", or "never used". */
export function describeLastUse(key: ApiKey, now: number): string {
  if (!key.lastUsedAt) return 'never used';
  const when = relativeTime(key.lastUsedAt, now, 'long');
  return key.lastUsedIp ? `used ${when} from ${key.lastUsedIp}` : `used ${when}`;
}

/** "only from 10.1.0.0/16 · 600 requests/min · signed requests only", or "no restrictions". */
export function describeRestrictions(key: ApiKey): string {
  const parts: string[] = [];
  if (key.allowedIps && key.allowedIps.length > 0) parts.push(`only from ${key.allowedIps.join(', ')}`);
  if (key.rateLimitPerMinute !== null) parts.push(`${key.rateLimitPerMinute.toLocaleString('en')} requests/min`);
  if (key.requireSignature) parts.push('signed requests only');
  if (key.scopes) parts.push(`limited to ${plural(key.scopes.length, 'permission')}`);
  return parts.length > 0 ? parts.join(' · ') : 'no restrictions';
}

export type ApiKeyState = 'live' | 'rotated' | 'expired' | 'revoked';

/** A revoked key is revoked; a rotated one is in its grace period until it expires. */
export function apiKeyState(key: ApiKey, now: number): ApiKeyState {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return key.replacedById ? 'rotated' : 'live';
}

/** Only a live key that was never rotated can be rotated (the server answers 409 otherwise). */
export function canRotate(key: ApiKey, now: number): boolean {
  return apiKeyState(key, now) === 'live';
}

/** "expires in 55 minutes (rotated)", "revoked 2 hours ago", "never expires". */
export function describeLifetime(key: ApiKey, now: number): string {
  const rotated = key.replacedById ? ' (rotated)' : '';
  switch (apiKeyState(key, now)) {
    case 'revoked':
      return `revoked ${relativeTime(key.revokedAt, now, 'long')}${rotated}`;
    case 'expired':
      return `expired ${relativeTime(key.expiresAt, now, 'long')}${rotated}`;
    default:
      return key.expiresAt ? `expires ${relativeTime(key.expiresAt, now, 'long')}${rotated}` : 'never expires';
  }
}

/** How long the old key keeps working after a rotation; the server's default is an hour. */
export const graceChoices = [
  { seconds: 0, label: 'Stop the old key now' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '1 week' },
] as const;
export const defaultGraceSeconds = 3_600;

/** "10.1.0.0/16, 2001:db8::1" or one per line: the addresses, without blanks. */
export function parseAddressList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}
