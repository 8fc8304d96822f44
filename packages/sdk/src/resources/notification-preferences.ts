import { endpoints, type NotificationChannels, type NotificationDelivery, type NotificationPreferences } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Options of `notificationPreferences.deliveries`: a status to keep, and the page size. */
export type ListNotificationDeliveriesOptions = Omit<z.input<typeof endpoints.listNotificationDeliveries.query>, 'cursor'>;

/** What `notificationPreferences.update` takes: only the fields to change (null removes a URL or an address). */
export type UpdateNotificationPreferencesOptions = z.input<typeof endpoints.updateNotificationPreferences.body>;
/** What `notificationPreferences.updateWorkspaceChannels` takes. */
export type UpdateNotificationChannelsOptions = z.input<typeof endpoints.updateNotificationChannels.body>;

/** The caller's notification preferences and the workspace's shared channels (`/notification-preferences`, `/notification-channels`). */
export class NotificationPreferencesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.notificationPreferences`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The caller's preferences, defaults filled in; Slack and Discord URLs masked. */
  get(): Promise<NotificationPreferences> {
    return this.context.transport.call(endpoints.getNotificationPreferences);
  }

  /** Changes the caller's preferences; `kinds` changes only the kinds it names. */
  update(input: UpdateNotificationPreferencesOptions): Promise<NotificationPreferences> {
    return this.context.transport.call(endpoints.updateNotificationPreferences, { body: input });
  }

  /** The emails and Slack/Discord messages sent to the caller, newest first, with every attempt. */
  deliveries(options: ListNotificationDeliveriesOptions = {}): PageIterator<NotificationDelivery> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listNotificationDeliveries, { query: { ...options, cursor } }),
    );
  }

  /** The workspace's shared Slack and Discord channels, masked. */
  workspaceChannels(): Promise<NotificationChannels> {
    return this.context.transport.call(endpoints.getNotificationChannels);
  }

  /** Sets the workspace's shared channels (owners and admins). */
  updateWorkspaceChannels(input: UpdateNotificationChannelsOptions): Promise<NotificationChannels> {
    return this.context.transport.call(endpoints.updateNotificationChannels, { body: input });
  }
}
