import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { startServer } from '../main.js';
import { describeEachEngine, postgresTestUrl } from '../test/engines.js';
import { createScratchPostgresDatabase } from '../test/server-process.js';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describeEachEngine('owner-only modes of the data directory and its files', (engine) => {
  let scratch: string;
  let previousUmask: number;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-modes-'));
    // The most permissive umask: whatever the modes come out as, Mission Control set them itself.
    previousUmask = process.umask(0);
  });
  afterEach(() => {
    process.umask(previousUmask);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  if (engine === 'sqlite') {
    it('creates the data directory 0700 and the database, WAL and SHM files 0600', async () => {
      const dataDirectory = path.join(scratch, 'nested', 'data');
      const handle = openDatabase({ dataDirectory });
      try {
        await migrateToLatest(handle.db, handle.engine);
        expect(modeOf(path.join(scratch, 'nested'))).toBe(0o700);
        expect(modeOf(dataDirectory)).toBe(0o700);
        for (const name of ['mission.db', 'mission.db-wal', 'mission.db-shm']) {
          expect(modeOf(path.join(dataDirectory, name)), name).toBe(0o600);
        }
      } finally {
        await handle.close();
      }
    });

    it('takes read access away from a database an older version left readable by everyone', async () => {
      const file = path.join(scratch, 'mission.db');
      fs.writeFileSync(file, '', { mode: 0o644 });
      fs.writeFileSync(`${file}-wal`, '', { mode: 0o644 });
      const handle = openDatabase({ dataDirectory: scratch });
      try {
        expect(modeOf(file)).toBe(0o600);
        expect(modeOf(`${file}-wal`)).toBe(0o600);
      } finally {
        await handle.close();
      }
    });
  }

  it('writes the first owner’s generated password to a 0600 file in a 0700 data directory', async () => {
    const database =
      engine === 'postgres' && postgresTestUrl ? await createScratchPostgresDatabase(postgresTestUrl, 'mc_modes') : undefined;
    const dataDirectory = path.join(scratch, 'data');
    const config = loadConfig({
      MISSION_DATA_DIR: dataDirectory,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    const write = process.stdout.write;
    // The password box goes to the terminal; a test run has no one to read it.
    process.stdout.write = () => true;
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      server = await startServer(config, { dashboardDirectory: scratch });
    } finally {
      process.stdout.write = write;
    }
    if (!server) throw new Error('the server did not start');
    try {
      expect(modeOf(dataDirectory)).toBe(0o700);
      const passwordFile = path.join(dataDirectory, 'initial-admin-password.txt');
      expect(fs.readFileSync(passwordFile, 'utf8')).toMatch(/^admin@mission\.local\n.+\n$/);
      expect(modeOf(passwordFile)).toBe(0o600);
    } finally {
      await server.close();
      await database?.drop();
    }
  });
});
