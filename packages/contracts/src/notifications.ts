import { z } from 'zod';
import { idSchema, pageQuerySchema, principalReferenceSchema, timestampSchema } from './common.js';

export const notificationReasonSchema = z.enum(['assigned', 'mentioned', 'reply', 'status', 'system']);
export type NotificationReason = z.infer<typeof notificationReasonSchema>;

export const notificationSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    recipient: principalReferenceSchema,
    taskId: idSchema.nullable(),
    reason: notificationReasonSchema,
    content: z.string(),
    deliveredAt: z.iso.datetime({ offset: true }).nullable(),
    readAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = pageQuerySchema.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('true for unread only'),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuerySchema>;

export const markAllReadResultSchema = z.object({ updated: z.number().int() });
