import type { Document, DocumentSummary, DocumentType, DocumentVersion, DocumentVersionSummary } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { containsText, type DatabaseExecutor, type Engine } from '../../db/database.js';
import type { DocumentTable, DocumentVersionTable } from '../../db/schema.js';

export type DocumentRow = Selectable<DocumentTable>;
export type DocumentSummaryRow = Omit<DocumentRow, 'content'>;
export type DocumentVersionRow = Selectable<DocumentVersionTable>;
export type DocumentVersionSummaryRow = Omit<DocumentVersionRow, 'content'>;

// Lists leave the content out: it can be 200 KB a document.
const documentSummaryColumns = [
  'id',
  'workspace_id',
  'task_id',
  'title',
  'type',
  'author_kind',
  'author_id',
  'version',
  'created_at',
  'updated_at',
] as const;
const versionSummaryColumns = [
  'document_id',
  'version',
  'workspace_id',
  'title',
  'type',
  'author_kind',
  'author_id',
  'created_at',
] as const;

export function findDocument(executor: DatabaseExecutor, workspaceId: string, documentId: string) {
  return executor
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export async function insertDocument(executor: DatabaseExecutor, row: Insertable<DocumentTable>): Promise<void> {
  await executor.insertInto('documents').values(row).execute();
}

/**
 * Updates a document only if it is still at the expected version, so that of two concurrent
 * edits of the same version exactly one wins. Answers whether this one did.
 */
export async function updateDocumentAtVersion(
  executor: DatabaseExecutor,
  documentId: string,
  expectedVersion: number,
  changes: Updateable<DocumentTable>,
): Promise<boolean> {
  const result = await executor
    .updateTable('documents')
    .set(changes)
    .where('id', '=', documentId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteDocumentRow(executor: DatabaseExecutor, documentId: string): Promise<void> {
  await executor.deleteFrom('documents').where('id', '=', documentId).execute();
}

export async function insertDocumentVersion(executor: DatabaseExecutor, row: Insertable<DocumentVersionTable>): Promise<void> {
  await executor.insertInto('document_versions').values(row).execute();
}

export interface ListDocumentsFilter {
  workspaceId: string;
  type?: DocumentType | undefined;
  taskId?: string | undefined;
  text?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first; the id (UUIDv7, time-ordered) is the cursor. */
export function listDocuments(executor: DatabaseExecutor, engine: Engine, filter: ListDocumentsFilter): Promise<DocumentSummaryRow[]> {
  let query = executor.selectFrom('documents').select(documentSummaryColumns).where('workspace_id', '=', filter.workspaceId);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.taskId) query = query.where('task_id', '=', filter.taskId);
  if (filter.text) {
    const text = filter.text;
    query = query.where((eb) => eb.or([containsText(engine, 'title', text), containsText(engine, 'content', text)]));
  }
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export interface ListDocumentVersionsFilter {
  workspaceId: string;
  documentId: string;
  beforeVersion?: number | undefined;
  limit: number;
}

/** Newest first; the version number is the cursor. */
export function listDocumentVersions(executor: DatabaseExecutor, filter: ListDocumentVersionsFilter): Promise<DocumentVersionSummaryRow[]> {
  let query = executor
    .selectFrom('document_versions')
    .select(versionSummaryColumns)
    .where('document_id', '=', filter.documentId)
    .where('workspace_id', '=', filter.workspaceId);
  if (filter.beforeVersion !== undefined) query = query.where('version', '<', filter.beforeVersion);
  return query.orderBy('version', 'desc').limit(filter.limit).execute();
}

export function findDocumentVersion(executor: DatabaseExecutor, workspaceId: string, documentId: string, version: number) {
  return executor
    .selectFrom('document_versions')
    .selectAll()
    .where('document_id', '=', documentId)
    .where('version', '=', version)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export function toDocumentSummary(row: DocumentSummaryRow): DocumentSummary {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    taskId: row.task_id,
    title: row.title,
    type: row.type,
    author: { kind: row.author_kind, id: row.author_id },
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDocument(row: DocumentRow): Document {
  return { ...toDocumentSummary(row), content: row.content };
}

export function toDocumentVersionSummary(row: DocumentVersionSummaryRow): DocumentVersionSummary {
  return {
    documentId: row.document_id,
    version: row.version,
    title: row.title,
    type: row.type,
    author: { kind: row.author_kind, id: row.author_id },
    createdAt: row.created_at,
  };
}

export function toDocumentVersion(row: DocumentVersionRow): DocumentVersion {
  return { ...toDocumentVersionSummary(row), content: row.content };
}
