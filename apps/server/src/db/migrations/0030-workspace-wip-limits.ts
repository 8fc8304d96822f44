import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Work-in-progress limits per board column (issue 18), on the workspace they belong to: a JSON
 * object of column → limit, empty when none is set. Existing workspaces start with none.
 */
export function createWorkspaceWipLimitsMigration(engine: Engine): Migration {
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('workspaces')
        .addColumn('wip_limits', json, (column) => column.notNull().defaultTo(sql`'{}'`))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('workspaces').dropColumn('wip_limits').execute();
    },
  };
}
