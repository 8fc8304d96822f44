import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { TaskClaimService } from './task-claim.service.js';

export async function taskClaimRoutes(app: FastifyInstance, { claims }: { claims: TaskClaimService }): Promise<void> {
  registerEndpoint(app, endpoints.claimNextTask, async (request, reply) => {
    const claimed = await claims.claimNextTask(request.principal, request.body);
    return claimed ?? reply.status(204).send();
  });
  registerEndpoint(app, endpoints.claimTask, async (request) => claims.claimTask(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.releaseTask, async (request) => claims.releaseTask(request.principal, request.params.id, request.body));
}
