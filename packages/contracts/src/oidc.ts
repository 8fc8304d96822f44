import { z } from 'zod';
import { textSchema } from './common.js';

/** A path inside this site to go back to after signing in; never another origin. */
export const localRedirectPathSchema = textSchema()
  .max(2_000)
  .regex(/^\/(?![/\\])/, 'redirect must be a path on this site, such as /board')
  .describe('Where to go after signing in: a path on this site');

export const startOidcSignInQuerySchema = z.strictObject({
  redirect: localRedirectPathSchema.optional(),
  organization: textSchema()
    .max(48)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'organization is the slug of an organisation, such as acme')
    .optional()
    .describe('Sign in through this organisation’s own provider instead of the server’s'),
});

export const oidcCallbackQuerySchema = z.strictObject({
  code: textSchema().max(4_096).optional(),
  state: textSchema().max(512).optional(),
  error: textSchema().max(512).optional(),
  error_description: textSchema().max(2_000).optional(),
  iss: textSchema().max(2_000).optional(),
  session_state: textSchema().max(2_000).optional(),
});

export const exchangeOidcCodeSchema = z.strictObject({
  code: textSchema().min(1).max(512).describe('The one-time code the callback put in the sign-in page’s address'),
});

/** The ways the sign-in page offers. */
export const authProvidersSchema = z
  .object({
    password: z.boolean().describe('Email and password sign-in is available'),
    oidc: z
      .array(
        z.object({
          id: z.string(),
          name: z.string().describe('What the button says: “Sign in with …”'),
          startUrl: z.string().describe('Send the browser here (GET) to begin'),
        }),
      )
      .describe('Single sign-on providers set up on this server'),
  })
  .meta({ id: 'AuthProviders' });
export type AuthProviders = z.infer<typeof authProvidersSchema>;
