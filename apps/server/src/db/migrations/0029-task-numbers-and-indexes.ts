import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * PostgreSQL (decision 0027): task numbers come from one sequence per workspace,
 * `task_numbers_<workspace id without dashes>`, instead of `workspaces.task_counter`, whose row
 * lock made concurrent creators in one workspace queue for the whole of their transactions.
 * Existing workspaces get a sequence continuing after their highest task number; a trigger drops a
 * workspace's sequence with the workspace. The unique (workspace_id, number) constraint stays.
 * SQLite keeps the counter (one writer).
 *
 * SQLite: drops the indexes no query plan uses (the list, index by index, is in decision 0027):
 * every index is written by every insert, and a POST writes a task and an event.
 */
const unusedSqliteIndexes = [
  // A prefix of tasks_claim_order_idx (workspace_id, status, priority_rank desc, …): every plan that
  // used it uses that one with the same search terms.
  { name: 'tasks_board_idx', table: 'tasks', columns: ['workspace_id', 'status', 'priority_rank'] },
  // The feed's "by or about this agent" filter is an OR inside a workspace: SQLite walks
  // events_workspace_idx for it; no other query filters on these columns.
  { name: 'events_agent_idx', table: 'events', columns: ['agent_id', 'seq'] },
  { name: 'events_actor_idx', table: 'events', columns: ['actor_id', 'seq'] },
] as const;

export function createTaskNumbersAndIndexesMigration(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine === 'sqlite') {
        for (const index of unusedSqliteIndexes) await db.schema.dropIndex(index.name).ifExists().execute();
        return;
      }
      await sql`
        do $body$
        declare
          workspace record;
          name text;
        begin
          for workspace in
            select w.id, (select max(t.number) from tasks t where t.workspace_id = w.id) as highest from workspaces w
          loop
            name := 'task_numbers_' || regexp_replace(lower(workspace.id), '[^a-z0-9]', '', 'g');
            execute format('create sequence if not exists %I as bigint minvalue 1', name);
            perform setval(name::regclass, coalesce(workspace.highest, 0) + 1, false);
          end loop;
        end
        $body$`.execute(db);
      await sql`
        create or replace function mission_drop_task_number_sequence() returns trigger
        language plpgsql as $body$
        begin
          execute format('drop sequence if exists %I', 'task_numbers_' || regexp_replace(lower(old.id), '[^a-z0-9]', '', 'g'));
          return old;
        end
        $body$`.execute(db);
      await sql`drop trigger if exists workspaces_drop_task_number_sequence on workspaces`.execute(db);
      await sql`
        create trigger workspaces_drop_task_number_sequence after delete on workspaces
        for each row execute function mission_drop_task_number_sequence()`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine === 'sqlite') {
        for (const index of unusedSqliteIndexes) {
          await db.schema
            .createIndex(index.name)
            .ifNotExists()
            .on(index.table)
            .columns([...index.columns])
            .execute();
        }
        return;
      }
      await sql`drop trigger if exists workspaces_drop_task_number_sequence on workspaces`.execute(db);
      await sql`drop function if exists mission_drop_task_number_sequence()`.execute(db);
      // The counter takes over again from the highest number.
      await sql`
        do $body$
        declare sequence record;
        begin
          for sequence in
            select sequence_name from information_schema.sequences
            where sequence_schema = current_schema() and starts_with(sequence_name, 'task_numbers_')
          loop
            execute format('drop sequence %I', sequence.sequence_name);
          end loop;
        end
        $body$`.execute(db);
      await sql`update workspaces set task_counter = coalesce((select max(number) from tasks where tasks.workspace_id = workspaces.id), 0)`.execute(
        db,
      );
    },
  };
}
