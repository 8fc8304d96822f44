import {
  errorBodySchema,
  idParamsSchema,
  listNotificationsQuerySchema,
  markAllReadResultSchema,
  notificationSchema,
  pageSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NotificationService } from './notification.service.js';

const tags = ['notifications'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export const notificationRoutes: FastifyPluginAsyncZod<{ notifications: NotificationService }> = async (app, { notifications }) => {
  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: 'Your notifications, newest first, with the unread count',
        querystring: listNotificationsQuerySchema,
        response: { 200: pageSchema(notificationSchema).extend({ unreadCount: z.number().int() }), ...errors },
      },
    },
    async (request) => notifications.listNotifications(request.principal, request.query),
  );

  app.put(
    '/notifications/:id/read',
    {
      schema: { tags, summary: 'Mark one notification read', params: idParamsSchema, response: { 200: notificationSchema, ...errors } },
    },
    async (request) => notifications.markRead(request.principal, request.params.id),
  );

  app.post(
    '/notifications/mark-all-read',
    { schema: { tags, summary: 'Mark all your notifications read', response: { 200: markAllReadResultSchema, ...errors } } },
    async (request) => notifications.markAllRead(request.principal),
  );
};
