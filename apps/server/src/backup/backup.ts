import fs from 'node:fs';
import readline from 'node:readline';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { z } from 'zod';
import { attachmentDirectoryOf, type Config } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { preparePrivateFile, restrictToOwner } from '../db/private-files.js';
import { triggerMaintainedTables } from '../db/schema.js';
import { syncTaskNumberSequences } from '../db/task-number-sequences.js';
import { copyAttachmentFilesIntoBackup, restoreAttachmentFiles } from './attachment-files.js';

/**
 * Backups of both engines.
 *
 * - SQLite: SQLite's online backup API (better-sqlite3's backup()), a consistent copy taken while
 *   the server keeps running; the backup is itself a SQLite file.
 * - PostgreSQL: a logical dump of Mission Control's tables to JSON lines, read in one
 *   REPEATABLE READ transaction so it is one consistent snapshot. We do not shell out to pg_dump:
 *   it is often missing (or of another major version) where the server runs, and a dump of our own
 *   tables restores into any schema or database.
 *
 * Restore replaces the content of an already migrated database (every instance stopped), in one
 * transaction: it either all lands or nothing changes.
 */

export const backupFormat = 'mission-control-backup';
const migrationTables = new Set(['kysely_migration', 'kysely_migration_lock']);
const derivedTables = new Set(triggerMaintainedTables);
const sqliteMagic = 'SQLite format 3\u0000';

const headerSchema = z.object({
  format: z.literal(backupFormat),
  version: z.literal(1),
  engine: z.literal('postgres'),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.array(z.string()),
});
/** A plucked column of names (tables, migrations) as SQLite answers it. */
const nameListSchema = z.array(z.string());
const rowLineSchema = z.object({ table: z.string().regex(/^[a-z_][a-z0-9_]*$/), row: z.record(z.string(), z.unknown()) });

export interface BackupSummary {
  engine: 'sqlite' | 'postgres';
  file: string;
  /** Rows per table (PostgreSQL), or pages copied (SQLite). */
  tables: Record<string, number>;
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export interface BackupFileOptions {
  /**
   * Where SQLite keeps attachment bytes (the data directory's `attachments`): a SQLite backup
   * carries them in a table of its own, and a restore writes them back there. PostgreSQL keeps
   * them in a table, which its dump already holds.
   */
  attachmentDirectory?: string | undefined;
}

/** Writes a backup of the open database to `file`. */
export async function backupDatabase(handle: DatabaseHandle, file: string, options: BackupFileOptions = {}): Promise<BackupSummary> {
  if (handle.engine === 'sqlite') {
    if (!handle.file) throw new BackupError('The SQLite database has no file to back up.');
    // A connection of its own: the backup API copies page by page while the server keeps writing.
    const source = new SqliteDatabase(handle.file, { readonly: true, fileMustExist: true });
    let tables: Record<string, number>;
    let pages: number;
    try {
      // A backup holds the signing key like the database: 0600 from its first byte on.
      preparePrivateFile(file);
      const progress = await source.backup(file);
      pages = progress.totalPages;
      restrictToOwner(file);
      tables = Object.fromEntries(
        nameListSchema
          .parse(source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all())
          .filter((name) => !migrationTables.has(name))
          .map((name) => [name, Number(source.prepare(`select count(*) from "${name}"`).pluck().get())]),
      );
    } finally {
      source.close();
    }
    const files = copyAttachmentFilesIntoBackup(file, options.attachmentDirectory);
    return { engine: 'sqlite', file, tables: { ...tables, attachment_files: files, pages } };
  }
  return backupPostgres(handle, file);
}

async function listPostgresTables(executor: DatabaseHandle['db']): Promise<string[]> {
  const tables = (
    await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(executor)
  ).rows
    .map((row) => row.table_name)
    .filter((name) => !migrationTables.has(name));
  // Parents before children, so foreign keys hold while rows go in.
  const references = (
    await sql<{ child: string; parent: string }>`
      select child.relname as child, parent.relname as parent
      from pg_constraint constraint_row
      join pg_class child on child.oid = constraint_row.conrelid
      join pg_class parent on parent.oid = constraint_row.confrelid
      join pg_namespace namespace on namespace.oid = child.relnamespace
      where constraint_row.contype = 'f' and namespace.nspname = current_schema()`.execute(executor)
  ).rows;
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const reference of references) if (reference.child === table && reference.parent !== table) visit(reference.parent);
    ordered.push(table);
  };
  for (const table of tables.sort()) visit(table);
  return ordered.filter((table) => tables.includes(table));
}

