import type { Kysely, Migration } from 'kysely';

/**
 * One summary call per agent across instances (issue 16): before calling an agent's model to
 * summarise its memories, an instance takes the agent's row here with a conditional upsert; only
 * one instance wins, and the claim expires (claimed_until, milliseconds since the epoch) so a
 * crashed instance does not block the agent for good. Its own table rather than a column of
 * `agents`: the memories module owns it and never writes another module's table.
 */
export function createMemorySummaryClaimsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('memory_summary_claims')
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('claim_token', 'text', (column) => column.notNull())
        .addColumn('claimed_until', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('memory_summary_claims_pkey', ['workspace_id', 'agent_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('memory_summary_claims').execute();
    },
  };
}
