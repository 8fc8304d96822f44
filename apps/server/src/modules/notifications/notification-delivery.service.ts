import {
  type ExternalNotificationChannel,
  externalNotificationChannelSchema,
  type ListNotificationDeliveriesQuery,
  type NotificationDelivery,
  type Page,
  type PrincipalKind,
  type PrincipalReference,
} from '@mission-control/contracts';
import type { Selectable } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import type { NotificationTable } from '../../db/schema.js';
import { listEventsAfter, toActivity } from '../../events/event.repository.js';
import { advanceEventCursor, findEventCursor } from '../../events/event-cursor.repository.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { NewDelivery, OutboundService } from '../integrations/outbound/outbound.service.js';
import type { UserService } from '../users/user.service.js';
import { findNotificationsByIds, toNotification } from './notification.repository.js';
import { composeChatBody, composeEmail, type MessageItem } from './notification-messages.js';
import {
  findOpenDigestBatch,
  findPreferencesOf,
  findWorkspaceChannels,
  insertDigestItems,
  listDueDigestBatches,
  type NotificationChannelRow,
  type NotificationPreferenceRow,
  readPreferenceSettings,
  takeDueDigestItems,
} from './notification-preference.repository.js';
import { resolveKindPreferences } from './notification-preference.service.js';
import { scheduleNormalNotification } from './notification-schedule.js';

/** The event cursor of the channel fan-out (created by migration 0014 at the head of the stream). */
export const channelCursorName = 'notification-channels';

/** Thrown inside the fan-out's transaction when another instance handled the same events first. */
class HandledElsewhere extends Error {}

type NotificationRow = Selectable<NotificationTable>;

/** Who a message goes to, read before the transaction that queues it. */
interface RecipientProfile {
  name: string;
  email: string | null;
}

/** Where one channel of one recipient goes now, or null when it cannot go anywhere. */
type Destination = { channel: 'email'; to: string } | { channel: 'slack' | 'discord'; sealedUrl: string; addressee: string | null };

export type NotificationDeliveryService = ReturnType<typeof createNotificationDeliveryService>;

/**
 * Takes notifications beyond the inbox: follows `notification-created` events from a durable
 * cursor and, per the recipient's preferences, queues an email, Slack or Discord message at once
 * (urgent, or nothing holds it back) or adds it to a digest batch (quiet hours, a digest), which
 * `flushDigests` sends as one message when its time comes. Every message goes through the
 * durable sender, so it is retried and logged like a webhook.
 */
