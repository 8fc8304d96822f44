import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Board moves counted per quarter-hour slot, kept by triggers on the events table so the count
 * changes in the same transaction as the event (never behind, never ahead). Throughput over a
 * month then reads a few thousand rollup rows instead of every task event of the month.
 * `to_status` and `agent_id` use '' for "none": a primary key cannot hold nulls on PostgreSQL.
 */
export function createThroughputRollupMigration(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('board_move_slots')
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        // Seconds since the epoch / 900.
        .addColumn('slot', 'integer', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('to_status', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('moves', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint('board_move_slots_pk', ['workspace_id', 'slot', 'type', 'to_status', 'agent_id'])
        .execute();

      if (engine === 'postgres') {
        const slotOf = (row: string) => `floor(extract(epoch from ${row}.created_at) / 900)::integer`;
        const keyOf = (row: string) =>
          `${row}.workspace_id, ${slotOf(row)}, ${row}.type, coalesce(${row}.data->>'to', ''), coalesce(case when ${row}.actor_kind = 'agent' then ${row}.actor_id end, '')`;
        await sql`
          create function count_board_move() returns trigger language plpgsql as $$
          begin
            if tg_op = 'INSERT' then
              if new.type in ('task-created', 'task-status-changed') then
                insert into board_move_slots (workspace_id, slot, type, to_status, agent_id, moves)
                values (${sql.raw(keyOf('new'))}, 1)
                on conflict (workspace_id, slot, type, to_status, agent_id) do update set moves = board_move_slots.moves + 1;
              end if;
              return new;
            end if;
            if old.type in ('task-created', 'task-status-changed') then
              update board_move_slots set moves = moves - 1
              where (workspace_id, slot, type, to_status, agent_id) = (${sql.raw(keyOf('old'))});
            end if;
            return old;
          end
          $$`.execute(db);
        await sql`create trigger events_board_move_slots after insert or delete on events for each row execute function count_board_move()`.execute(
          db,
        );
        // After the trigger: creating it locks out writers until this migration commits, so no
        // event lands between the backfill and the trigger.
        await sql`
          insert into board_move_slots (workspace_id, slot, type, to_status, agent_id, moves)
          select ${sql.raw(keyOf('events'))}, count(*) from events
          where type in ('task-created', 'task-status-changed') group by 1, 2, 3, 4, 5`.execute(db);
        return;
      }

      const slotOf = (row: string) => `cast(strftime('%s', ${row}.created_at) as integer) / 900`;
      const keyOf = (row: string) =>
        `${row}.workspace_id, ${slotOf(row)}, ${row}.type, coalesce(json_extract(${row}.data, '$.to'), ''), coalesce(case when ${row}.actor_kind = 'agent' then ${row}.actor_id end, '')`;
      await sql`
        insert into board_move_slots (workspace_id, slot, type, to_status, agent_id, moves)
        select ${sql.raw(keyOf('events'))}, count(*) from events
        where type in ('task-created', 'task-status-changed') group by 1, 2, 3, 4, 5`.execute(db);
      await sql`
        create trigger events_board_move_slots_insert after insert on events
        when new.type in ('task-created', 'task-status-changed')
        begin
          insert into board_move_slots (workspace_id, slot, type, to_status, agent_id, moves)
          values (${sql.raw(keyOf('new'))}, 1)
          on conflict (workspace_id, slot, type, to_status, agent_id) do update set moves = moves + 1;
        end`.execute(db);
      await sql`
        create trigger events_board_move_slots_delete after delete on events
        when old.type in ('task-created', 'task-status-changed')
        begin
          update board_move_slots set moves = moves - 1
          where (workspace_id, slot, type, to_status, agent_id) = (${sql.raw(keyOf('old'))});
        end`.execute(db);
    },
  };
}
