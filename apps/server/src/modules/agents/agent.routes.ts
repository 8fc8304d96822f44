import { type Agent, type CreateRemoteAgentInput, createRemoteAgentSchema, endpoints } from '@mission-control/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AgentService } from './agent.service.js';

export interface AgentRouteOptions {
  agents: AgentService;
  /**
   * Reads a remote agent's A2A card (the A2A module does, once it checked the caller may register
   * agents) and answers what registers the agent from it.
   */
  prepareRemoteAgent: (principal: Principal, input: CreateRemoteAgentInput) => Promise<() => Promise<Agent>>;
}

export async function agentRoutes(app: FastifyInstance, options: AgentRouteOptions): Promise<void> {
  const { agents } = options;
  // The remote card is read before the request's transaction opens: on SQLite that transaction
  // holds the one writer, and a slow (or our own) card server would stall every other write.
  const prepared = new WeakMap<FastifyRequest, () => Promise<Agent>>();
  const readCardFirst = async (request: FastifyRequest) => {
    const remote = createRemoteAgentSchema.safeParse(request.body);
    if (remote.success) prepared.set(request, await options.prepareRemoteAgent(request.principal, remote.data));
  };
  registerEndpoint(app, endpoints.listAgents, async (request) => agents.listAgents(request.principal, request.query));
  registerEndpoint(
    app,
    endpoints.createAgent,
    async (request) => {
      if (request.body.kind !== 'remote') return agents.createAgent(request.principal, request.body);
      const register = prepared.get(request) ?? (await options.prepareRemoteAgent(request.principal, request.body));
      return register();
    },
    { beforeTransaction: readCardFirst },
  );
  registerEndpoint(app, endpoints.getAgent, async (request) => agents.getAgent(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateAgent, async (request) => agents.updateAgent(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.replaceAgent, async (request) => agents.replaceAgent(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.deleteAgent, async (request) => {
    await agents.deleteAgent(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.listAgentApiKeys, async (request) => ({
    data: await agents.listApiKeys(request.principal, request.params.id),
  }));
  registerEndpoint(app, endpoints.createAgentApiKey, async (request) =>
    agents.createApiKey(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.rotateAgentApiKey, async (request) =>
    agents.rotateApiKey(request.principal, request.params.id, request.params.keyId, request.body),
  );
  registerEndpoint(app, endpoints.revokeAgentApiKey, async (request) =>
    agents.revokeApiKey(request.principal, request.params.id, request.params.keyId),
  );
}
