import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Single sign-on per organisation (issue 19): an organisation's own OpenID Connect provider, its
 * client secret sealed under the instance secret, and which provider a sign-in in progress uses.
 */
export function createOrganizationSsoMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('organization_sso')
        .addColumn('organization_id', 'text', (column) => column.primaryKey().references('organizations.id').onDelete('cascade'))
        .addColumn('issuer', 'text', (column) => column.notNull())
        .addColumn('client_id', 'text', (column) => column.notNull())
        .addColumn('client_secret_sealed', 'text', (column) => column.notNull())
        .addColumn('provider_name', 'text', (column) => column.notNull())
        .addColumn('allowed_email_domains', json, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.alterTable('oidc_sign_ins').addColumn('organization_id', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('oidc_sign_ins').dropColumn('organization_id').execute();
      await db.schema.dropTable('organization_sso').execute();
    },
  };
}
