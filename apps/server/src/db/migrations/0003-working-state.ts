import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Every version of each workspace's WORKING.md notes. The primary key on (workspace_id, version)
 * is what makes optimistic concurrency safe: of two writers that read the same version, only one
 * can insert the next.
 */
export function createWorkingStateMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('working_state_versions')
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('notes', 'text', (column) => column.notNull())
        .addColumn('author_kind', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('working_state_versions_pk', ['workspace_id', 'version'])
        .execute();
    },
  };
}