async function listAppliedMigrations(executor: DatabaseHandle['db']): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(executor);
  return rows.rows.map((row) => row.name);
}

/** bytea values (attachment bytes) as `{ base64 }` in the dump: JSON has no bytes. */
function encodeBinaryValues(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([name, value]) => [name, Buffer.isBuffer(value) ? { base64: value.toString('base64') } : value]),
  );
}

/** A dumped bytea value: `{ base64 }`, or Node's own JSON form of a Buffer in dumps made before that. */
const binaryValueSchema = z.union([
  z.object({ base64: z.string() }).transform((value) => Buffer.from(value.base64, 'base64')),
  z.object({ type: z.literal('Buffer'), data: z.array(z.number().int().min(0).max(255)) }).transform((value) => Buffer.from(value.data)),
]);

async function backupPostgres(handle: DatabaseHandle, file: string): Promise<BackupSummary> {
  preparePrivateFile(file);
  const output = fs.createWriteStream(file, { encoding: 'utf8', mode: 0o600 });
  const write = (line: unknown) =>
    new Promise<void>((resolve, reject) => {
      output.write(`${JSON.stringify(line)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  const counts: Record<string, number> = {};
  try {
    await handle.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        const tables = await listPostgresTables(trx);
        await write({
          format: backupFormat,
          version: 1,
          engine: 'postgres',
          createdAt: new Date().toISOString(),
          migrations: await listAppliedMigrations(trx),
          tables,
        });
        for (const table of tables) {
          counts[table] = 0;
          // Pages in primary-key order (ids are time-ordered): a self-referencing row usually follows its parent.
          for (let offset = 0; ; offset += 1_000) {
            const rows = (
              await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1 limit 1000 offset ${offset}`.execute(trx)
            ).rows;
            for (const row of rows) await write({ table, row: encodeBinaryValues(row) });
            counts[table] += rows.length;
            if (rows.length < 1_000) break;
          }
        }
      });
  } finally {
    await new Promise<void>((resolve) => output.end(resolve));
  }
  return { engine: 'postgres', file, tables: counts };
}

export interface RestoreOptions extends BackupFileOptions {
  /** Replace a database that already holds data (otherwise restore refuses to overwrite it). */
  force?: boolean;
}

/** Replaces the content of the open, migrated database with a backup made by backupDatabase. */
export async function restoreDatabase(handle: DatabaseHandle, file: string, options: RestoreOptions = {}): Promise<BackupSummary> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup at ${file}.`);
  const start = Buffer.alloc(16);
  const descriptor = fs.openSync(file, 'r');
  fs.readSync(descriptor, start, 0, 16, 0);
  fs.closeSync(descriptor);
  const isSqlite = start.toString('latin1') === sqliteMagic;
  if (isSqlite !== (handle.engine === 'sqlite')) {
    throw new BackupError(
      `${file} is a ${isSqlite ? 'SQLite' : 'PostgreSQL'} backup and this server runs on ${handle.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: restore it on the same engine.`,
    );
  }
  if (!options.force && (await holdsData(handle))) {
    throw new BackupError('The database already holds data: stop every instance and pass --force to replace it with the backup.');
  }
  if (handle.engine === 'postgres') return restorePostgres(handle, file);
  const summary = await restoreSqlite(handle, file);
  // After the rows commit: a failed restore leaves the directory as it was.
  return { ...summary, tables: { ...summary.tables, attachment_files: restoreAttachmentFiles(file, options.attachmentDirectory) } };
}

async function holdsData(handle: DatabaseHandle): Promise<boolean> {
  const row = await handle.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

async function restoreSqlite(handle: DatabaseHandle, file: string): Promise<BackupSummary> {
  const backup = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  let backupTables: string[];
  let backupMigrations: string[];
  try {
    if (backup.pragma('integrity_check', { simple: true }) !== 'ok') throw new BackupError(`${file} fails SQLite's integrity check.`);
    backupTables = nameListSchema.parse(
      backup.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all(),
    );
    backupMigrations = nameListSchema.parse(backup.prepare('select name from kysely_migration order by name').pluck().all());
  } finally {
    backup.close();
  }
  await assertMigrationsKnown(handle, backupMigrations);
  const counts: Record<string, number> = {};
  // Kysely's SQLite driver runs on one connection: ATTACH and the copy share it, in one transaction.
  await sql`attach database ${file} as backup`.execute(handle.db);
  try {
    await handle.db.transaction().execute(async (trx) => {
      // Checked at commit instead of per statement: tables are emptied and refilled in any order.
      await sql`pragma defer_foreign_keys = on`.execute(trx);
      const mainTables = (await listSqliteCopyableTables(trx, 'main')).filter((name) => !migrationTables.has(name));
      for (const table of mainTables) await sql`delete from main.${sql.table(table)}`.execute(trx);
      for (const table of mainTables.filter((name) => backupTables.includes(name) && !derivedTables.has(name))) {
        const backupColumns = new Set(
          (await sql<{ name: string }>`select name from pragma_table_info(${table}, 'backup')`.execute(trx)).rows.map((row) => row.name),
        );
        const columns = (await sql<{ name: string }>`select name from pragma_table_info(${table}, 'main')`.execute(trx)).rows
          .map((row) => row.name)
          .filter((name) => backupColumns.has(name));
        const list = sql.join(columns.map((column) => sql.ref(column)));
        const result = await sql`insert into main.${sql.table(table)} (${list}) select ${list} from backup.${sql.table(table)}`.execute(
          trx,
        );
        counts[table] = Number(result.numAffectedRows ?? 0);
      }
      // AUTOINCREMENT counters (the event sequence) continue where the backup's left off.
      if (await hasSqliteSequence(trx)) {
        await sql`delete from main.sqlite_sequence`.execute(trx);
        await sql`insert into main.sqlite_sequence (name, seq) select name, seq from backup.sqlite_sequence`.execute(trx);
      }
    });
  } finally {
    await sql`detach database backup`.execute(handle.db);
  }
  return { engine: 'sqlite', file, tables: counts };
}

