import { z } from 'zod';
import { textSchema, timestampSchema } from './common.js';

/** A six-digit code from an authenticator app (RFC 6238 TOTP, 30-second steps). */
export const totpCodeSchema = textSchema()
  .trim()
  .regex(/^\d{6}$/, 'A code is the six digits your authenticator app shows')
  .describe('The six digits the authenticator app shows now');

/** A single-use recovery code as shown at enrolment; dashes, spaces and case do not matter. */
export const recoveryCodeSchema = textSchema()
  .trim()
  .min(8)
  .max(64)
  .describe('One of the ten recovery codes shown when MFA was turned on; each works once');

/** Begun enrolment: the secret to type in, or the otpauth URI to show as a QR code. */
export const totpEnrolmentSchema = z
  .object({
    secret: z.string().describe('The base32 secret, for apps where it is typed in'),
    otpauthUri: z.string().describe('An otpauth://totp/… URI: render it as a QR code for the authenticator app to scan'),
  })
  .meta({ id: 'TotpEnrolment' });
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;

export const confirmTotpSchema = z.strictObject({ code: totpCodeSchema });

/** Ten single-use recovery codes, shown once when MFA is turned on. */
export const recoveryCodesSchema = z
  .object({
    recoveryCodes: z
      .array(z.string())
      .describe('Ten codes that each sign you in once without the app. Store them now: they are never shown again.'),
  })
  .meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof recoveryCodesSchema>;

/** Proof for a change to MFA or a sign-in: a current code or one recovery code. */
export const mfaProofSchema = z
  .strictObject({ code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
  .refine((proof) => (proof.code === undefined) !== (proof.recoveryCode === undefined), {
    message: 'Send either code (from the authenticator app) or recoveryCode, not both',
  });

export const disableTotpSchema = mfaProofSchema;

export const verifyMfaSchema = z
  .strictObject({
    challengeToken: textSchema().min(1).max(512).describe('The challengeToken login answered'),
    code: totpCodeSchema.optional(),
    recoveryCode: recoveryCodeSchema.optional(),
  })
  .refine((proof) => (proof.code === undefined) !== (proof.recoveryCode === undefined), {
    message: 'Send either code (from the authenticator app) or recoveryCode, not both',
  });
export type VerifyMfaInput = z.infer<typeof verifyMfaSchema>;

/** What login answers instead of tokens when the account has MFA on. */
export const mfaChallengeSchema = z
  .object({
    mfaRequired: z.literal(true),
    challengeToken: z.string().describe('Send it with a code to POST /api/v1/auth/mfa/verify within five minutes'),
    challengeExpiresAt: timestampSchema,
  })
  .meta({ id: 'MfaChallenge' });
export type MfaChallenge = z.infer<typeof mfaChallengeSchema>;

/** The caller's MFA: whether TOTP is on and how many recovery codes are left. */
export const mfaStatusSchema = z
  .object({
    totpEnabled: z.boolean(),
    totpEnabledAt: timestampSchema.nullable(),
    enrolmentPending: z.boolean().describe('An enrolment was begun and awaits its first code'),
    recoveryCodesRemaining: z.number().int(),
  })
  .meta({ id: 'MfaStatus' });
export type MfaStatus = z.infer<typeof mfaStatusSchema>;
