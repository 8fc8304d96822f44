import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { DocumentShareTable } from '../../db/schema.js';

export type DocumentShareRow = Selectable<DocumentShareTable>;

export async function insertDocumentShare(executor: DatabaseExecutor, row: Insertable<DocumentShareTable>): Promise<void> {
  await executor.insertInto('document_shares').values(row).execute();
}

export function listSharesOfDocument(executor: DatabaseExecutor, workspaceId: string, documentId: string) {
  return executor
    .selectFrom('document_shares')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('document_id', '=', documentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findDocumentShare(executor: DatabaseExecutor, workspaceId: string, documentId: string, shareId: string) {
  return executor
    .selectFrom('document_shares')
    .selectAll()
    .where('id', '=', shareId)
    .where('document_id', '=', documentId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** Marks the link revoked unless it already is; false when it was. */
export async function revokeDocumentShareRow(executor: DatabaseExecutor, shareId: string, revokedAt: string): Promise<boolean> {
  const result = await executor
    .updateTable('document_shares')
    .set({ revoked_at: revokedAt })
    .where('id', '=', shareId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Counts a view of the link with this token hash, when it is neither revoked nor expired at
 * `now`, in one statement (concurrent views all count). Answers the link as it is after the
 * view, or undefined when no usable link has the hash.
 */
export function recordDocumentShareView(executor: DatabaseExecutor, tokenHash: string, now: string) {
  return executor
    .updateTable('document_shares')
    .set((update) => ({ view_count: update('view_count', '+', 1), last_viewed_at: now }))
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((where) => where.or([where('expires_at', 'is', null), where('expires_at', '>', now)]))
    .returningAll()
    .executeTakeFirst();
}
