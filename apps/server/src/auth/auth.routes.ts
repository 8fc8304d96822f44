import {
  apiKeySchema,
  createApiKeySchema,
  createdApiKeySchema,
  errorBodySchema,
  idParamsSchema,
  loginRequestSchema,
  logoutRequestSchema,
  meSchema,
  optionalBody,
  refreshRequestSchema,
  sessionTokensSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import type { AuthService } from './auth.service.js';

const tags = ['auth'];
const errors = { 400: errorBodySchema, 401: errorBodySchema };

/** Login and refresh: reachable without a token. */
export const publicAuthRoutes: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with email and password',
        body: loginRequestSchema,
        response: { 200: sessionTokensSchema, ...errors, 404: errorBodySchema },
      },
    },
    async (request) => auth.login(request.body),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Trade a refresh token for a new token pair (each refresh token works once)',
        body: refreshRequestSchema,
        response: { 200: sessionTokensSchema, ...errors },
      },
    },
    async (request) => auth.refresh(request.body.refreshToken),
  );
};

/** Routes about the signed-in caller. */
export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'End the current session',
        body: optionalBody(logoutRequestSchema),
        response: { 204: z.undefined(), ...errors },
      },
    },
    async (request, reply) => {
      await auth.logout(request.principal, request.body.refreshToken);
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    { schema: { tags, summary: 'Who am I: the user or agent behind the credential', response: { 200: meSchema, ...errors } } },
    async (request) => auth.describe(request.principal),
  );

  const requireUser = (kind: string) => {
    if (kind !== 'user') throw new AppError('FORBIDDEN', 'Agents manage their keys through a workspace member.');
  };

  app.get(
    '/auth/api-keys',
    {
      schema: {
        tags,
        summary: 'List your personal API keys (for scripts)',
        response: { 200: z.object({ data: z.array(apiKeySchema) }), ...errors },
      },
    },
    async (request) => {
      requireUser(request.principal.kind);
      return { data: await auth.listApiKeys(request.principal, { kind: 'user', id: request.principal.id }) };
    },
  );

  app.post(
    '/auth/api-keys',
    {
      schema: {
        tags,
        summary: 'Create a personal API key; the secret is shown once',
        body: optionalBody(createApiKeySchema),
        response: { 201: createdApiKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request.principal.kind);
      const created = await auth.createApiKey(request.principal, { kind: 'user', id: request.principal.id, label: 'a user' }, request.body);
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/auth/api-keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke one of your API keys',
        params: idParamsSchema,
        response: { 200: apiKeySchema, ...errors, 404: errorBodySchema },
      },
    },
    async (request) => {
      requireUser(request.principal.kind);
      return auth.revokeApiKey(request.principal, { kind: 'user', id: request.principal.id, label: 'a user' }, request.params.id);
    },
  );
};
