import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { NotificationService } from './notification.service.js';

export async function notificationRoutes(app: FastifyInstance, { notifications }: { notifications: NotificationService }): Promise<void> {
  registerEndpoint(app, endpoints.listNotifications, async (request) => notifications.listNotifications(request.principal, request.query));
  registerEndpoint(app, endpoints.markNotificationRead, async (request) => notifications.markRead(request.principal, request.params.id));
  registerEndpoint(app, endpoints.markAllNotificationsRead, async (request) => notifications.markAllRead(request.principal));
}
