import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Engine } from './database.js';
import { createInitialMigration } from './migrations/0001-initial.js';
import type { Database } from './schema.js';

/** Every migration, in order. Names sort lexically; never rename or edit one that has shipped. */
function listMigrations(engine: Engine): Record<string, Migration> {
  return {
    '0001-initial': createInitialMigration(engine),
  };
}

/** Brings the schema up to date; run at every start before the server listens. */
export async function migrateToLatest(db: Kysely<Database>, engine: Engine): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => listMigrations(engine) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: error });
  }
}
