import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { AttachmentTable } from '../../db/schema.js';

export type AttachmentRow = Selectable<AttachmentTable>;

export async function insertAttachment(executor: DatabaseExecutor, row: Insertable<AttachmentTable>): Promise<void> {
  await executor.insertInto('attachments').values(row).execute();
}

export function findAttachment(executor: DatabaseExecutor, workspaceId: string, attachmentId: string) {
  return executor
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export function listAttachmentsOfTask(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  return executor
    .selectFrom('attachments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('task_id', '=', taskId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Stores bytes once per SHA-256 (PostgreSQL only); a second upload of the same bytes changes nothing. */
export async function insertAttachmentContent(executor: DatabaseExecutor, sha256: string, content: Buffer): Promise<void> {
  await executor
    .insertInto('attachment_contents')
    .values({ sha256, content })
    .onConflict((conflict) => conflict.column('sha256').doNothing())
    .execute();
}

export async function findAttachmentContent(executor: DatabaseExecutor, sha256: string): Promise<Buffer | undefined> {
  const row = await executor.selectFrom('attachment_contents').select('content').where('sha256', '=', sha256).executeTakeFirst();
  return row?.content;
}

export async function deleteAttachmentRow(executor: DatabaseExecutor, attachmentId: string): Promise<void> {
  await executor.deleteFrom('attachments').where('id', '=', attachmentId).execute();
}

/** Whether any attachment, in any workspace, still has these bytes (they are stored once per hash). */
export async function isContentReferenced(executor: DatabaseExecutor, sha256: string): Promise<boolean> {
  const row = await executor.selectFrom('attachments').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function deleteAttachmentContent(executor: DatabaseExecutor, sha256: string): Promise<void> {
  await executor.deleteFrom('attachment_contents').where('sha256', '=', sha256).execute();
}

export async function hasAttachmentContent(executor: DatabaseExecutor, sha256: string): Promise<boolean> {
  const row = await executor.selectFrom('attachment_contents').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
  return row !== undefined;
}

/** Retention: deletes the attachments of these messages of the workspace, answering the SHA-256 of each row that went. */
export async function deleteAttachmentsOfMessages(
  executor: DatabaseExecutor,
  workspaceId: string,
  messageIds: readonly string[],
): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await executor
    .deleteFrom('attachments')
    .where('workspace_id', '=', workspaceId)
    .where('message_id', 'in', messageIds)
    .returning('sha256')
    .execute();
  return rows.map((row) => row.sha256);
}
