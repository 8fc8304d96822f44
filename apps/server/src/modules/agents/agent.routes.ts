import {
  agentApiKeyParamsSchema,
  agentIdParamsSchema,
  agentSchema,
  apiKeySchema,
  createAgentSchema,
  createApiKeySchema,
  createdApiKeySchema,
  errorBodySchema,
  listAgentsQuerySchema,
  optionalBody,
  pageSchema,
  updateAgentSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AgentService } from './agent.service.js';

const tags = ['agents'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const agentRoutes: FastifyPluginAsyncZod<{ agents: AgentService }> = async (app, { agents }) => {
  app.get(
    '/agents',
    { schema: { tags, summary: 'List agents', querystring: listAgentsQuerySchema, response: { 200: pageSchema(agentSchema), ...errors } } },
    async (request) => agents.listAgents(request.principal, request.query),
  );

  app.post(
    '/agents',
    {
      schema: {
        tags,
        summary: 'Register an agent',
        body: createAgentSchema,
        response: { 201: agentSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await agents.createAgent(request.principal, request.body)),
  );

  app.get(
    '/agents/:id',
    { schema: { tags, summary: 'Get an agent', params: agentIdParamsSchema, response: { 200: agentSchema, ...errors } } },
    async (request) => agents.getAgent(request.principal, request.params.id),
  );

  app.patch(
    '/agents/:id',
    {
      schema: {
        tags,
        summary: 'Update an agent',
        params: agentIdParamsSchema,
        body: updateAgentSchema,
        response: { 200: agentSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => agents.updateAgent(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/agents/:id',
    {
      schema: {
        tags,
        summary: 'Remove an agent and revoke its keys',
        params: agentIdParamsSchema,
        response: { 204: z.undefined(), ...errors },
      },
    },
    async (request, reply) => {
      await agents.deleteAgent(request.principal, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/agents/:id/api-keys',
    {
      schema: {
        tags,
        summary: "List an agent's API keys (never their secrets)",
        params: agentIdParamsSchema,
        response: { 200: z.object({ data: z.array(apiKeySchema) }), ...errors },
      },
    },
    async (request) => ({ data: await agents.listApiKeys(request.principal, request.params.id) }),
  );

  app.post(
    '/agents/:id/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key for an agent; the secret is shown once',
        params: agentIdParamsSchema,
        body: optionalBody(createApiKeySchema),
        response: { 201: createdApiKeySchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await agents.createApiKey(request.principal, request.params.id, request.body)),
  );

  app.delete(
    '/agents/:id/api-keys/:keyId',
    {
      schema: {
        tags,
        summary: "Revoke an agent's API key",
        params: agentApiKeyParamsSchema,
        response: { 200: apiKeySchema, ...errors },
      },
    },
    async (request) => agents.revokeApiKey(request.principal, request.params.id, request.params.keyId),
  );
};
