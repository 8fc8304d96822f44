import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Files attached to tasks and messages. The metadata lives in `attachments`; the bytes are stored
 * once per SHA-256. On PostgreSQL they go in `attachment_contents` so every instance sees them; on
 * SQLite (one instance) they are private files in the data directory and the table is not made.
 */
export function createAttachmentsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('attachments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('task_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('message_id', 'text', (column) => column.references('messages.id').onDelete('cascade'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('size', 'integer', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('sha256', 'text', (column) => column.notNull())
        .addColumn('uploaded_by_kind', 'text', (column) => column.notNull())
        .addColumn('uploaded_by_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('attachments_task_idx').on('attachments').columns(['task_id', 'created_at']).execute();
      if (engine === 'postgres') {
        await db.schema
          .createTable('attachment_contents')
          .addColumn('sha256', 'text', (column) => column.primaryKey())
          .addColumn('content', 'bytea', (column) => column.notNull())
          .execute();
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('attachments').execute();
      if (engine === 'postgres') await db.schema.dropTable('attachment_contents').execute();
    },
  };
}
