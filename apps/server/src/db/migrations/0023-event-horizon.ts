import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * PostgreSQL only (decision 0020): `mission_event_horizon()` answers the lowest event seq that may
 * still be taken or committed by a transaction in progress. Readers by seq read only below it, so
 * writers commit concurrently and no reader moves its cursor past a late-committing lower seq.
 *
 * Each event-writing transaction holds, until it ends, a shared advisory lock whose key carries a
 * lower bound of its first seq (the events sequence's next value, read before its first insert)
 * and a tag from the sequence's oid (schemas side by side in one database do not hold each other
 * back; a tag shared by chance only delays, never reorders). The function reads, in this order, the
 * sequence's next value and then the lowest bound published in pg_locks; the caller's next
 * statement (a fresh snapshot, READ COMMITTED) reads the rows. SQLite has one writer: no change.
 */
export function createEventHorizonMigration(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`
        create function mission_event_horizon() returns bigint
        language plpgsql volatile as $body$
        declare
          tag bigint := 'events_seq_seq'::regclass::oid::bigint & 32767;
          next_seq bigint;
          oldest bigint;
        begin
          if current_setting('transaction_isolation') <> 'read committed' then
            raise exception 'mission_event_horizon() needs READ COMMITTED: the rows must be read with a snapshot taken after it';
          end if;
          select case when is_called then last_value + 1 else last_value end into next_seq from events_seq_seq;
          select min(((classid::bigint & 65535) << 32) | objid::bigint) into oldest
            from pg_locks
           where locktype = 'advisory'
             and objsubid = 1
             and database = (select oid from pg_database where datname = current_database())
             and (classid::bigint >> 16) = tag
             and pid is distinct from pg_backend_pid();
          return least(next_seq, coalesce(oldest, next_seq));
        end
        $body$`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`drop function if exists mission_event_horizon()`.execute(db);
    },
  };
}
