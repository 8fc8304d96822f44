import { markAllReadResultSchema, type Notification, notificationSchema, pageSchema } from '@mission-control/contracts';
import { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Options of `notifications.list`. */
export interface ListNotificationsOptions {
  /** Only unread notifications. */
  unread?: boolean;
  /** Items per page (1–200). */
  limit?: number;
}

const notificationPageSchema = pageSchema(notificationSchema).extend({ unreadCount: z.number().int() });

/** A page of notifications, with how many are unread in all. */
export type NotificationPage = z.infer<typeof notificationPageSchema>;

/** The caller's notifications (`/notifications`). */
export class NotificationsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.notifications`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists the caller's notifications, newest first; each page also carries `unreadCount`. */
  list(options: ListNotificationsOptions = {}): PageIterator<Notification, NotificationPage> {
    return new PageIterator((cursor) =>
      this.context.transport.request({
        method: 'GET',
        path: '/notifications',
        query: { ...options, cursor },
        schema: notificationPageSchema,
      }),
    );
  }

  /** Marks one notification read. */
  markRead(notificationId: string): Promise<Notification> {
    return this.context.transport.request({
      method: 'PUT',
      path: `/notifications/${encodeURIComponent(notificationId)}/read`,
      schema: notificationSchema,
    });
  }

  /** Marks all of the caller's notifications read; answers how many changed. */
  async markAllRead(): Promise<number> {
    const answer = await this.context.transport.request({
      method: 'POST',
      path: '/notifications/mark-all-read',
      schema: markAllReadResultSchema,
    });
    return answer.updated;
  }
}
