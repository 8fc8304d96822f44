import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Custom roles (issue 19): a workspace's own roles, each a built-in role narrowed to a set of
 * permission names, and the custom role a member holds beside the built-in role it narrows.
 */
export function createCustomRolesMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('custom_roles')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id'))
        .addColumn('name', 'text', (column) => column.notNull())
        // Names are unique whatever their case: "Triage" and "triage" would confuse everyone.
        .addColumn('name_key', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('base_role', 'text', (column) => column.notNull())
        .addColumn('permissions', json, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('custom_roles_name').on('custom_roles').columns(['workspace_id', 'name_key']).unique().execute();
      await db.schema.alterTable('memberships').addColumn('custom_role_id', 'text').execute();
      await db.schema.createIndex('memberships_by_custom_role').on('memberships').column('custom_role_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('memberships_by_custom_role').execute();
      await db.schema.alterTable('memberships').dropColumn('custom_role_id').execute();
      await db.schema.dropTable('custom_roles').execute();
    },
  };
}
