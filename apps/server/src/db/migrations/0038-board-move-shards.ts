import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/** How many rows one (workspace, quarter hour, move) count is spread over on PostgreSQL. */
export const boardMoveShardCount = 16;

/**
 * The throughput rollup of migration 0020 kept one row per workspace, quarter hour and move, so
 * every transaction creating a task in a workspace upserted the same row and held its lock until
 * commit: concurrent creators queued on it (issue 14, decision 0035). On PostgreSQL each count is
 * now spread over `boardMoveShardCount` rows, picked by the writing transaction's id; readers
 * already sum. SQLite has one writer, so it gets the column (one schema) and keeps shard 0.
 * No `down`: the server only ever migrates up, and a shard cannot be told apart once summed.
 */
export function createBoardMoveShardsMigration(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('board_move_slots')
        .addColumn('shard', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
      if (engine !== 'postgres') return;
      await sql`alter table board_move_slots drop constraint board_move_slots_pk`.execute(db);
      await sql`alter table board_move_slots add constraint board_move_slots_pk
        primary key (workspace_id, slot, type, to_status, agent_id, shard)`.execute(db);
      const slotOf = (row: string) => `floor(extract(epoch from ${row}.created_at) / 900)::integer`;
      const keyOf = (row: string) =>
        `${row}.workspace_id, ${slotOf(row)}, ${row}.type, coalesce(${row}.data->>'to', ''), coalesce(case when ${row}.actor_kind = 'agent' then ${row}.actor_id end, '')`;
      // The transaction's own id picks the shard: one transaction always adds to one row, and
      // transactions running at the same time mostly add to different ones.
      await sql`
        create or replace function count_board_move() returns trigger language plpgsql as $$
        begin
          if tg_op = 'INSERT' then
            if new.type in ('task-created', 'task-status-changed') then
              insert into board_move_slots (workspace_id, slot, type, to_status, agent_id, shard, moves)
              values (${sql.raw(keyOf('new'))}, (pg_current_xact_id()::text::bigint % ${sql.raw(String(boardMoveShardCount))})::integer, 1)
              on conflict (workspace_id, slot, type, to_status, agent_id, shard) do update set moves = board_move_slots.moves + 1;
            end if;
            return new;
          end if;
          if old.type in ('task-created', 'task-status-changed') then
            update board_move_slots set moves = moves - 1
            where ctid = (
              select ctid from board_move_slots
              where (workspace_id, slot, type, to_status, agent_id) = (${sql.raw(keyOf('old'))}) and moves > 0
              limit 1
              for update
            );
          end if;
          return old;
        end
        $$`.execute(db);
    },
  };
}
