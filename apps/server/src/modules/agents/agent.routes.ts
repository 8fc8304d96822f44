import { type Agent, type CreateRemoteAgentInput, endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AgentService } from './agent.service.js';

export interface AgentRouteOptions {
  agents: AgentService;
  /** Registers a remote agent from its A2A card (the A2A module reads the card). */
  registerRemoteAgent: (principal: Principal, input: CreateRemoteAgentInput) => Promise<Agent>;
}

export async function agentRoutes(app: FastifyInstance, { agents, registerRemoteAgent }: AgentRouteOptions): Promise<void> {
  registerEndpoint(app, endpoints.listAgents, async (request) => agents.listAgents(request.principal, request.query));
  registerEndpoint(app, endpoints.createAgent, async (request) =>
    request.body.kind === 'remote'
      ? registerRemoteAgent(request.principal, request.body)
      : agents.createAgent(request.principal, request.body),
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
  registerEndpoint(app, endpoints.revokeAgentApiKey, async (request) =>
    agents.revokeApiKey(request.principal, request.params.id, request.params.keyId),
  );
}
