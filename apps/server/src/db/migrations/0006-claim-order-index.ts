import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * claim-next reads the inbox by priority, due date (dated first), then age. Without an index in
 * exactly that order every claim sorted the whole backlog (50,000 tasks: tens of milliseconds on
 * SQLite, under a lock); with it the database walks the index and stops at the first claimable
 * row. The expression must stay identical to the ORDER BY in task-claim.repository.ts.
 */
export function createClaimOrderIndexMigration(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`create index tasks_claim_order_idx on tasks (workspace_id, status, priority_rank desc, (case when due_at is null then 1 else 0 end), due_at, id)`.execute(
        db,
      );
      // Pages of the board (the list API, WORKING.md) go newest first by id; the board index
      // (workspace, status, priority) made every page sort the workspace's tasks first.
      await sql`create index tasks_workspace_page_idx on tasks (workspace_id, id)`.execute(db);
    },
  };
}
