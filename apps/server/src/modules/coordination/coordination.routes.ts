import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { CoordinationService } from './coordination.service.js';

/** Assignment suggestions and auto-assignment, escalation to people, review send-backs, the workspace's runtime settings. */
export async function coordinationRoutes(app: FastifyInstance, { coordination }: { coordination: CoordinationService }): Promise<void> {
  registerEndpoint(app, endpoints.listAssignmentCandidates, async (request) => ({
    data: await coordination.suggestAssignees(request.principal, request.params.id),
  }));
  registerEndpoint(app, endpoints.assignBestAgent, async (request) => coordination.assignBest(request.principal, request.params.id));
  registerEndpoint(app, endpoints.escalateTask, async (request) =>
    coordination.escalateTask(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.sendBackTask, async (request) =>
    coordination.sendBackTask(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.getWorkspaceRuntimeSettings, async (request) => coordination.getSettings(request.principal));
  registerEndpoint(app, endpoints.updateWorkspaceRuntimeSettings, async (request) =>
    coordination.updateSettings(request.principal, request.body),
  );
}
