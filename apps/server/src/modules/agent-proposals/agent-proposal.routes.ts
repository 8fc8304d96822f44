import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AgentProposalService } from './agent-proposal.service.js';

export async function agentProposalRoutes(
  app: FastifyInstance,
  { agentProposals }: { agentProposals: AgentProposalService },
): Promise<void> {
  registerEndpoint(app, endpoints.proposeAgent, async (request) => agentProposals.proposeAgent(request.principal, request.body));
  registerEndpoint(app, endpoints.requestBudgetRaise, async (request) =>
    agentProposals.requestBudgetRaise(request.principal, request.body),
  );
}
