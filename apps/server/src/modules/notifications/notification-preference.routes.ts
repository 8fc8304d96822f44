import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { NotificationDeliveryService } from './notification-delivery.service.js';
import type { NotificationPreferenceService } from './notification-preference.service.js';

export async function notificationPreferenceRoutes(
  app: FastifyInstance,
  {
    notificationPreferences,
    notificationDelivery,
  }: { notificationPreferences: NotificationPreferenceService; notificationDelivery: NotificationDeliveryService },
): Promise<void> {
  registerEndpoint(app, endpoints.listNotificationDeliveries, async (request) =>
    notificationDelivery.listNotificationDeliveries(request.principal, request.query),
  );
  registerEndpoint(app, endpoints.getNotificationPreferences, async (request) => notificationPreferences.getPreferences(request.principal));
  registerEndpoint(app, endpoints.updateNotificationPreferences, async (request) =>
    notificationPreferences.updatePreferences(request.principal, request.body),
  );
  registerEndpoint(app, endpoints.getNotificationChannels, async (request) =>
    notificationPreferences.getWorkspaceChannels(request.principal),
  );
  registerEndpoint(app, endpoints.updateNotificationChannels, async (request) =>
    notificationPreferences.updateWorkspaceChannels(request.principal, request.body),
  );
}
