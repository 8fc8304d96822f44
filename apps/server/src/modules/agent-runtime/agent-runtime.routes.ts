import {
  agentIdParamsSchema,
  agentRunDetailSchema,
  agentRunSchema,
  agentRuntimeSchema,
  budgetSchema,
  chatMessageSchema,
  createBudgetSchema,
  errorBodySchema,
  idParamsSchema,
  listRunsQuerySchema,
  optionalBody,
  pageSchema,
  sendChatMessageSchema,
  updateAgentRuntimeSchema,
  updateBudgetSchema,
  usageQuerySchema,
  usageSchema,
  wakeAgentSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createInjectFetch } from '../../http/inject-fetch.js';
import type { AgentChatService } from './agent-chat.service.js';
import type { AgentRunService } from './agent-run.service.js';
import type { AgentRuntimeSettingsService } from './agent-runtime-settings.service.js';
import type { AgentUsageService } from './agent-usage.service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

/** Built-in agents: runtime settings, wake now, runs with transcripts, usage and budgets. */
export const agentRuntimeRoutes: FastifyPluginAsyncZod<{
  agentRuntimeSettings: AgentRuntimeSettingsService;
  agentRuns: AgentRunService;
  agentUsage: AgentUsageService;
  agentChat: AgentChatService;
}> = async (app, { agentRuntimeSettings, agentRuns, agentUsage, agentChat }) => {
  agentChat.useApi(createInjectFetch(app));

  app.get(
    '/agents/:id/chat',
    {
      schema: {
        tags: ['agents'],
        summary: 'Your conversation with a built-in agent, oldest first',
        params: agentIdParamsSchema,
        response: { 200: z.object({ data: z.array(chatMessageSchema) }), ...errors },
      },
    },
    async (request) => ({ data: await agentChat.listHistory(request.principal, request.params.id) }),
  );

  app.post(
    '/agents/:id/chat',
    {
      schema: {
        tags: ['agents'],
        summary: 'Talk to a built-in agent: the answer streams as server-sent events (delta …, then done or error)',
        params: agentIdParamsSchema,
        body: sendChatMessageSchema,
        response: { 200: z.string().describe('text/event-stream'), ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      // Refusals (unknown agent, not built in, no model, budget used up) are ordinary JSON errors.
      const stream = await agentChat.startChat(request.principal, request.params.id, request.body.content);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      try {
        for await (const event of stream) reply.raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      } catch (error) {
        request.log.error({ err: error }, 'chat stream failed');
        reply.raw.write(`event: error\ndata: ${JSON.stringify({ type: 'error', message: 'The answer failed; try again.' })}\n\n`);
      }
      reply.raw.end();
    },
  );

  app.get(
    '/agents/:id/runtime',
    {
      schema: {
        tags: ['agents'],
        summary: "An agent's runtime settings and scheduler state",
        params: agentIdParamsSchema,
        response: { 200: agentRuntimeSchema, ...errors },
      },
    },
    async (request) => agentRuntimeSettings.getRuntime(request.principal, request.params.id),
  );

  app.put(
    '/agents/:id/runtime',
    {
      schema: {
        tags: ['agents'],
        summary: 'Make an agent built-in (run by the platform) or external, and set its model',
        params: agentIdParamsSchema,
        body: updateAgentRuntimeSchema,
        response: { 200: agentRuntimeSchema, ...errors },
      },
    },
    async (request) => agentRuntimeSettings.updateRuntime(request.principal, request.params.id, request.body),
  );

  app.post(
    '/agents/:id/wake',
    {
      schema: {
        tags: ['agents'],
        summary: "Run a built-in agent's turn now, with or without work waiting",
        params: agentIdParamsSchema,
        body: optionalBody(wakeAgentSchema),
        response: { 202: agentRuntimeSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => reply.status(202).send(await agentRuntimeSettings.wake(request.principal, request.params.id, request.body)),
  );

  app.get(
    '/agents/:id/runs',
    {
      schema: {
        tags: ['runs'],
        summary: "An agent's turns, newest first",
        params: agentIdParamsSchema,
        querystring: listRunsQuerySchema,
        response: { 200: pageSchema(agentRunSchema), ...errors },
      },
    },
    async (request) => agentRuns.listRuns(request.principal, request.params.id, request.query),
  );

  app.get(
    '/runs/:id',
    {
      schema: {
        tags: ['runs'],
        summary: 'One turn with its prompt and full transcript',
        params: idParamsSchema,
        response: { 200: agentRunDetailSchema, ...errors },
      },
    },
    async (request) => agentRuns.getRun(request.principal, request.params.id),
  );

  app.get(
    '/usage',
    {
      schema: {
        tags: ['runs'],
        summary: 'Tokens and cost of built-in agents, per workspace, agent or task (this month by default)',
        querystring: usageQuerySchema,
        response: { 200: usageSchema, ...errors },
      },
    },
    async (request) => agentUsage.usage(request.principal, request.query),
  );

  app.get(
    '/budgets',
    {
      schema: {
        tags: ['budgets'],
        summary: 'Monthly budgets with what is used',
        response: { 200: z.object({ data: z.array(budgetSchema) }), ...errors },
      },
    },
    async (request) => ({ data: await agentUsage.listBudgets(request.principal) }),
  );

  app.post(
    '/budgets',
    {
      schema: {
        tags: ['budgets'],
        summary: 'Set a monthly token and/or cost limit for an agent or the workspace',
        body: createBudgetSchema,
        response: { 201: budgetSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await agentUsage.createBudget(request.principal, request.body)),
  );

  app.patch(
    '/budgets/:id',
    {
      schema: {
        tags: ['budgets'],
        summary: "Change a budget's limits",
        params: idParamsSchema,
        body: updateBudgetSchema,
        response: { 200: budgetSchema, ...errors },
      },
    },
    async (request) => agentUsage.updateBudget(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/budgets/:id',
    { schema: { tags: ['budgets'], summary: 'Remove a budget', params: idParamsSchema, response: { 204: z.undefined(), ...errors } } },
    async (request, reply) => {
      await agentUsage.deleteBudget(request.principal, request.params.id);
      return reply.status(204).send();
    },
  );
};
