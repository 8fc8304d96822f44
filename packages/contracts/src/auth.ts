import { z } from 'zod';
import { idSchema, textSchema, timestampSchema } from './common.js';
import { mfaChallengeSchema } from './mfa.js';
import { apiKeyScopeSchema } from './scopes.js';
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
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** A new API key: the secret appears here once and is never shown again. */
export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    secret: z.string().describe('The full key. Store it now: it is never shown again.'),
  })
  .meta({ id: 'CreatedApiKey' });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
