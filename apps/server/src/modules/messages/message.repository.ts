import { attachmentSchema, type Message, type MessageReaction, type PrincipalReference, type TaskStatus } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import type { MessageTable } from '../../db/schema.js';

const attachmentListSchema = z.array(attachmentSchema);

export type MessageRow = Selectable<MessageTable>;

export function findMessage(executor: DatabaseExecutor, workspaceId: string, messageId: string) {
  return executor.selectFrom('messages').selectAll().where('id', '=', messageId).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function insertMessage(executor: DatabaseExecutor, row: Insertable<MessageTable>): Promise<void> {
  await executor.insertInto('messages').values(row).execute();
}

export interface ListMessagesFilter {
  workspaceId: string;
  taskId: string;
  order: 'asc' | 'desc';
  /** The id of the last message of the previous page. */
  afterId?: string | undefined;
  limit: number;
}

/** A task's thread in id order (UUIDv7, so time order); the id is the cursor in either direction. */
export function listMessages(executor: DatabaseExecutor, filter: ListMessagesFilter) {
  let query = executor
    .selectFrom('messages')
    .selectAll()
    .where('task_id', '=', filter.taskId)
    .where('workspace_id', '=', filter.workspaceId);
  if (filter.afterId) query = query.where('id', filter.order === 'asc' ? '>' : '<', filter.afterId);
  return query.orderBy('id', filter.order).limit(filter.limit).execute();
}

/** The authors of a message and of every direct reply to it. */
export async function listThreadAuthors(executor: DatabaseExecutor, workspaceId: string, messageId: string): Promise<PrincipalReference[]> {
  const rows = await executor
    .selectFrom('messages')
    .select(['author_kind', 'author_id'])
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('id', '=', messageId), eb('reply_to_id', '=', messageId)]))
    .execute();
  return rows.map((row) => ({ kind: row.author_kind, id: row.author_id }));
}

export function toMessage(row: MessageRow, reactions: MessageReaction[] = []): Message {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    taskId: row.task_id,
    author: { kind: row.author_kind, id: row.author_id },
    content: row.content,
    type: row.type,
    replyToId: row.reply_to_id,
    attachments: parseJsonColumn(attachmentListSchema, row.attachments, 'messages.attachments'),
    reactions,
    createdAt: row.created_at,
  };
}

/** How many messages were posted in the workspace in [from, to). */
export async function countMessagesBetween(executor: DatabaseExecutor, workspaceId: string, from: string, to: string): Promise<number> {
  const row = await executor
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/**
 * Retention: up to `limit` messages of the workspace posted before `before` on tasks whose status
 * is one of `taskStatuses`, oldest first (the workspace-and-time index, then each task by key).
 */
export function listMessagesPostedBefore(
  executor: DatabaseExecutor,
  filter: { workspaceId: string; before: string; taskStatuses: readonly TaskStatus[]; limit: number },
) {
  return executor
    .selectFrom('messages')
    .innerJoin('tasks', 'tasks.id', 'messages.task_id')
    .select(['messages.id', 'messages.task_id'])
    .where('messages.workspace_id', '=', filter.workspaceId)
    .where('messages.created_at', '<', filter.before)
    .where('tasks.status', 'in', filter.taskStatuses)
    .orderBy('messages.created_at')
    .orderBy('messages.id')
    .limit(filter.limit)
    .execute();
}

/** Retention: deletes these messages of the workspace; a reply to one of them keeps its text and loses the link (replyToId null). */
export async function deleteMessagesByIds(executor: DatabaseExecutor, workspaceId: string, messageIds: readonly string[]): Promise<number> {
  if (messageIds.length === 0) return 0;
  const result = await executor
    .deleteFrom('messages')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', messageIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
