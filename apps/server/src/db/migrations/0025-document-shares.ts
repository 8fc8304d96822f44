import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Read-only links to documents. Only the SHA-256 of a link's token is stored (unique, the lookup
 * of every view); a link goes with its document.
 */
export function createDocumentSharesMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('document_shares')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('document_id', 'text', (column) => column.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (column) => column.notNull().unique())
        .addColumn('token_prefix', 'text', (column) => column.notNull())
        .addColumn('created_by_kind', 'text', (column) => column.notNull())
        .addColumn('created_by_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('expires_at', timestamp)
        .addColumn('revoked_at', timestamp)
        .addColumn('view_count', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('last_viewed_at', timestamp)
        .execute();
      await db.schema
        .createIndex('document_shares_document_idx')
        .on('document_shares')
        .columns(['workspace_id', 'document_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('document_shares').execute();
    },
  };
}
