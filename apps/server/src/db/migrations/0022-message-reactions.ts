import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Emoji reactions on messages. The primary key is the "one reaction per person per emoji" rule,
 * so reacting twice is a no-op at the database, not a race between two requests.
 */
export function createMessageReactionsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('message_reactions')
        // UUIDv7: orders reactions made in the same instant.
        .addColumn('id', 'text', (column) => column.notNull().unique())
        .addColumn('message_id', 'text', (column) => column.notNull().references('messages.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('emoji', 'text', (column) => column.notNull())
        .addColumn('reactor_kind', 'text', (column) => column.notNull())
        .addColumn('reactor_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('message_reactions_pk', ['message_id', 'emoji', 'reactor_kind', 'reactor_id'])
        .execute();
    },
  };
}
