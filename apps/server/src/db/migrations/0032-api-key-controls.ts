import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Keys that say what they may do (issue 19): an address allow-list, a rate limit of their own, the
 * sealed signing key of those that require signed requests, the address they were last used from
 * and the key that succeeded a rotated one. The signatures seen within the tolerance are kept so
 * that a replayed request is refused on every instance.
 */
export function createApiKeyControlsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('api_keys').addColumn('allowed_ips', json).execute();
      await db.schema.alterTable('api_keys').addColumn('rate_limit_per_minute', 'integer').execute();
      await db.schema.alterTable('api_keys').addColumn('sealed_signing_key', 'text').execute();
      await db.schema.alterTable('api_keys').addColumn('last_used_ip', 'text').execute();
      await db.schema.alterTable('api_keys').addColumn('replaced_by_id', 'text').execute();
      // The sweep that revokes rotated keys whose grace ended reads only these.
      await db.schema.createIndex('api_keys_rotated_live').on('api_keys').columns(['replaced_by_id', 'revoked_at', 'expires_at']).execute();
      await db.schema
        .createTable('request_signatures')
        .addColumn('signature_hash', 'text', (column) => column.primaryKey())
        .addColumn('expires_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('request_signatures_by_expiry').on('request_signatures').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('request_signatures').execute();
      await db.schema.dropIndex('api_keys_rotated_live').execute();
      for (const column of ['allowed_ips', 'rate_limit_per_minute', 'sealed_signing_key', 'last_used_ip', 'replaced_by_id']) {
        await db.schema.alterTable('api_keys').dropColumn(column).execute();
      }
    },
  };
}
