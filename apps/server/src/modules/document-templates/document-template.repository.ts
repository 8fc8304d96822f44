import type { DocumentTemplate } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { DocumentTemplateTable } from '../../db/schema.js';

type DocumentTemplateRow = Selectable<DocumentTemplateTable>;

export async function insertDocumentTemplate(executor: DatabaseExecutor, row: Insertable<DocumentTemplateTable>): Promise<void> {
  await executor.insertInto('document_templates').values(row).execute();
}

export function listDocumentTemplates(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('document_templates').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
}

export function findDocumentTemplate(executor: DatabaseExecutor, workspaceId: string, templateId: string) {
  return executor
    .selectFrom('document_templates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', templateId)
    .executeTakeFirst();
}

export function toDocumentTemplate(row: DocumentTemplateRow): DocumentTemplate {
  return { id: row.id, name: row.name, description: row.description, type: row.type, content: row.content, builtIn: false };
}
