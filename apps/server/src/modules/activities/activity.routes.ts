import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { ActivityService } from './activity.service.js';

export async function activityRoutes(app: FastifyInstance, { activities }: { activities: ActivityService }): Promise<void> {
  registerEndpoint(app, endpoints.listActivities, async (request) => activities.listActivities(request.principal, request.query, {}));
  registerEndpoint(app, endpoints.listAgentActivities, async (request) =>
    activities.listActivities(request.principal, request.query, { agentId: request.params.agentId }),
  );
  registerEndpoint(app, endpoints.listTaskActivities, async (request) =>
    activities.listActivities(request.principal, request.query, { taskReference: request.params.taskId }),
  );
}
