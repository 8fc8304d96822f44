import {
  type ListNotificationsQuery,
  type Notification,
  type NotificationKind,
  type NotificationReason,
  notificationKindOfReason,
  type Page,
  type PrincipalReference,
  type TaskStatus,
} from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import {
  countUnreadNotifications,
  deleteNotificationsByIds,
  deleteNotificationsOfPerson,
  findNotificationOfRecipient,
  insertNotifications,
  listNotificationIdsBefore,
  listNotifications,
  listNotificationsOfPerson,
  markAllNotificationsRead,
  markNotificationRead,
  markNotificationsDelivered,
  toNotification,
} from './notification.repository.js';
import { findPreferencesOf, readPreferenceSettings } from './notification-preference.repository.js';

export interface NotificationRequest {
  recipient: PrincipalReference;
  taskId: string | null;
  reason: NotificationReason;
  /** What it is about, for preferences; follows from the reason when left out. */
  kind?: NotificationKind;
  content: string;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

function kindOf(request: NotificationRequest): NotificationKind {
  return request.kind ?? notificationKindOfReason(request.reason);
}

/** `kind:id:notification-kind` of every kind a recipient muted (only recipients with stored preferences are read). */
async function findMutedKinds(
  executor: DatabaseExecutor,
  workspaceId: string,
  requests: readonly NotificationRequest[],
): Promise<Set<string>> {
  const muted = new Set<string>();
  if (requests.length === 0) return muted;
  const rows = await findPreferencesOf(
    executor,
    workspaceId,
    requests.map((request) => request.recipient),
  );
  for (const row of rows) {
    for (const [kind, preference] of Object.entries(readPreferenceSettings(row).kinds)) {
      if (preference?.muted) muted.add(`${row.recipient_kind}:${row.recipient_id}:${kind}`);
    }
  }
  return muted;
}

export function createNotificationService(context: ServiceContext) {
  const { db, clock } = context;
  // Marking notifications read writes no event; those who keep unread counts are told here.
  const readListeners = new Set<(recipient: PrincipalReference) => void>();
  const tellRead = (principal: Principal) => {
    for (const listener of readListeners) listener({ kind: principal.kind, id: principal.id });
  };

  return {
    /** Every notification of a person, in every workspace (their data export). */
    async listNotificationsOfPerson(userId: string): Promise<Notification[]> {
      return (await listNotificationsOfPerson(db, userId)).map(toNotification);
    },

    /**
     * Retention, in the caller's transaction: deletes up to `limit` notifications of mentions and
     * replies (their text quotes what was written) created before `before`, whose task is gone or
     * has one of `taskStatuses`, with their pending digest items. Answers how many went; no event.
     */
    async deleteQuotingNotificationsBefore(
      executor: DatabaseExecutor,
      workspaceId: string,
      filter: { before: string; taskStatuses: readonly TaskStatus[]; limit: number },
    ): Promise<number> {
      const ids = await listNotificationIdsBefore(executor, { workspaceId, reasons: ['mentioned', 'reply'], ...filter });
      return deleteNotificationsByIds(executor, workspaceId, ids);
    },

    /** Erasure, in the caller's transaction: the person's notifications here (or everywhere: null). */
    async deleteNotificationsOfPerson(executor: DatabaseExecutor, userId: string, workspaceId: string | null): Promise<void> {
      await deleteNotificationsOfPerson(executor, userId, workspaceId);
    },

    /**
     * Notifies recipients inside the caller's transaction, so a notification exists exactly when
     * the change that caused it does. The actor is never notified of their own action.
     */
    async notifyInTransaction(
      executor: DatabaseExecutor,
      workspaceId: string,
      actor: PrincipalReference | null,
      requests: NotificationRequest[],
    ): Promise<Notification[]> {
      const now = clock.now();
      const seen = new Set<string>();
      const muted = await findMutedKinds(executor, workspaceId, requests);
      const rows = requests
        .filter((request) => !(actor && request.recipient.kind === actor.kind && request.recipient.id === actor.id))
        .filter((request) => !muted.has(`${request.recipient.kind}:${request.recipient.id}:${kindOf(request)}`))
        .filter((request) => {
          const key = `${request.recipient.kind}:${request.recipient.id}:${request.taskId}:${request.reason}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .map((request) => ({
          id: createId(),
          workspace_id: workspaceId,
          recipient_kind: request.recipient.kind,
          recipient_id: request.recipient.id,
          task_id: request.taskId,
          reason: request.reason,
          kind: kindOf(request),
          content: request.content,
          delivered_at: null,
          read_at: null,
          created_at: now.toISOString(),
        }));
      await insertNotifications(executor, rows);
      for (const row of rows) {
        await appendEvent(executor, {
          workspaceId,
          type: 'notification-created',
          actor,
          taskId: row.task_id,
          agentId: row.recipient_kind === 'agent' ? row.recipient_id : null,
          // The content speaks to its recipient ("you were…"); the feed entry speaks about them.
          summary: `${row.recipient_kind} notified (${row.reason}): ${row.content.replace(/^You /, 'they ')}`,
          data: { notificationId: row.id, recipient: { kind: row.recipient_kind, id: row.recipient_id }, reason: row.reason },
          at: now,
        });
      }
      return rows.map(toNotification);
    },

    async listNotifications(principal: Principal, query: ListNotificationsQuery): Promise<Page<Notification> & { unreadCount: number }> {
      const rows = await listNotifications(db, {
        workspaceId: principal.workspaceId,
        recipientKind: principal.kind,
        recipientId: principal.id,
        unreadOnly: query.unread === true,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const unreadCount = await countUnreadNotifications(db, principal.workspaceId, principal.kind, principal.id);
      return { ...toPage(rows, query.limit, toNotification, (row) => row.id), unreadCount };
    },

    async markRead(principal: Principal, notificationId: string): Promise<Notification> {
      const row = await findNotificationOfRecipient(db, principal.workspaceId, principal.kind, principal.id, notificationId);
      if (!row) throw new AppError('NOTIFICATION_NOT_FOUND', 'No notification with this id is addressed to you.');
      if (row.read_at) return toNotification(row);
      const at = clock.now().toISOString();
      await markNotificationRead(db, notificationId, at);
      tellRead(principal);
      return toNotification({ ...row, read_at: at });
    },

    /** Unread count and the latest unread notifications of any recipient in a workspace. */
    async listUnreadOf(workspaceId: string, recipient: PrincipalReference, limit: number) {
      const [rows, unreadCount] = await Promise.all([
        listNotifications(db, {
          workspaceId,
          recipientKind: recipient.kind,
          recipientId: recipient.id,
          unreadOnly: true,
          limit,
        }),
        countUnreadNotifications(db, workspaceId, recipient.kind, recipient.id),
      ]);
      return { unreadCount, latest: rows.map(toNotification) };
    },

    /** Calls the listener after a recipient marked notifications read (on this instance). */
    onRecipientRead(listener: (recipient: PrincipalReference) => void): () => void {
      readListeners.add(listener);
      return () => readListeners.delete(listener);
    },

    /** Records that notifications reached their recipient's socket. */
    async markDelivered(notificationIds: readonly string[]): Promise<void> {
      if (notificationIds.length === 0) return;
      await markNotificationsDelivered(db, notificationIds, clock.now().toISOString());
    },

    async markAllRead(principal: Principal): Promise<{ updated: number }> {
      const updated = await markAllNotificationsRead(db, principal.workspaceId, principal.kind, principal.id, clock.now().toISOString());
      tellRead(principal);
      return { updated };
    },
  };
}
