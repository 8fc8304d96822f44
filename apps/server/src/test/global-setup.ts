import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { copyPrefix, createScratchPostgresDatabase, type ScratchPostgresDatabase } from './postgres-scratch.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PostgreSQL database each test copies instead of migrating its own. */
    postgresTemplateDatabase: string | undefined;
  }
}

/**
 * Says once, loudly, whether the PostgreSQL half of the suite runs, and when it does, migrates one
 * template database for the whole run. CI sets MISSION_REQUIRE_POSTGRES=1, which turns a missing
 * database into a failure instead of a skip.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.MISSION_TEST_DATABASE_URL;
  if (url) {
    process.stdout.write(`\n[mission-control] storage tests run on SQLite and on PostgreSQL (${url.replace(/\/\/[^@]*@/, '//')})\n\n`);
    const template = await createMigratedTemplate(url);
    project.provide('postgresTemplateDatabase', template.name);
    return async () => {
      await dropCopiesOf(url, template.name);
      await template.drop();
    };
  }
  project.provide('postgresTemplateDatabase', undefined);
  if (process.env.MISSION_REQUIRE_POSTGRES === '1') {
    throw new Error('MISSION_REQUIRE_POSTGRES=1 but MISSION_TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run.');
  }
  process.stdout.write(
    '\n' +
      '[mission-control] ************************************************************\n' +
      '[mission-control] MISSION_TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED.\n' +
      '[mission-control] Run with MISSION_TEST_DATABASE_URL=postgres://127.0.0.1:5432/test\n' +
      '[mission-control] ************************************************************\n\n',
  );
  return undefined;
}

/** Drops what tests of this run left behind (a test that crashed before its dispose). */
async function dropCopiesOf(url: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const left = await admin.query<{ name: string }>('select datname as name from pg_database where datname like $1', [
      `${copyPrefix(template)}_%`,
    ]);
    for (const { name } of left.rows) await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Copying a database needs nobody connected to the source, so the template's own pool is closed
 * before any test starts; each test then gets a copy of its own (createTestDatabase).
 */
async function createMigratedTemplate(url: string): Promise<ScratchPostgresDatabase> {
  const template = await createScratchPostgresDatabase(url, 'mc_template');
  const handle = openDatabase({ dataDirectory: '/tmp', databaseUrl: template.url, postgresPoolSize: 1 });
  try {
    await migrateToLatest(handle.db, handle.engine);
  } catch (error) {
    await handle.close();
    await template.drop();
    throw error;
  }
  await handle.close();
  return template;
}
