import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Identity: multi-factor authentication with an authenticator app (TOTP). The TOTP secret must be
 * read again to check codes, so it is sealed (AES-256-GCM under a key derived from the instance
 * secret); recovery codes and challenge tokens are only ever compared, so only their SHA-256 is kept.
 */
export function createIdentityMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('mfa_totp_factors')
        .addColumn('user_id', 'text', (column) => column.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('secret_sealed', 'text', (column) => column.notNull())
        // NULL while the enrolment awaits its first code; sign-in asks for a code only once set.
        .addColumn('enabled_at', timestamp)
        // The 30-second step of the last accepted code: a code of that step or earlier never works again.
        .addColumn('last_time_step', 'bigint')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('mfa_recovery_codes')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('used_at', timestamp)
        .execute();
      await db.schema.createIndex('mfa_recovery_codes_user_idx').on('mfa_recovery_codes').columns(['user_id']).execute();
      await db.schema
        .createTable('mfa_challenges')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (column) => column.notNull().unique())
        .addColumn('failed_attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('expires_at', timestamp, (column) => column.notNull())
        .addColumn('used_at', timestamp)
        .execute();
      await db.schema.createIndex('mfa_challenges_user_idx').on('mfa_challenges').columns(['user_id', 'created_at']).execute();
    },
  };
}
