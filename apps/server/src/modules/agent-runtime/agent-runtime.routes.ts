import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import type { CredentialWatcher } from '../../events/credential-watcher.js';
import { createInjectFetch } from '../../http/inject-fetch.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import { type AgentChatService, ChatStopped, type ChatStreamEvent } from './agent-chat.service.js';
import type { AgentRunService } from './agent-run.service.js';
import type { AgentRuntimeSettingsService } from './agent-runtime-settings.service.js';
import type { AgentUsageService } from './agent-usage.service.js';

export interface AgentRuntimeRouteDependencies {
  agentRuntimeSettings: AgentRuntimeSettingsService;
  agentRuns: AgentRunService;
  agentUsage: AgentUsageService;
  agentChat: AgentChatService;
  /** Stops a streaming answer when its person's credential stops giving access; not watched without it. */
  credentials?: CredentialWatcher | undefined;
}

/** Built-in agents: runtime settings, wake now, runs with transcripts, usage, budgets and chat. */
export async function agentRuntimeRoutes(app: FastifyInstance, dependencies: AgentRuntimeRouteDependencies): Promise<void> {
  const { agentRuntimeSettings, agentRuns, agentUsage, agentChat, credentials } = dependencies;
  agentChat.useApi(createInjectFetch(app));

  registerEndpoint(app, endpoints.listChatMessages, async (request) => ({
    data: await agentChat.listHistory(request.principal, request.params.id),
  }));

  registerEndpoint(app, endpoints.sendChatMessage, async (request, reply) => {
    // A person who signs out or is removed while the answer streams stops getting it: the model
    // call is aborted and the stream ends with an error event saying why.
    const stopper = new AbortController();
    const credential = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const stopWatching =
      credentials && credential
        ? await credentials.watch({
            credential,
            principal: request.principal,
            onRevoked: (revocation) => stopper.abort(new ChatStopped(revocation.code, revocation.message)),
          })
        : () => {};
    // Refusals (unknown agent, not built in, no model, budget used up) are ordinary JSON errors.
    let stream: AsyncGenerator<ChatStreamEvent>;
    try {
      stream = await agentChat.startChat(request.principal, request.params.id, request.body.content, { abortSignal: stopper.signal });
    } catch (error) {
      stopWatching();
      throw error;
    }
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
    stopWatching();
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
