import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase, sqliteWalSizeLimitBytes } from './database.js';
import { migrateToLatest } from './migrate.js';

describe('SQLite keeps its write-ahead log bounded', () => {
  let directory: string;
  let handle: DatabaseHandle;
  afterEach(async () => {
    await handle.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('cuts the WAL file back after one large transaction, and keeps what it committed', async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-wal-'));
    handle = openDatabase({ dataDirectory: directory });
    await migrateToLatest(handle.db, 'sqlite');
    const wal = `${handle.file}-wal`;
    await sql`create table wal_filler (id integer primary key, body text not null)`.execute(handle.db);

    // ~40 MB in one transaction: the WAL must hold all of it until the commit.
    const body = 'x'.repeat(4_000);
    await handle.db.transaction().execute(async (trx) => {
      for (let index = 0; index < 10_000; index += 1) {
        await sql`insert into wal_filler (id, body) values (${index}, ${body})`.execute(trx);
      }
    });
    expect(fs.statSync(wal).size).toBeGreaterThan(2 * sqliteWalSizeLimitBytes);

    // The commit above checkpointed; the next write starts the log again and truncates the file.
    await sql`insert into wal_filler (id, body) values (${-1}, ${'after'})`.execute(handle.db);
    expect(fs.statSync(wal).size).toBeLessThanOrEqual(sqliteWalSizeLimitBytes);

    const stored = await sql<{ rows: number }>`select count(*) as rows from wal_filler`.execute(handle.db);
    expect(Number(stored.rows[0]?.rows)).toBe(10_001);
  }, 60_000);
});
