// Test support: a database connection of its own, which sees only what other connections committed.
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/database.js';

export interface Observer {
  count(table: string): Promise<number>;
  rows(table: string): Promise<Record<string, unknown>[]>;
  /**
   * Resolves once a statement of another connection waits for a lock (PostgreSQL), or after the
   * event loop went round a few times (SQLite, whose one connection per process shows no waits).
   */
  waitUntilBlocked(): Promise<void>;
  /** Every row of every table as text (PostgreSQL's row-to-text cast; SQLite's columns joined). */
  dumpEveryTable(): Promise<string>;
  close(): Promise<void>;
}

const tableNamePattern = /^[a-z_][a-z0-9_]*$/;
const namesSchema = z.array(z.string().regex(tableNamePattern));
const countSchema = z.object({ count: z.coerce.number() });

function checkedTable(table: string): string {
  if (!tableNamePattern.test(table)) throw new Error(`not a table name: ${table}`);
  return table;
}

/** Opens the observer on the test database's file (SQLite, read-only) or schema (PostgreSQL). */
export async function observeCommitted(
  database: Pick<DatabaseHandle, 'engine' | 'file' | 'databaseUrl' | 'postgresSchema'>,
): Promise<Observer> {
  if (database.engine === 'sqlite') {
    if (!database.file) throw new Error('the SQLite database has no file');
    const reader = new SqliteDatabase(database.file, { readonly: true, fileMustExist: true });
    const rows = async (table: string) =>
      z.array(z.record(z.string(), z.unknown())).parse(reader.prepare(`select * from "${checkedTable(table)}"`).all());
    return {
      count: async (table) => countSchema.parse(reader.prepare(`select count(*) as count from "${checkedTable(table)}"`).get()).count,
      rows,
      async waitUntilBlocked() {
        for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      },
      async dumpEveryTable() {
        const tables = namesSchema.parse(
          reader.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all(),
        );
        const parts: string[] = [];
        for (const table of tables)
          for (const row of await rows(table)) parts.push(`${table}: ${Object.values(row).map(String).join(' | ')}`);
        return parts.join('\n');
      },
      close: async () => {
        reader.close();
      },
    };
  }
  const client = new pg.Client({
    connectionString: database.databaseUrl,
    ...(database.postgresSchema ? { options: `-c search_path=${database.postgresSchema}` } : {}),
  });
  await client.connect();
  return {
    count: async (table) => countSchema.parse((await client.query(`select count(*) as count from ${checkedTable(table)}`)).rows[0]).count,
    rows: async (table) =>
      z.array(z.record(z.string(), z.unknown())).parse((await client.query(`select * from ${checkedTable(table)}`)).rows),
    async waitUntilBlocked() {
      for (let attempt = 0; attempt < 500; attempt += 1) {
        const waiting = await client.query(
          "select count(*) as count from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and pid <> pg_backend_pid()",
        );
        if (countSchema.parse(waiting.rows[0]).count > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('no statement of another connection came to wait for a lock');
    },
    async dumpEveryTable() {
      const tables = namesSchema.parse(
        (
          await client.query<{ name: string }>(
            "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
          )
        ).rows.map((row) => row.name),
      );
      const parts: string[] = [];
      for (const table of tables) {
        const result = await client.query<{ line: string }>(`select t::text as line from ${checkedTable(table)} t`);
        for (const row of result.rows) parts.push(`${table}: ${row.line}`);
      }
      return parts.join('\n');
    },
    close: () => client.end(),
  };
}
