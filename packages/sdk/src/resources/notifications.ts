import { endpoints, type Notification, type NotificationPage } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Options of `notifications.list`: the query of `GET /api/v1/notifications` without the cursor. */
export type ListNotificationsOptions = Omit<z.input<typeof endpoints.listNotifications.query>, 'cursor'>;

/** A page of notifications, with how many are unread in all. */
export type { NotificationPage };

/** The caller's notifications (`/notifications`). */
export class NotificationsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.notifications`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists the caller's notifications, newest first; each page also carries `unreadCount`. */
  list(options: ListNotificationsOptions = {}): PageIterator<Notification, NotificationPage> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listNotifications, { query: { ...options, cursor } }));
  }

  /** Marks one notification read. */
  markRead(notificationId: string): Promise<Notification> {
    return this.context.transport.call(endpoints.markNotificationRead, { params: { id: notificationId } });
  }

  /** Marks all of the caller's notifications read; answers how many changed. */
  async markAllRead(): Promise<number> {
    return (await this.context.transport.call(endpoints.markAllNotificationsRead)).updated;
  }
}
