import { sessionTokensSchema } from '../auth.js';
import { authProvidersSchema, exchangeOidcCodeSchema, oidcCallbackQuerySchema, startOidcSignInQuerySchema } from '../oidc.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'auth';

export const listAuthProviders = defineEndpoint({
  operationId: 'listAuthProviders',
  method: 'GET',
  path: '/api/v1/auth/providers',
  tag,
  auth: 'public',
  summary: 'The ways to sign in',
  description: 'What the sign-in page offers: email and password, and each single sign-on (OpenID Connect) provider set up on this server.',
  responses: { 200: { description: 'The sign-in options', schema: authProvidersSchema } },
  errors: [],
});

export const startOidcSignIn = defineEndpoint({
  operationId: 'startOidcSignIn',
  method: 'GET',
  path: '/api/v1/auth/oidc/start',
  tag,
  auth: 'public',
  summary: 'Begin signing in with the identity provider',
  description:
    'Open it in the browser: it answers 302 to the provider’s sign-in page (authorisation code flow with PKCE, a fresh `state` and `nonce`). After signing in there, the provider sends the browser to GET /api/v1/auth/oidc/callback. The sign-in must finish within ten minutes.',
  query: startOidcSignInQuerySchema,
  responses: { 302: { description: 'To the identity provider', headers: ['Location'] } },
  errors: ['OIDC_NOT_CONFIGURED'],
});

export const finishOidcSignIn = defineEndpoint({
  operationId: 'finishOidcSignIn',
  method: 'GET',
  path: '/api/v1/auth/oidc/callback',
  tag,
  auth: 'public',
  summary: 'Where the identity provider sends the browser back',
  description:
    'Checks `state`, trades the code for tokens and verifies the ID token (issuer, audience, expiry, nonce, the provider’s signature by its JWKS). The account is found by the provider’s subject, or linked by a verified email; an unverified email never links. Answers 302 to the sign-in page with a one-time code that POST /api/v1/auth/oidc/exchange trades for the token pair within a minute. A browser (Accept: text/html) that cannot be signed in is sent to `/login?ssoError=<code>&ssoMessage=<message>` instead of an error body.',
  query: oidcCallbackQuerySchema,
  responses: { 302: { description: 'To the sign-in page, with a one-time code', headers: ['Location'] } },
  errors: [
    'OIDC_NOT_CONFIGURED',
    'OIDC_STATE_INVALID',
    'OIDC_SIGN_IN_FAILED',
    'OIDC_EMAIL_UNVERIFIED',
    'OIDC_DOMAIN_NOT_ALLOWED',
    'OIDC_ACCOUNT_NOT_FOUND',
    'WORKSPACE_NOT_FOUND',
  ],
});

export const exchangeOidcCode = defineEndpoint({
  operationId: 'exchangeOidcCode',
  method: 'POST',
  path: '/api/v1/auth/oidc/exchange',
  tag,
  auth: 'public',
  summary: 'Trade the one-time sign-in code for the token pair',
  description:
    'The sign-in page calls it with the code GET /api/v1/auth/oidc/callback put in its address. Each code works once, for one minute; then answers 401 OIDC_CODE_INVALID: start again.',
  body: exchangeOidcCodeSchema,
  responses: { 200: { description: 'The token pair, as login answers', schema: sessionTokensSchema } },
  errors: ['OIDC_CODE_INVALID', 'UNAUTHENTICATED'],
});
