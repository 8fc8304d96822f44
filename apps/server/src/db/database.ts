import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type Dialect, Kysely, PostgresDialect, type RawBuilder, type SqlBool, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import * as sqliteVec from 'sqlite-vec';
import type { Tracing } from '../tracing/tracing.js';
import { CommitSignal, withCommitSignal } from './commit-signal.js';
import { PreparingClient } from './postgres-prepared.js';
import { createPrivateDirectory, preparePrivateFile, restrictToOwner } from './private-files.js';
import { routeToRequestTransaction } from './request-transaction.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type Engine = 'sqlite' | 'postgres';
export type DatabaseExecutor = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  /** Stands for the current request's transaction inside one (see request-transaction.ts), the database elsewhere. */
  db: Kysely<Database>;
  engine: Engine;
  /** Where the SQLite file lives; undefined on PostgreSQL. */
  file?: string;
  /** Fires after every committed transaction. */
  commits: CommitSignal;
  /** The PostgreSQL connection string, for LISTEN connections; undefined on SQLite. */
  databaseUrl?: string;
  postgresSchema?: string;
  /** The PostgreSQL pool's connections right now (system metrics); undefined on SQLite. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL when set, SQLite otherwise. */
  databaseUrl?: string | undefined;
  /** Holds mission.db when running on SQLite. */
  dataDirectory: string;
  /** PostgreSQL schema to use (tests give each file its own). */
  postgresSchema?: string;
  postgresPoolSize?: number;
  /** A span per statement when tracing is on; nothing is wrapped otherwise. */
  tracing?: Tracing | undefined;
}

const timestampTypeId = 1184;
const timestampWithoutZoneTypeId = 1114;
const bigintTypeId = 20;

function createPostgresTypes() {
  const parseTimestamp = pg.types.getTypeParser(timestampTypeId);
  return {
    getTypeParser(typeId: number, format?: 'text' | 'binary') {
      if (typeId === timestampTypeId || typeId === timestampWithoutZoneTypeId) {
        return (value: string) => {
          const parsed: unknown = parseTimestamp(value);
          // pg answers a Date for every finite timestamp; 'infinity' is never written by Mission Control.
          if (!(parsed instanceof Date)) throw new Error(`PostgreSQL answered a timestamp Mission Control cannot read: ${value}`);
          return parsed.toISOString();
        };
      }
      // Sequences and counts fit comfortably in a double for the lifetime of a deployment.
      if (typeId === bigintTypeId) return (value: string) => Number(value);
      return pg.types.getTypeParser(typeId, format);
    },
  };
}

function traceStatements(dialect: Dialect, engine: Engine, tracing: Tracing | undefined): Dialect {
  return tracing ? tracing.wrapDialect(dialect, engine) : dialect;
}

/** Opens Kysely on PostgreSQL when a URL is given, else on a WAL-mode SQLite file in the data directory. */
export function openDatabase(options: OpenDatabaseOptions): DatabaseHandle {
  const commits = new CommitSignal();
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.postgresPoolSize ?? 10,
      types: createPostgresTypes(),
      // Statements prepared once per connection (postgres-prepared.ts).
      Client: PreparingClient,
      // A schema of its own (tests): parallel workers are off because they re-resolve the search
      // path from scratch and trip over schemas other test files drop concurrently.
      ...(options.postgresSchema ? { options: `-c search_path=${options.postgresSchema} -c max_parallel_workers_per_gather=0` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const dialect = traceStatements(new PostgresDialect({ pool }), 'postgres', options.tracing);
    const db = routeToRequestTransaction(new Kysely<Database>({ dialect: withCommitSignal(dialect, commits) }));
    return {
      db,
      engine: 'postgres',
      commits,
      databaseUrl: options.databaseUrl,
      ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }

  createPrivateDirectory(options.dataDirectory);
  const file = path.join(options.dataDirectory, 'mission.db');
  // The file holds the signing key: 0600 before SQLite opens it. SQLite gives the -wal and -shm
  // files the mode of the database file; they are set here too, for files an older version left.
  preparePrivateFile(file);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  for (const companion of [`${file}-wal`, `${file}-shm`]) restrictToOwner(companion);
  // NORMAL in WAL mode survives a process crash; only an OS crash can drop the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // A bounded WAL: checkpoint into the database every ~4 MB of commits (SQLite's default, set so
  // it is a decision), and after a checkpoint cut the file back to 16 MiB, which one large
  // transaction (an import, a retention sweep) would otherwise leave behind for good.
  sqlite.pragma(`wal_autocheckpoint = ${sqliteWalCheckpointPages}`);
  sqlite.pragma(`journal_size_limit = ${sqliteWalSizeLimitBytes}`);
  sqlite.pragma('foreign_keys = ON');
  // vec_distance_cosine and friends, for memory retrieval by embedding.
  sqliteVec.load(sqlite);
  const dialect = traceStatements(new SqliteDialect({ database: withStatementCache(sqlite) }), 'sqlite', options.tracing);
  const db = routeToRequestTransaction(new Kysely<Database>({ dialect: withCommitSignal(dialect, commits) }));
  return {
    db,
    engine: 'sqlite',
    file,
    commits,
    close: async () => {
      await db.destroy();
    },
  };
}

/** Pages of WAL after which a commit checkpoints them into the database file. */
export const sqliteWalCheckpointPages = 1_000;
/** What the WAL file is cut back to once checkpointed. */
export const sqliteWalSizeLimitBytes = 16 * 1024 * 1024;

// Kept here too: readers import it from database.js, where it always lived.
export { parseJsonColumn } from './json-column.js';

/** Escapes LIKE wildcards so user text matches literally. */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** A case-insensitive "column contains text" condition, written for the engine in use. */
export function containsText(engine: Engine, column: string, text: string): RawBuilder<SqlBool> {
  const pattern = `%${escapeLikePattern(text)}%`;
  return engine === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} ilike ${pattern} escape '\\'`
    : sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
