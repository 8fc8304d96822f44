import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults every authenticator app reads: SHA-1, six digits, 30-second steps. */
export const totpPeriodSeconds = 30;
/** A code of the step before (or after) the current one still works: phones' clocks drift. */
const toleranceSeconds = totpPeriodSeconds;

export function generateTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function buildOtpauthUri(secret: string, issuer: string, accountName: string): string {
  return generateURI({ issuer, label: accountName, secret, period: totpPeriodSeconds, digits: 6 });
}

/**
 * The time step the code belongs to, or null when it is wrong, too old, too new, or of a step
 * not later than `afterTimeStep` (a code works once).
 */
export async function checkTotpCode(secret: string, code: string, at: Date, afterTimeStep: number | null): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    period: totpPeriodSeconds,
    epochTolerance: toleranceSeconds,
    ...(afterTimeStep === null ? {} : { afterTimeStep }),
  });
  return result.valid ? totpTimeStepAt(at) + result.delta : null;
}

/** The step a moment falls in. */
export function totpTimeStepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / totpPeriodSeconds);
}

/** Ten recovery codes of 80 random bits each, shown as `xxxxx-xxxxx-xxxxx-xxxxx` (hex). */
export function generateRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const hex = randomBytes(10).toString('hex');
    return hex.match(/.{5}/g)?.join('-') ?? hex;
  });
}

/** What a recovery code is compared by: dashes, spaces and case removed. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}
