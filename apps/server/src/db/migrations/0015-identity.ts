import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Identity: single sign-on with OpenID Connect, and multi-factor authentication with an authenticator app (TOTP). The TOTP secret must be
 * read again to check codes, so it is sealed (AES-256-GCM under a key derived from the instance
 * secret); recovery codes and challenge tokens are only ever compared, so only their SHA-256 is kept.
 */
export function createIdentityMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';

  return {
    async up(db: Kysely<unknown>) {
      // Scoped keys: the permission names a key may use; NULL keeps today's keys acting with their owner's full role.
      await db.schema.alterTable('api_keys').addColumn('scopes', json).execute();
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
      // Who a person is at an OpenID Connect provider: the (issuer, subject) pair never changes, an email can.
      await db.schema
        .createTable('user_identities')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('issuer', 'text', (column) => column.notNull())
        .addColumn('subject', 'text', (column) => column.notNull())
        .addColumn('email', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('last_signed_in_at', timestamp, (column) => column.notNull())
        .addUniqueConstraint('user_identities_issuer_subject_key', ['issuer', 'subject'])
        .execute();
      // One single sign-on attempt: its state (hashed; PKCE verifier and nonce are derived from it,
      // never stored), then the one-time code the sign-in page trades for tokens (hashed).
      await db.schema
        .createTable('oidc_sign_ins')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('state_hash', 'text', (column) => column.notNull().unique())
        .addColumn('redirect_path', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('expires_at', timestamp, (column) => column.notNull())
        .addColumn('callback_at', timestamp)
        .addColumn('user_id', 'text', (column) => column.references('users.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.references('workspaces.id').onDelete('cascade'))
        .addColumn('exchange_code_hash', 'text', (column) => column.unique())
        .addColumn('exchange_expires_at', timestamp)
        .addColumn('exchanged_at', timestamp)
        .execute();
    },
  };
}
