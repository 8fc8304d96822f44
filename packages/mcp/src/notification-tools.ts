import { idSchema, markAllReadResultSchema, notificationSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool } from './agent-tools.js';
import { invalidInput, runTool, toolResult } from './results.js';
import { idempotentTool, readOnlyTool } from './tool-annotations.js';

/** list_notifications, mark_notifications_read. */
export function createNotificationTools(client: MissionControl): AgentTool[] {
  return [
    defineAgentTool({
      name: 'list_notifications',
      title: 'List notifications',
      description:
        'List your notifications (mentions, assignments, replies, status changes), newest first; unread only by default. Returns them with ids to mark read and the task each is about.',
      inputSchema: { unreadOnly: z.boolean().default(true).describe('Only unread notifications') },
      outputSchema: { unreadCount: z.number().int(), notifications: z.array(notificationSchema) },
      annotations: readOnlyTool,
      run: ({ unreadOnly }) =>
        runTool(async () => {
          const page = await client.notifications.list({ ...(unreadOnly ? { unread: true } : {}), limit: 50 }).page();
          return toolResult(
            `${page.unreadCount} unread notification(s).`,
            page.data.map((notification) => ({
              id: notification.id,
              reason: notification.reason,
              taskId: notification.taskId,
              content: notification.content,
              read: notification.readAt !== null,
              createdAt: notification.createdAt,
            })),
            { unreadCount: page.unreadCount, notifications: page.data },
          );
        }),
    }),

    defineAgentTool({
      name: 'mark_notifications_read',
      title: 'Mark notifications read',
      description:
        'Mark notifications read once you have dealt with them: the given ids, or all of them with all: true. Returns how many changed.',
      inputSchema: {
        notificationIds: z.array(idSchema).max(100).optional(),
        all: z.boolean().optional().describe('Mark every notification read'),
      },
      outputSchema: markAllReadResultSchema.shape,
      annotations: idempotentTool,
      run: ({ notificationIds, all }) =>
        runTool(async () => {
          if (all) {
            const updated = await client.notifications.markAllRead();
            return toolResult(`Marked ${updated} notification(s) read.`, undefined, { updated });
          }
          if (!notificationIds?.length) return invalidInput('give notificationIds, or all: true.');
          for (const id of notificationIds) await client.notifications.markRead(id);
          return toolResult(`Marked ${notificationIds.length} notification(s) read.`, undefined, { updated: notificationIds.length });
        }),
    }),
  ];
}
