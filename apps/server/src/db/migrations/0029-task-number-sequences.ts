import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * PostgreSQL (decision 0027): task numbers come from one sequence per workspace,
 * `task_numbers_<workspace id without dashes>`, instead of `workspaces.task_counter`, whose row
 * lock made concurrent creators in one workspace queue for the whole of their transactions.
 * Existing workspaces get a sequence continuing after their highest task number; a trigger drops a
 * workspace's sequence with the workspace. The unique (workspace_id, number) constraint stays.
 * SQLite keeps the counter (one writer).
 */
export function createTaskNumberSequencesMigration(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
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
      if (engine !== 'postgres') return;
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
