import {
  apiKeyListSchema,
  apiKeySchema,
  createApiKeySchema,
  createdApiKeySchema,
  loginAnswerSchema,
  loginRequestSchema,
  logoutRequestSchema,
  meSchema,
  refreshRequestSchema,
  rotateApiKeySchema,
  rotatedApiKeySchema,
  sessionTokensSchema,
} from '../auth.js';
import { idParamsSchema } from '../common.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'auth';
const newSession = {
  200: {
    description: 'A short-lived access token (15 minutes by default) and a refresh token that works once',
    schema: sessionTokensSchema,
  },
} as const;

export const logIn = defineEndpoint({
  operationId: 'logIn',
  method: 'POST',
  path: '/api/v1/auth/login',
  tag,
  auth: 'public',
  summary: 'Sign in with email and password',
  description:
    'Answers an access token to send as `Authorization: Bearer …` and a refresh token to trade for a new pair before the access token expires. Signs in to the first workspace you belong to unless `workspaceId` names another. Limited per address: after 429, wait for Retry-After. With MFA on, the answer is an MFA challenge instead of tokens.',
  body: loginRequestSchema,
  responses: {
    200: {
      description:
        'The token pair (a short-lived access token, 15 minutes by default, and a refresh token that works once); or, when the account has MFA on, `{mfaRequired: true, challengeToken}` and no tokens: finish with POST /api/v1/auth/mfa/verify',
      schema: loginAnswerSchema,
    },
  },
  errors: ['INVALID_CREDENTIALS', 'WORKSPACE_NOT_FOUND', 'UNAUTHENTICATED'],
});

export const refreshSession = defineEndpoint({
  operationId: 'refreshSession',
  method: 'POST',
  path: '/api/v1/auth/refresh',
  tag,
  auth: 'public',
  summary: 'Trade a refresh token for a new token pair',
  description:
    'Each refresh token works once. The same token sent again within 10 seconds of its first use (concurrent refreshes from several tabs, a retry after a lost answer) gets the same new pair. Presenting a used one later ends the whole session (REFRESH_TOKEN_REUSED), since it means the token was stolen or replayed; sign in again after a 401.',
  body: refreshRequestSchema,
  responses: newSession,
  errors: ['TOKEN_INVALID', 'REFRESH_TOKEN_REUSED', 'UNAUTHENTICATED'],
});

export const logOut = defineEndpoint({
  operationId: 'logOut',
  method: 'POST',
  path: '/api/v1/auth/logout',
  tag,
  auth: 'any',
  summary: 'End the current session',
  description:
    'Revokes the session of the access token, and the session a refresh token belongs to when one of yours is given. With an API key there is no session to end: revoke the key instead.',
  body: logoutRequestSchema,
  responses: { 204: { description: 'The session has ended' } },
  errors: [],
});

export const getMe = defineEndpoint({
  operationId: 'getMe',
  method: 'GET',
  path: '/api/v1/auth/me',
  tag,
  auth: 'any',
  summary: 'Who the credential belongs to',
  description:
    'A person (with the workspace, the role in it and every workspace they belong to) or an agent (with its session key). Tools call it once to learn whose key they hold.',
  responses: { 200: { description: 'The user or agent behind the credential', schema: meSchema } },
  errors: [],
});

export const listMyApiKeys = defineEndpoint({
  operationId: 'listMyApiKeys',
  method: 'GET',
  path: '/api/v1/auth/api-keys',
  tag,
  auth: 'user',
  summary: 'List your personal API keys',
  description:
    'Keys for your scripts in this workspace, newest first, revoked ones included; never their secrets. Agents’ keys are listed under their agent.',
  responses: { 200: { description: 'Your API keys', schema: apiKeyListSchema } },
  errors: [],
});

export const createMyApiKey = defineEndpoint({
  operationId: 'createMyApiKey',
  method: 'POST',
  path: '/api/v1/auth/api-keys',
  tag,
  auth: 'user',
  summary: 'Create a personal API key',
  description:
    'The key acts as you, with your role, in this workspace. The secret is in this answer only: store it now. `expiresAt`, when given, must be in the future. The secret is never stored for a replay: repeating the request with its Idempotency-Key answers 409 IDEMPOTENCY_SECRET_NOT_REPLAYABLE with the key’s id; if the secret was lost, revoke that key and create another.',
  body: createApiKeySchema,
  responses: { 201: { description: 'The new key and its secret, shown once', schema: createdApiKeySchema } },
  oneTimeSecretField: 'secret',
  errors: ['IDEMPOTENCY_SECRET_NOT_REPLAYABLE'],
});

export const rotateMyApiKey = defineEndpoint({
  operationId: 'rotateMyApiKey',
  method: 'POST',
  path: '/api/v1/auth/api-keys/{id}/rotate',
  tag,
  auth: 'user',
  summary: 'Rotate one of your API keys',
  description:
    'Answers a new key with the same name, scopes, address allow-list, rate limit and signing requirement (its secret in this answer only), and the old key, which keeps working for `graceSeconds` (default an hour) and is then revoked; 0 revokes it at once. Only a live key that was not rotated before can be rotated: otherwise 409 API_KEY_NOT_ROTATABLE.',
  params: idParamsSchema,
  body: rotateApiKeySchema,
  responses: { 201: { description: 'The new key with its secret, shown once, and the old key', schema: rotatedApiKeySchema } },
  oneTimeSecretField: 'secret',
  errors: ['API_KEY_NOT_FOUND', 'API_KEY_NOT_ROTATABLE', 'IDEMPOTENCY_SECRET_NOT_REPLAYABLE'],
});

export const revokeMyApiKey = defineEndpoint({
  operationId: 'revokeMyApiKey',
  method: 'DELETE',
  path: '/api/v1/auth/api-keys/{id}',
  tag,
  auth: 'user',
  summary: 'Revoke one of your API keys',
  description: 'The key stops working at once. Revoking a key already revoked answers it unchanged.',
  params: idParamsSchema,
  responses: { 200: { description: 'The key, revoked', schema: apiKeySchema } },
  errors: ['API_KEY_NOT_FOUND'],
});
