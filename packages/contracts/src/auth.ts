import { z } from 'zod';
import { idSchema, textSchema, timestampSchema } from './common.js';
import { mfaChallengeSchema } from './mfa.js';
import { apiKeyAddressSchema, apiKeyScopeSchema } from './scopes.js';
import { emailSchema, userSchema, workspaceRoleSchema, workspaceSchema } from './workspaces.js';

export const loginRequestSchema = z.strictObject({
  email: emailSchema,
  password: textSchema().min(1).max(256),
  workspaceId: idSchema.optional().describe('The workspace to sign in to; defaults to the first one you belong to'),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const refreshRequestSchema = z.strictObject({
  refreshToken: textSchema().min(1).max(512),
});

export const logoutRequestSchema = z.strictObject({
  refreshToken: textSchema().min(1).max(512).optional(),
});

/** What login and refresh answer: a short-lived access token and a rotating refresh token. */
export const sessionTokensSchema = z
  .object({
    accessToken: z.string(),
    accessTokenExpiresAt: timestampSchema,
    refreshToken: z.string(),
    refreshTokenExpiresAt: timestampSchema,
    tokenType: z.literal('Bearer'),
    user: userSchema,
    workspace: workspaceSchema,
    role: workspaceRoleSchema,
  })
  .meta({ id: 'SessionTokens' });
export type SessionTokens = z.infer<typeof sessionTokensSchema>;

/** What login answers: the token pair, or an MFA challenge to finish with POST /api/v1/auth/mfa/verify. */
export const loginAnswerSchema = z.union([sessionTokensSchema, mfaChallengeSchema]).meta({ id: 'LoginAnswer' });
export type LoginAnswer = z.infer<typeof loginAnswerSchema>;

/** True when login answered an MFA challenge instead of tokens. */
export function isMfaChallenge(answer: LoginAnswer): answer is z.infer<typeof mfaChallengeSchema> {
  return 'mfaRequired' in answer && answer.mfaRequired === true;
}

/** Who the caller is: a signed-in user or an agent using an API key. */
export const meSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('user'),
      user: userSchema,
      workspace: workspaceSchema,
      role: workspaceRoleSchema,
      customRole: z
        .object({ id: idSchema, name: z.string(), permissions: z.array(z.string()) })
        .nullable()
        .describe('The custom role narrowing `role` in this workspace, with its permission names; null for the built-in role alone'),
      workspaces: z.array(z.object({ workspace: workspaceSchema, role: workspaceRoleSchema })),
    }),
    z.object({
      kind: z.literal('agent'),
      agent: z.object({ id: idSchema, name: z.string(), sessionKey: z.string() }),
      workspace: workspaceSchema,
    }),
  ])
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const apiKeySchema = z
  .object({
    id: idSchema,
    name: z.string(),
    prefix: z.string().describe('The first characters of the key, to recognise it'),
    owner: z.object({ kind: z.enum(['user', 'agent']), id: idSchema }),
    createdAt: timestampSchema,
    lastUsedAt: timestampSchema.nullable(),
    revokedAt: timestampSchema.nullable(),
    expiresAt: timestampSchema.nullable(),
    scopes: z.array(z.string()).nullable().describe('The permissions the key is limited to; null when it acts with its owner’s full role'),
    allowedIps: z
      .array(z.string())
      .nullable()
      .describe('The addresses and CIDR ranges the key may be used from; null when any address may use it'),
    rateLimitPerMinute: z
      .number()
      .int()
      .nullable()
      .describe('Requests a minute this key may make, counted for the key alone; null when it shares its owner’s limit'),
    requireSignature: z.boolean().describe('Whether every request with this key must be signed (X-Mission-Signature)'),
    lastUsedIp: z.string().nullable().describe('The address the key was last used from (updated at most once a minute)'),
    replacedById: idSchema.nullable().describe('The key that succeeded this one when it was rotated'),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof apiKeySchema>;

/** API keys of one owner, newest first, without their secrets. */
export const apiKeyListSchema = z.object({ data: z.array(apiKeySchema) });

export const createApiKeySchema = z.strictObject({
  name: textSchema().trim().min(1).max(120).default('default'),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  scopes: z
    .array(apiKeyScopeSchema)
    .min(1)
    .max(200)
    .optional()
    .describe('Limit the key to these permissions (GET /api/v1/permissions); left out, it acts with its owner’s full role'),
  allowedIps: z
    .array(apiKeyAddressSchema)
    .min(1)
    .max(100)
    .optional()
    .describe('Only requests from these addresses or CIDR ranges (203.0.113.7, 10.0.0.0/8, 2001:db8::/32) may use the key'),
  rateLimitPerMinute: z
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('The key’s own limit, in requests a minute, counted apart from its owner’s other keys'),
  requireSignature: z
    .boolean()
    .default(false)
    .describe(
      'Refuse every request with this key that is not signed (X-Mission-Timestamp and X-Mission-Signature); the SDK and CLI sign by themselves',
    ),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** Rotating a key: a successor with the same settings, the old key valid for a grace period. */
export const rotateApiKeySchema = z.strictObject({
  graceSeconds: z
    .int()
    .min(0)
    .max(30 * 24 * 3600)
    .default(3600)
    .describe('How long the old key keeps working, in seconds (0: it stops at once; at most 30 days)'),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When the new key stops working; left out, it keeps the old key’s expiry'),
});
export type RotateApiKeyInput = z.infer<typeof rotateApiKeySchema>;

/** A rotated key: its successor with the secret (shown once) and the old key with the end of its grace. */
export const rotatedApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    secret: z.string().describe('The new key. Store it now: it is never shown again.'),
    previous: apiKeySchema.describe('The old key: it works until its expiresAt, then it is revoked'),
  })
  .meta({ id: 'RotatedApiKey' });
export type RotatedApiKey = z.infer<typeof rotatedApiKeySchema>;

/** A new API key: the secret appears here once and is never shown again. */
export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    secret: z.string().describe('The full key. Store it now: it is never shown again.'),
  })
  .meta({ id: 'CreatedApiKey' });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
