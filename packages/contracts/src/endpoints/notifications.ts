import { idParamsSchema } from '../common.js';
import { listNotificationsQuerySchema, markAllReadResultSchema, notificationPageSchema, notificationSchema } from '../notifications.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'notifications';

export const listNotifications = defineEndpoint({
  operationId: 'listNotifications',
  method: 'GET',
  path: '/api/v1/notifications',
  tag,
  auth: 'any',
  summary: 'Your notifications, newest first, with the unread count',
  description:
    'What is addressed to the caller (a person or an agent): assignments, @mentions, replies and status changes. `unread=true` keeps only unread ones; every page carries the total `unreadCount`. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listNotificationsQuerySchema,
  responses: { 200: { description: 'A page of notifications', schema: notificationPageSchema } },
  errors: [],
});

export const markNotificationRead = defineEndpoint({
  operationId: 'markNotificationRead',
  method: 'PUT',
  path: '/api/v1/notifications/{id}/read',
  tag,
  auth: 'any',
  summary: 'Mark one notification read',
  description:
    'Only the recipient marks a notification; one addressed to someone else answers 404. Marking it again keeps the first read time.',
  params: idParamsSchema,
  responses: { 200: { description: 'The notification, read', schema: notificationSchema } },
  errors: ['NOTIFICATION_NOT_FOUND'],
});

export const markAllNotificationsRead = defineEndpoint({
  operationId: 'markAllNotificationsRead',
  method: 'POST',
  path: '/api/v1/notifications/mark-all-read',
  tag,
  auth: 'any',
  summary: 'Mark all your notifications read',
  description: 'Marks every unread notification addressed to the caller and answers how many changed (0 when none was unread).',
  responses: { 200: { description: 'How many notifications changed', schema: markAllReadResultSchema } },
  errors: [],
});
