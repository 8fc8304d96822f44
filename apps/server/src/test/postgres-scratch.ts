// Test support: PostgreSQL databases of their own, made and dropped by the tests that use them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchPostgresDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The URL of another database on the same PostgreSQL server. */
export function withDatabaseName(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The name prefix of the copies of a template (mc_template_x → mc_test_x), so a run can drop what it left behind. */
export function copyPrefix(template: string): string {
  return template.replace(/^mc_template_/, 'mc_test_');
}

async function runAdminStatement(baseUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A PostgreSQL database of its own for one test (instances share it as they would in production).
 * With a template, it is a copy of that database: a migrated template copies in a fraction of
 * the time the migrations take to run.
 */
export async function createScratchPostgresDatabase(
  baseUrl: string,
  prefix = 'mc_multi',
  options: { template?: string | undefined } = {},
): Promise<ScratchPostgresDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await runAdminStatement(baseUrl, options.template ? `create database ${name} template ${options.template}` : `create database ${name}`);
  return {
    name,
    url: withDatabaseName(baseUrl, name),
    drop: () => runAdminStatement(baseUrl, `drop database if exists ${name} with (force)`),
  };
}
