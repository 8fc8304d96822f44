import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Harness, startHarness } from './harness.js';

export type E2eEngine = 'sqlite' | 'postgres';

// Test configuration, read here as the server's tests read it (apps/server/src/test/engines.ts).
const postgresUrl = process.env.MISSION_TEST_DATABASE_URL;

/** SQLite always; PostgreSQL too when the suite is given one (CI gives it). */
export const e2eEngines: E2eEngine[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

async function runAdminStatement(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** A harness whose server keeps its data in the engine: on PostgreSQL, a database of its own, dropped on close. */
export async function startHarnessOn(engine: E2eEngine, environment: Record<string, string> = {}): Promise<Harness> {
  if (engine === 'sqlite' || !postgresUrl) return startHarness(environment);
  const name = `mc_e2e_${randomBytes(5).toString('hex')}`;
  await runAdminStatement(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const harness = await startHarness({ ...environment, DATABASE_URL: url.toString() });
  return {
    ...harness,
    async close() {
      await harness.close();
      await runAdminStatement(`drop database if exists ${name} with (force)`);
    },
  };
}
