import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';

export type Engine = 'sqlite' | 'postgres';

export const ownerEmail = 'bench@example.com';
export const ownerPassword = 'bench password that is long enough';
export const postgresBaseUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.MISSION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Direct SQL for seeding and checking: the benchmarks set up large states without going through the API. */
export interface SqlRunner {
  engine: Engine;
  query(text: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs the statements of `work` in one transaction. */
  transaction(work: () => Promise<void>): Promise<void>;
  placeholder(index: number): string;
  /** Refreshes the planner's statistics of a table after seeding (PostgreSQL; SQLite keeps none unless asked). */
  analyze(table: string): Promise<void>;
  close(): Promise<void>;
}

export interface BenchDatabase {
  engine: Engine;
  /** What the server needs to open this database (and nothing else of the bench's environment). */
  environment: Record<string, string>;
  connect(): SqlRunner;
  drop(): Promise<void>;
}

/** A fresh database per scenario: a temporary SQLite directory, or a PostgreSQL database of its own. */
export async function createBenchDatabase(engine: Engine): Promise<BenchDatabase> {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-bench-'));
  const environment: Record<string, string> = {
    MISSION_DATA_DIR: dataDirectory,
    MISSION_ADMIN_EMAIL: ownerEmail,
    MISSION_ADMIN_PASSWORD: ownerPassword,
    LOG_LEVEL: 'warn',
    MISSION_LOG_PRETTY: 'false',
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    // The benchmarks measure the API, not the limiter refusing it.
    MISSION_RATE_LIMIT_PER_MINUTE: '1000000000',
    MISSION_LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  if (engine === 'sqlite') {
    return {
      engine,
      environment,
      connect: () => connectSqlite(path.join(dataDirectory, 'mission.db')),
      drop: async () => fs.rmSync(dataDirectory, { recursive: true, force: true }),
    };
  }
  const name = `mc_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresBaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresBaseUrl);
  url.pathname = `/${name}`;
  environment.DATABASE_URL = url.toString();
  return {
    engine,
    environment,
    connect: () => connectPostgres(url.toString()),
    async drop() {
      fs.rmSync(dataDirectory, { recursive: true, force: true });
      const cleaner = new pg.Client({ connectionString: postgresBaseUrl });
      await cleaner.connect();
      await cleaner.query(`drop database if exists ${name} with (force)`);
      await cleaner.end();
    },
  };
}

function connectSqlite(file: string): SqlRunner {
  const database = new SqliteDatabase(file);
  database.pragma('busy_timeout = 10000');
  return {
    engine: 'sqlite',
    async query(text, parameters = []) {
      const statement = database.prepare(text);
      const values = parameters.map((value) => (value instanceof Date ? value.toISOString() : value));
      if (statement.reader) return statement.all(...values) as Record<string, unknown>[];
      statement.run(...values);
      return [];
    },
    async transaction(work) {
      database.exec('begin immediate');
      try {
        await work();
        database.exec('commit');
      } catch (error) {
        database.exec('rollback');
        throw error;
      }
    },
    placeholder: () => '?',
    analyze: async () => {},
    close: async () => {
      database.close();
    },
  };
}

function connectPostgres(url: string): SqlRunner {
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  return {
    engine: 'postgres',
    async query(text, parameters = []) {
      await connected;
      return (await client.query(text, parameters)).rows as Record<string, unknown>[];
    },
    async transaction(work) {
      await connected;
      await client.query('begin');
      try {
        await work();
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    placeholder: (index) => `$${index}`,
    async analyze(table) {
      await connected;
      await client.query(`analyze ${table}`);
    },
    close: () => client.end(),
  };
}

function toColumnValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  // jsonb comes back parsed from PostgreSQL; it goes in as JSON text.
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** Inserts `count` copies of a template row, changed by `vary`, in batches of multi-row INSERTs in one transaction. */
export async function cloneRows(
  runner: SqlRunner,
  table: string,
  template: Record<string, unknown>,
  count: number,
  vary: (row: Record<string, unknown>, index: number) => Record<string, unknown>,
): Promise<void> {
  const columns = Object.keys(template);
  const batchSize = Math.max(1, Math.floor(30_000 / columns.length));
  await runner.transaction(async () => {
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      const parameters: unknown[] = [];
      const rows: string[] = [];
      for (let index = start; index < end; index += 1) {
        const row = { ...template, ...vary({ ...template }, index) };
        const placeholders = columns.map((column) => {
          parameters.push(toColumnValue(row[column]));
          return runner.placeholder(parameters.length);
        });
        rows.push(`(${placeholders.join(', ')})`);
      }
      await runner.query(`insert into ${table} (${columns.join(', ')}) values ${rows.join(', ')}`, parameters);
    }
  });
  // Without fresh statistics PostgreSQL plans a 50,000-row table as if it were empty (a page
  // query then costs 45 ms instead of 1 ms); autovacuum would catch up only later.
  await runner.analyze(table);
}

export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `mc_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, 11), hash: createHash('sha256').update(secret).digest('base64url') };
}

export { uuidv7 };