/**
 * The tables a restore empties and refills: not the shadow tables of virtual tables (SQLite
 * refuses writes to them), and not full-text indexes, which their triggers rebuild from the rows.
 */
async function listSqliteCopyableTables(executor: DatabaseHandle['db'], schema: 'main' | 'backup'): Promise<string[]> {
  const rows = (
    await sql<{ name: string; type: string }>`select name, type from pragma_table_list where schema = ${schema}`.execute(executor)
  ).rows;
  const definitions = new Map(
    (
      await sql<{ name: string; sql: string | null }>`select name, sql from ${sql.raw(schema)}.sqlite_master where type = 'table'`.execute(
        executor,
      )
    ).rows.map((row) => [row.name, row.sql ?? '']),
  );
  return rows
    .filter((row) => row.type === 'table' || (row.type === 'virtual' && !/using\s+fts5/i.test(definitions.get(row.name) ?? '')))
    .map((row) => row.name)
    .filter((name) => !name.startsWith('sqlite_'));
}

async function hasSqliteSequence(executor: DatabaseHandle['db']): Promise<boolean> {
  const rows = await sql<{ name: string }>`select name from backup.sqlite_master where name = 'sqlite_sequence'`.execute(executor);
  return rows.rows.length > 0;
}

async function assertMigrationsKnown(handle: DatabaseHandle, backupMigrations: string[]): Promise<void> {
  const known = new Set(await listAppliedMigrations(handle.db));
  const unknown = backupMigrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BackupError(`The backup comes from a newer Mission Control (migrations ${unknown.join(', ')}): upgrade before restoring it.`);
  }
}

