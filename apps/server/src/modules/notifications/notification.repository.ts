import {
  type Notification,
  type NotificationReason,
  notificationKindOfReason,
  type PrincipalKind,
  type TaskStatus,
} from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import { precompileQuery } from '../../db/precompiled-query.js';
import type { NotificationTable } from '../../db/schema.js';

export async function insertNotifications(executor: DatabaseExecutor, rows: Insertable<NotificationTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await executor.insertInto('notifications').values(rows).execute();
}

export interface ListNotificationsFilter {
  workspaceId: string;
  recipientKind: PrincipalKind;
  recipientId: string;
  unreadOnly: boolean;
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first. */
// Heartbeats list unread notifications every time: compiled once per shape (see precompileQuery).
const listNotificationsQuery = precompileQuery(
  (
    executor: DatabaseExecutor,
    workspaceId: string,
    recipientKind: PrincipalKind,
    recipientId: string,
    unreadOnly: boolean,
    beforeId: string | undefined,
    limit: number,
  ) => {
    let query = executor
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_id', '=', recipientId)
      .where('recipient_kind', '=', recipientKind)
      .where('workspace_id', '=', workspaceId);
    if (unreadOnly) query = query.where('read_at', 'is', null);
    if (beforeId) query = query.where('id', '<', beforeId);
    return query.orderBy('id', 'desc').limit(limit);
  },
);

export function listNotifications(executor: DatabaseExecutor, filter: ListNotificationsFilter) {
  return listNotificationsQuery(
    executor,
    filter.workspaceId,
    filter.recipientKind,
    filter.recipientId,
    filter.unreadOnly,
    filter.beforeId,
    filter.limit,
  );
}

export function findNotificationOfRecipient(
  executor: DatabaseExecutor,
  workspaceId: string,
  recipientKind: PrincipalKind,
  recipientId: string,
  notificationId: string,
) {
  return executor
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', notificationId)
    .where('workspace_id', '=', workspaceId)
    .where('recipient_kind', '=', recipientKind)
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
}

export async function markNotificationRead(executor: DatabaseExecutor, notificationId: string, at: string): Promise<void> {
  await executor.updateTable('notifications').set({ read_at: at }).where('id', '=', notificationId).where('read_at', 'is', null).execute();
}

export async function markNotificationsDelivered(
  executor: DatabaseExecutor,
  notificationIds: readonly string[],
  at: string,
): Promise<void> {
  await executor
    .updateTable('notifications')
    .set({ delivered_at: at })
    .where('id', 'in', notificationIds)
    .where('delivered_at', 'is', null)
    .execute();
}

export async function markAllNotificationsRead(
  executor: DatabaseExecutor,
  workspaceId: string,
  recipientKind: PrincipalKind,
  recipientId: string,
  at: string,
): Promise<number> {
  const result = await executor
    .updateTable('notifications')
    .set({ read_at: at })
    .where('recipient_id', '=', recipientId)
    .where('recipient_kind', '=', recipientKind)
    .where('workspace_id', '=', workspaceId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countUnreadNotifications(
  executor: DatabaseExecutor,
  workspaceId: string,
  recipientKind: PrincipalKind,
  recipientId: string,
): Promise<number> {
  const [row] = await countUnreadNotificationsQuery(executor, workspaceId, recipientKind, recipientId);
  return Number(row?.count ?? 0);
}

const countUnreadNotificationsQuery = precompileQuery(
  (executor: DatabaseExecutor, workspaceId: string, recipientKind: PrincipalKind, recipientId: string) =>
    executor
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('recipient_id', '=', recipientId)
      .where('recipient_kind', '=', recipientKind)
      .where('workspace_id', '=', workspaceId)
      .where('read_at', 'is', null),
);

export function toNotification(row: Selectable<NotificationTable>): Notification {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    recipient: { kind: row.recipient_kind, id: row.recipient_id },
    taskId: row.task_id,
    reason: row.reason,
    kind: row.kind ?? notificationKindOfReason(row.reason),
    content: row.content,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    createdAt: row.created_at,
  };
}

/** Every notification of a person, in every workspace, oldest first (their data export). */
export function listNotificationsOfPerson(executor: DatabaseExecutor, userId: string) {
  return executor
    .selectFrom('notifications')
    .selectAll()
    .where('recipient_kind', '=', 'user')
    .where('recipient_id', '=', userId)
    .orderBy('id', 'asc')
    .execute();
}

/** Erasure: a person's notifications, in one workspace or every one (null). */
export async function deleteNotificationsOfPerson(executor: DatabaseExecutor, userId: string, workspaceId: string | null): Promise<void> {
  let query = executor.deleteFrom('notifications').where('recipient_kind', '=', 'user').where('recipient_id', '=', userId);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  await query.execute();
}

/** Notifications by id, whoever they are for (the channel fan-out reads what the stream announced). */
export function findNotificationsByIds(executor: DatabaseExecutor, notificationIds: readonly string[]) {
  if (notificationIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('notifications').selectAll().where('id', 'in', notificationIds).execute();
}

/**
 * Retention: up to `limit` notifications of the workspace with one of `reasons`, created before
 * `before`, whose task is gone or has one of `taskStatuses`; oldest first.
 */
export async function listNotificationIdsBefore(
  executor: DatabaseExecutor,
  filter: {
    workspaceId: string;
    reasons: readonly NotificationReason[];
    before: string;
    taskStatuses: readonly TaskStatus[];
    limit: number;
  },
): Promise<string[]> {
  const rows = await executor
    .selectFrom('notifications')
    .select('notifications.id')
    .where('notifications.workspace_id', '=', filter.workspaceId)
    .where('notifications.created_at', '<', filter.before)
    .where('notifications.reason', 'in', filter.reasons)
    .where((eb) =>
      eb.or([
        eb('notifications.task_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('tasks')
            .select('tasks.id')
            .whereRef('tasks.id', '=', 'notifications.task_id')
            .where('tasks.status', 'in', filter.taskStatuses),
        ),
      ]),
    )
    .orderBy('notifications.created_at')
    .orderBy('notifications.id')
    .limit(filter.limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Retention: deletes these notifications of the workspace and their pending digest items; answers how many notifications went. */
export async function deleteNotificationsByIds(
  executor: DatabaseExecutor,
  workspaceId: string,
  notificationIds: readonly string[],
): Promise<number> {
  if (notificationIds.length === 0) return 0;
  await executor
    .deleteFrom('notification_digest_items')
    .where('workspace_id', '=', workspaceId)
    .where('notification_id', 'in', notificationIds)
    .execute();
  const result = await executor
    .deleteFrom('notifications')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', notificationIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
