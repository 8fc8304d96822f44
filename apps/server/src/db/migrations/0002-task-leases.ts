import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Task leases (claim with a fencing token) and agent presence deadlines. */
export function createTaskLeasesMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('tasks').addColumn('lease_token', 'text').execute();
      await db.schema.alterTable('tasks').addColumn('lease_holder_kind', 'text').execute();
      await db.schema.alterTable('tasks').addColumn('lease_holder_id', 'text').execute();
      await db.schema.alterTable('tasks').addColumn('lease_expires_at', timestamp).execute();
      await db.schema.alterTable('tasks').addColumn('lease_seconds', 'integer').execute();
      await db.schema.createIndex('tasks_lease_holder_idx').on('tasks').columns(['lease_holder_id', 'lease_expires_at']).execute();
      await db.schema.createIndex('tasks_lease_expiry_idx').on('tasks').column('lease_expires_at').execute();
      // When an agent that is not offline must have been heard from again; indexed for the sweep.
      await db.schema.alterTable('agents').addColumn('presence_deadline_at', timestamp).execute();
      await db.schema.createIndex('agents_presence_deadline_idx').on('agents').columns(['status', 'presence_deadline_at']).execute();
    },
  };
}
