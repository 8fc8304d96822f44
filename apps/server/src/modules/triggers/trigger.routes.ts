import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { TriggerService } from './trigger.service.js';

export async function triggerRoutes(app: FastifyInstance, { triggers }: { triggers: TriggerService }): Promise<void> {
  registerEndpoint(app, endpoints.createTrigger, async (request) => triggers.createTrigger(request.principal, request.body));
  registerEndpoint(app, endpoints.listTriggers, async (request) => triggers.listTriggers(request.principal));
  registerEndpoint(app, endpoints.updateTrigger, async (request) =>
    triggers.updateTrigger(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteTrigger, async (request) => {
    await triggers.deleteTrigger(request.principal, request.params.id);
  });
}
