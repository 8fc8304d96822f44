import { z } from 'zod';
import { idSchema, pageQuerySchema, pageSchema, principalReferenceSchema, timestampSchema } from './common.js';
import { notificationKindSchema } from './notification-preferences.js';

export const notificationReasonSchema = z.enum(['assigned', 'mentioned', 'reply', 'status', 'system']);
export type NotificationReason = z.infer<typeof notificationReasonSchema>;

export const notificationSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    recipient: principalReferenceSchema,
    taskId: idSchema.nullable(),
    reason: notificationReasonSchema,
    kind: notificationKindSchema.describe('What it is about, for preferences (mention, assignment, review-requested, …)'),
    content: z.string(),
    deliveredAt: z.iso.datetime({ offset: true }).nullable(),
    readAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = pageQuerySchema.extend({
  // Clients pass a boolean; the server receives the text "true" or "false".
  unread: z
    .preprocess((value: boolean | 'true' | 'false') => (value === 'true' ? true : value === 'false' ? false : value), z.boolean())
    .optional()
    .describe('true for unread only'),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuerySchema>;

/** A page of the caller's notifications, with how many are unread in all. */
export const notificationPageSchema = pageSchema(notificationSchema).extend({ unreadCount: z.number().int() });
export type NotificationPage = z.infer<typeof notificationPageSchema>;

export const markAllReadResultSchema = z.object({ updated: z.number().int() });
