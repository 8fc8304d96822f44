import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../../http/register-endpoint.js';
import type { WebhookService } from './webhook.service.js';

export async function webhookRoutes(app: FastifyInstance, { webhooks }: { webhooks: WebhookService }): Promise<void> {
  registerEndpoint(app, endpoints.createWebhook, async (request) => webhooks.createWebhook(request.principal, request.body));
  registerEndpoint(app, endpoints.listWebhooks, async (request) => webhooks.listWebhooks(request.principal));
  registerEndpoint(app, endpoints.getWebhook, async (request) => webhooks.getWebhook(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateWebhook, async (request) =>
    webhooks.updateWebhook(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteWebhook, async (request) => {
    await webhooks.deleteWebhook(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.rotateWebhookSecret, async (request) =>
    webhooks.rotateWebhookSecret(request.principal, request.params.id),
  );
  registerEndpoint(app, endpoints.testWebhook, async (request) => webhooks.testWebhook(request.principal, request.params.id));
  registerEndpoint(app, endpoints.listWebhookDeliveries, async (request) =>
    webhooks.listWebhookDeliveries(request.principal, request.params.id, request.query),
  );
  registerEndpoint(app, endpoints.replayWebhookDelivery, async (request) =>
    webhooks.replayWebhookDelivery(request.principal, request.params.id, request.params.deliveryId),
  );
  registerEndpoint(app, endpoints.replayDeadWebhookDeliveries, async (request) =>
    webhooks.replayDeadWebhookDeliveries(request.principal, request.params.id),
  );
}
