import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestDatabase, type TestDatabase } from '../test/test-server.js';

/** Named indexes of a table (not the ones SQLite makes for primary keys and unique constraints). */
async function listIndexes(database: TestDatabase, table: string): Promise<string[]> {
  const rows =
    database.engine === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(database.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = ${table}
          and indexname not like '%_pkey' and indexname not like '%_key'`.execute(database.db);
  return rows.rows.map((row) => row.name).sort();
}

async function planOf(database: TestDatabase, statement: string): Promise<string> {
  const rows = await sql<{ detail: string }>`explain query plan ${sql.raw(statement)}`.execute(database.db);
  return rows.rows.map((row) => row.detail).join('\n');
}

describeEachEngine('indexes of the tables every write touches (decision 0027)', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('keeps on tasks and events only the indexes a query uses (SQLite), all of them on PostgreSQL', async () => {
    const droppedOnSqlite = { tasks: ['tasks_board_idx'], events: ['events_actor_idx', 'events_agent_idx'] };
    const tasks = await listIndexes(database, 'tasks');
    const events = await listIndexes(database, 'events');
    expect(tasks).toEqual(
      [
        'tasks_claim_order_idx',
        'tasks_lease_expiry_idx',
        'tasks_lease_holder_idx',
        'tasks_parent_idx',
        'tasks_workspace_page_idx',
        ...(engine === 'postgres' ? ['tasks_number_unique', ...droppedOnSqlite.tasks] : []),
      ].sort(),
    );
    expect(events).toEqual(
      [
        'events_task_idx',
        'events_workspace_idx',
        'events_workspace_time_idx',
        'events_workspace_type_time_idx',
        ...(engine === 'postgres' ? droppedOnSqlite.events : []),
      ].sort(),
    );
  });

  if (engine === 'sqlite') {
    it('still plans the queries that used the dropped indexes on an index', async () => {
      expect(
        await planOf(
          database,
          `select status, count(*) from tasks where workspace_id = 'w' and status in ('inbox', 'assigned') group by status`,
        ),
      ).toMatch(/SEARCH tasks USING COVERING INDEX tasks_claim_order_idx \(workspace_id=\? AND status=\?\)/);
      expect(
        await planOf(
          database,
          `select * from events where workspace_id = 'w' and seq < 10 and (agent_id = 'a' or actor_id = 'a') order by seq desc limit 50`,
        ),
      ).toMatch(/SEARCH events USING INDEX events_workspace_idx \(workspace_id=\? AND seq<\?\)/);
    });
  }
});
