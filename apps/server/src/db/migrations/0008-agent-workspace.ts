import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * A built-in agent may be given a git repository to work in (file, patch and command tools over
 * its task's worktree). The settings are read with the rest of the runtime row at every turn, so
 * they live on it, as one JSON value: NULL means no workspace.
 */
export function createAgentWorkspaceMigration(engine: Engine): Migration {
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('agent_runtimes').addColumn('workspace', json).execute();
    },
  };
}