export function createNotificationDeliveryService(
  context: ServiceContext,
  dependencies: { outbound: OutboundService; users: UserService; agents: AgentService },
  options: { publicUrl: string; emailAvailable: boolean; batchSize?: number },
) {
  const { db, clock } = context;
  const { outbound } = dependencies;
  const batchSize = options.batchSize ?? 500;

  async function loadProfiles(workspaceId: string, recipients: readonly PrincipalReference[]): Promise<Map<string, RecipientProfile>> {
    const profiles = new Map<string, RecipientProfile>();
    const userIds = recipients.filter((recipient) => recipient.kind === 'user').map((recipient) => recipient.id);
    for (const user of await dependencies.users.findUsers([...new Set(userIds)]))
      profiles.set(`user:${user.id}`, { name: user.name, email: user.email });
    for (const recipient of recipients.filter((candidate) => candidate.kind === 'agent')) {
      const agent = await dependencies.agents.findLiveAgent(workspaceId, recipient.id);
      if (agent) profiles.set(`agent:${agent.id}`, { name: agent.name, email: null });
    }
    return profiles;
  }

  function destinationOf(
    channel: ExternalNotificationChannel,
    preferences: NotificationPreferenceRow | undefined,
    workspaceChannels: NotificationChannelRow | undefined,
    profile: RecipientProfile | undefined,
  ): Destination | null {
    if (channel === 'email') {
      const to = preferences?.email_address ?? profile?.email ?? null;
      return options.emailAvailable && to ? { channel, to } : null;
    }
    const personal = channel === 'slack' ? preferences?.slack_webhook_url : preferences?.discord_webhook_url;
    if (personal) return { channel, sealedUrl: personal, addressee: null };
    const shared = channel === 'slack' ? workspaceChannels?.slack_webhook_url : workspaceChannels?.discord_webhook_url;
    return shared ? { channel, sealedUrl: shared, addressee: profile?.name ?? null } : null;
  }

  function toDelivery(
    workspaceId: string,
    recipient: PrincipalReference,
    destination: Destination,
    items: readonly MessageItem[],
    dedupeKey: string,
  ): NewDelivery {
    const payload =
      destination.channel === 'email'
        ? { to: destination.to, ...composeEmail(items, options.publicUrl) }
        : { url: destination.sealedUrl, body: composeChatBody(destination.channel, items, options.publicUrl, destination.addressee) };
    return {
      workspaceId,
      channel: destination.channel,
      targetId: `${recipient.kind}:${recipient.id}`,
      dedupeKey,
      eventType: items.length === 1 ? `notification.${items[0]?.kind ?? 'system'}` : 'notification.digest',
      payload,
    };
  }

  function toItem(row: NotificationRow): MessageItem {
    const notification = toNotification(row);
    return { kind: notification.kind, content: notification.content, taskId: notification.taskId, createdAt: notification.createdAt };
  }

  /** Queues what the notifications of one workspace need, in the fan-out's transaction. */
  async function fanOut(
    executor: DatabaseExecutor,
    workspaceId: string,
    rows: readonly NotificationRow[],
    profiles: ReadonlyMap<string, RecipientProfile>,
    now: Date,
  ) {
    const recipients = rows.map((row) => ({ kind: row.recipient_kind, id: row.recipient_id }));
    const preferenceRows = await findPreferencesOf(executor, workspaceId, recipients);
    const preferencesOf = (kind: PrincipalKind, id: string) =>
      preferenceRows.find((row) => row.recipient_kind === kind && row.recipient_id === id);
    const workspaceChannels = await findWorkspaceChannels(executor, workspaceId);
    const deliveries: NewDelivery[] = [];
    for (const row of rows) {
      const recipient = { kind: row.recipient_kind, id: row.recipient_id };
      const stored = preferencesOf(recipient.kind, recipient.id);
      const settings = readPreferenceSettings(stored);
      const item = toItem(row);
      const preference = resolveKindPreferences(settings)[item.kind];
      for (const channel of preference.channels) {
        if (channel === 'in-app') continue;
        const destination = destinationOf(channel, stored, workspaceChannels, profiles.get(`${recipient.kind}:${recipient.id}`));
        if (!destination) continue;
        const sendAfter =
          preference.priority === 'urgent'
            ? null
            : scheduleNormalNotification(
                now,
                settings,
                await findOpenDigestBatch(executor, workspaceId, recipient, channel).then((at) => (at ? new Date(at) : undefined)),
              );
        if (sendAfter === null) {
          deliveries.push(toDelivery(workspaceId, recipient, destination, [item], `notification:${row.id}:${channel}`));
          continue;
        }
        await insertDigestItems(executor, [
          {
            id: createId(),
            workspace_id: workspaceId,
            recipient_kind: recipient.kind,
            recipient_id: recipient.id,
            channel,
            notification_id: row.id,
            send_after: sendAfter.toISOString(),
            created_at: now.toISOString(),
          },
        ]);
      }
    }
    await outbound.enqueue(executor, deliveries);
  }

  return {
    /** The caller's email, Slack and Discord deliveries, newest first, with their attempts. */
    async listNotificationDeliveries(principal: Principal, query: ListNotificationDeliveriesQuery): Promise<Page<NotificationDelivery>> {
      const deliveries = await outbound.listDeliveries({
        workspaceId: principal.workspaceId,
        channel: externalNotificationChannelSchema.options,
        targetId: `${principal.kind}:${principal.id}`,
        status: query.status,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(
        deliveries,
        query.limit,
        ({ row, attempts }) => ({
          id: row.id,
          channel: externalNotificationChannelSchema.parse(row.channel),
          eventType: row.event_type,
          status: row.status,
          attemptCount: row.attempt_count,
          nextAttemptAt: row.next_attempt_at,
          lastStatusCode: row.last_status_code,
          lastError: row.last_error,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          attempts,
        }),
        (delivery) => delivery.row.id,
      );
    },

    /** Handles the notifications announced since the cursor; answers how many it looked at. */
    async dispatchNotifications(): Promise<number> {
      const cursor = await findEventCursor(db, channelCursorName);
      if (cursor === undefined) return 0;
      const events = await listEventsAfter(db, { afterSeq: cursor, limit: batchSize });
      const last = events[events.length - 1];
      if (!last) return 0;
      const announced = events.map(toActivity).flatMap((activity) => (activity.type === 'notification-created' ? [activity] : []));
      const rows = await findNotificationsByIds(
        db,
        announced.map((activity) => activity.data.notificationId),
      );
      const byWorkspace = new Map<string, NotificationRow[]>();
      for (const row of rows) byWorkspace.set(row.workspace_id, [...(byWorkspace.get(row.workspace_id) ?? []), row]);
      // Profiles are read through other services before the transaction, which must not call them.
      const profiles = new Map<string, RecipientProfile>();
      for (const [workspaceId, workspaceRows] of byWorkspace) {
        for (const [key, profile] of await loadProfiles(
          workspaceId,
          workspaceRows.map((row) => ({ kind: row.recipient_kind, id: row.recipient_id })),
        )) {
          profiles.set(key, profile);
        }
      }
      const now = clock.now();
      try {
        await db.transaction().execute(async (trx) => {
          if (!(await advanceEventCursor(trx, channelCursorName, cursor, last.seq, now.toISOString()))) throw new HandledElsewhere();
          for (const [workspaceId, workspaceRows] of byWorkspace) await fanOut(trx, workspaceId, workspaceRows, profiles, now);
        });
      } catch (error) {
        if (error instanceof HandledElsewhere) return 0;
        throw error;
      }
      return announced.length;
    },

    /** Sends every digest batch whose time has come as one message per recipient and channel; answers how many. */
    async flushDigests(): Promise<number> {
      const now = clock.now();
      const batches = await listDueDigestBatches(db, now.toISOString(), 100);
      let sent = 0;
      for (const batch of batches) {
        const recipient = { kind: batch.recipient_kind, id: batch.recipient_id };
        const profiles = await loadProfiles(batch.workspace_id, [recipient]);
        const queued = await db.transaction().execute(async (trx) => {
          const items = await takeDueDigestItems(trx, batch, now.toISOString());
          if (items.length === 0) return 0;
          const notifications = await findNotificationsByIds(
            trx,
            items.map((item) => item.notification_id),
          );
          const [stored] = await findPreferencesOf(trx, batch.workspace_id, [recipient]);
          const destination = destinationOf(
            batch.channel,
            stored?.recipient_kind === recipient.kind ? stored : undefined,
            await findWorkspaceChannels(trx, batch.workspace_id),
            profiles.get(`${recipient.kind}:${recipient.id}`),
          );
          if (!destination || notifications.length === 0) return 0;
          const ordered = [...notifications].sort((left, right) => left.id.localeCompare(right.id));
          const dedupeKey = `digest:${[...items].sort((left, right) => left.id.localeCompare(right.id))[0]?.id}:${batch.channel}`;
          return outbound.enqueue(trx, [toDelivery(batch.workspace_id, recipient, destination, ordered.map(toItem), dedupeKey)]);
        });
        sent += queued;
      }
      return sent;
    },
  };
}
