import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { createInjectFetch } from '../../http/inject-fetch.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AgentChatService } from './agent-chat.service.js';
import type { AgentRunService } from './agent-run.service.js';
import type { AgentRuntimeSettingsService } from './agent-runtime-settings.service.js';
import type { AgentUsageService } from './agent-usage.service.js';

export interface AgentRuntimeRouteDependencies {
  agentRuntimeSettings: AgentRuntimeSettingsService;
  agentRuns: AgentRunService;
  agentUsage: AgentUsageService;
  agentChat: AgentChatService;
}

/** Built-in agents: runtime settings, wake now, runs with transcripts, usage, budgets and chat. */
export async function agentRuntimeRoutes(app: FastifyInstance, dependencies: AgentRuntimeRouteDependencies): Promise<void> {
  const { agentRuntimeSettings, agentRuns, agentUsage, agentChat } = dependencies;
  agentChat.useApi(createInjectFetch(app));

  registerEndpoint(app, endpoints.listChatMessages, async (request) => ({
    data: await agentChat.listHistory(request.principal, request.params.id),
  }));

  registerEndpoint(app, endpoints.sendChatMessage, async (request, reply) => {
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
    return reply;
  });

  registerEndpoint(app, endpoints.getAgentRuntime, async (request) =>
    agentRuntimeSettings.getRuntime(request.principal, request.params.id),
  );
  registerEndpoint(app, endpoints.updateAgentRuntime, async (request) =>
    agentRuntimeSettings.updateRuntime(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.wakeAgent, async (request) =>
    agentRuntimeSettings.wake(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listAgentRuns, async (request) =>
    agentRuns.listRuns(request.principal, request.params.id, request.query),
  );
  registerEndpoint(app, endpoints.getRun, async (request) => agentRuns.getRun(request.principal, request.params.id));
  registerEndpoint(app, endpoints.getUsage, async (request) => agentUsage.usage(request.principal, request.query));
  registerEndpoint(app, endpoints.listBudgets, async (request) => ({ data: await agentUsage.listBudgets(request.principal) }));
  registerEndpoint(app, endpoints.createBudget, async (request) => agentUsage.createBudget(request.principal, request.body));
  registerEndpoint(app, endpoints.updateBudget, async (request) =>
    agentUsage.updateBudget(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteBudget, async (request) => {
    await agentUsage.deleteBudget(request.principal, request.params.id);
  });
}