async function restorePostgres(handle: DatabaseHandle, file: string): Promise<BackupSummary> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = headerSchema.safeParse(first.done ? undefined : JSON.parse(first.value));
  if (!header.success) throw new BackupError(`${file} is not a Mission Control backup.`);
  await assertMigrationsKnown(handle, header.data.migrations);
  const counts: Record<string, number> = {};

  await handle.db.transaction().execute(async (trx) => {
    const tables = await listPostgresTables(trx);
    const unknownTables = header.data.tables.filter((table) => !tables.includes(table));
    if (unknownTables.length > 0) throw new BackupError(`The backup has tables this database lacks: ${unknownTables.join(', ')}.`);
    // The audit log refuses TRUNCATE to the application; a restore replaces it with the backup's.
    await sql`select set_config('mission.backup_restore', 'on', true)`.execute(trx);
    await sql`truncate ${sql.join(tables.map((table) => sql.table(table)))} restart identity cascade`.execute(trx);

    const columnRows = (
      await sql<{ table_name: string; column_name: string; data_type: string }>`
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = current_schema() and is_generated = 'NEVER'`.execute(trx)
    ).rows;
    const columnsOf = (table: string) => columnRows.filter((column) => column.table_name === table);
    const selfReferences = (
      await sql<{ table_name: string; column_name: string }>`
        select child.relname as table_name, attribute.attname as column_name
        from pg_constraint constraint_row
        join pg_class child on child.oid = constraint_row.conrelid
        join pg_namespace namespace on namespace.oid = child.relnamespace
        join pg_attribute attribute on attribute.attrelid = child.oid and attribute.attnum = any(constraint_row.conkey)
        where constraint_row.contype = 'f' and constraint_row.conrelid = constraint_row.confrelid and namespace.nspname = current_schema()`.execute(
        trx,
      )
    ).rows;
    // Rows pointing at rows of their own table get that pointer after the whole table is in.
    const deferred: { table: string; column: string; id: unknown; value: unknown }[] = [];

    let batch: { table: string; rows: Record<string, unknown>[] } | undefined;
    const flush = async () => {
      const first = batch?.rows[0];
      if (!batch || !first) return;
      const { table, rows } = batch;
      const columns = columnsOf(table);
      const known = new Set(columns.map((column) => column.column_name));
      const names = Object.keys(first).filter((name) => known.has(name));
      const isJson = new Set(
        columns.filter((column) => column.data_type === 'jsonb' || column.data_type === 'json').map((c) => c.column_name),
      );
      const isBinary = new Set(columns.filter((column) => column.data_type === 'bytea').map((column) => column.column_name));
      const values = rows.map(
        (row) =>
          sql`(${sql.join(
            names.map((name) => {
              const value = row[name];
              if (value === null || value === undefined) return sql`null`;
              if (isBinary.has(name)) return sql`${binaryValueSchema.parse(value)}`;
              return isJson.has(name) ? sql`${JSON.stringify(value)}::jsonb` : sql`${value}`;
            }),
          )})`,
      );
      await sql`insert into ${sql.table(table)} (${sql.join(names.map((name) => sql.ref(name)))}) values ${sql.join(values)}`.execute(trx);
      counts[table] = (counts[table] ?? 0) + rows.length;
      batch = undefined;
    };

    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (!next.value.trim()) continue;
      const line = rowLineSchema.parse(JSON.parse(next.value));
      if (!tables.includes(line.table)) throw new BackupError(`Unknown table ${line.table} in the backup.`);
      if (derivedTables.has(line.table)) continue;
      for (const reference of selfReferences) {
        if (reference.table_name === line.table && line.row[reference.column_name] != null) {
          deferred.push({ table: line.table, column: reference.column_name, id: line.row.id, value: line.row[reference.column_name] });
          line.row[reference.column_name] = null;
        }
      }
      if (batch && (batch.table !== line.table || batch.rows.length >= 200)) await flush();
      batch ??= { table: line.table, rows: [] };
      batch.rows.push(line.row);
    }
    await flush();
    for (const pointer of deferred) {
      await sql`update ${sql.table(pointer.table)} set ${sql.ref(pointer.column)} = ${pointer.value} where id = ${pointer.id}`.execute(trx);
    }
    // Serial columns (the event sequence) continue after the highest restored value.
    const serials = (
      await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and column_default like 'nextval(%'`.execute(trx)
    ).rows;
    for (const serial of serials) {
      if (migrationTables.has(serial.table_name)) continue;
      await sql`select setval(pg_get_serial_sequence(${serial.table_name}, ${serial.column_name}), coalesce((select max(${sql.ref(serial.column_name)}) from ${sql.table(serial.table_name)}), 0) + 1, false)`.execute(
        trx,
      );
    }
    await syncTaskNumberSequences(trx);
  });
  return { engine: 'postgres', file, tables: counts };
}

/** Opens the configured database (migrated, as the server would), runs `work`, and closes it. */
async function withConfiguredDatabase<Result>(config: Config, work: (handle: DatabaseHandle) => Promise<Result>): Promise<Result> {
  const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory });
  try {
    await migrateToLatest(handle.db, handle.engine);
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** `mission backup <file>`: backs up the database the configuration points at (the server may keep running). */
export function backupConfiguredDatabase(config: Config, file: string): Promise<BackupSummary> {
  return withConfiguredDatabase(config, (handle) => backupDatabase(handle, file, { attachmentDirectory: attachmentDirectoryOf(config) }));
}

/** `mission restore <file>`: restores into the database the configuration points at (stop every instance first). */
export function restoreConfiguredDatabase(config: Config, file: string, options: RestoreOptions = {}): Promise<BackupSummary> {
  return withConfiguredDatabase(config, (handle) =>
    restoreDatabase(handle, file, { attachmentDirectory: attachmentDirectoryOf(config), ...options }),
  );
}
