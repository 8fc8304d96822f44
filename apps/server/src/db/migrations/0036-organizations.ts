import { type Kysely, type Migration, sql } from 'kysely';
import { createId } from '../../core/ids.js';
import type { Engine } from '../database.js';

interface WorkspaceOwnerRow {
  workspace_id: string;
  workspace_name: string;
  workspace_slug: string;
  user_id: string | null;
  user_name: string | null;
}

/**
 * Organisations and teams (issue 19): organisations own workspaces; teams group people and agents
 * and hold roles on workspaces. A membership keeps the role given to the person directly apart
 * from the highest one their teams give, and `role` stays the one that applies (what sign-in and
 * every check read). Existing workspaces join one organisation per first owner, so whoever
 * created several workspaces finds them together, and nobody shares an organisation with a
 * workspace they never belonged to.
 */
export function createOrganizationsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('organizations')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('slug', 'text', (column) => column.notNull().unique())
        .addColumn('limits', json, (column) => column.notNull())
        .addColumn('password_sign_in_disabled', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('mfa_required', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('organization_members')
        .addColumn('organization_id', 'text', (column) => column.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('organization_members_pk', ['organization_id', 'user_id'])
        .execute();
      await db.schema.createIndex('organization_members_by_user').on('organization_members').column('user_id').execute();
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('organization_id', 'text', (column) => column.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('name_key', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('teams_name').on('teams').columns(['organization_id', 'name_key']).unique().execute();
      await db.schema
        .createTable('team_members')
        .addColumn('team_id', 'text', (column) => column.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('member_kind', 'text', (column) => column.notNull())
        .addColumn('member_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'member_kind', 'member_id'])
        .execute();
      await db.schema.createIndex('team_members_by_member').on('team_members').columns(['member_kind', 'member_id']).execute();
      await db.schema
        .createTable('team_workspace_access')
        .addColumn('team_id', 'text', (column) => column.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('custom_role_id', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('team_workspace_access_pk', ['team_id', 'workspace_id'])
        .execute();
      await db.schema.createIndex('team_workspace_access_by_workspace').on('team_workspace_access').column('workspace_id').execute();

      await db.schema.alterTable('workspaces').addColumn('organization_id', 'text').execute();
      await db.schema.createIndex('workspaces_by_organization').on('workspaces').column('organization_id').execute();
      await db.schema.alterTable('memberships').addColumn('direct_role', 'text').execute();
      await db.schema.alterTable('memberships').addColumn('direct_custom_role_id', 'text').execute();
      await db.schema.alterTable('memberships').addColumn('team_role', 'text').execute();
      await db.schema.alterTable('memberships').addColumn('team_custom_role_id', 'text').execute();
      await sql`update memberships set direct_role = role, direct_custom_role_id = custom_role_id`.execute(db);
      await db.schema
        .alterTable('sessions')
        .addColumn('mfa_enrolment_required', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();

      await placeWorkspacesInOrganizations(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').dropColumn('mfa_enrolment_required').execute();
      for (const column of ['team_custom_role_id', 'team_role', 'direct_custom_role_id', 'direct_role']) {
        await db.schema.alterTable('memberships').dropColumn(column).execute();
      }
      await db.schema.dropIndex('workspaces_by_organization').execute();
      await db.schema.alterTable('workspaces').dropColumn('organization_id').execute();
      for (const table of ['team_workspace_access', 'team_members', 'teams', 'organization_members', 'organizations']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}

/** One organisation per first owner of existing workspaces, holding the workspaces they own first. */
async function placeWorkspacesInOrganizations(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<WorkspaceOwnerRow>`
    select w.id as workspace_id, w.name as workspace_name, w.slug as workspace_slug, u.id as user_id, u.name as user_name
    from workspaces w
    left join users u on u.id = (
      select m.user_id from memberships m where m.workspace_id = w.id and m.role = 'owner' order by m.created_at, m.user_id limit 1
    )
    order by w.created_at, w.id`.execute(db);
  const organizationOf = new Map<string, string>();
  const takenSlugs = new Set<string>();
  const now = new Date().toISOString();
  for (const [index, row] of rows.entries()) {
    const ownerKey = row.user_id ?? `workspace:${row.workspace_id}`;
    let organizationId = organizationOf.get(ownerKey);
    if (!organizationId) {
      organizationId = createId();
      organizationOf.set(ownerKey, organizationId);
      // The instance's first workspace (the one the first start made) names the default organisation.
      const name = index === 0 ? 'Default organization' : `${row.user_name ?? row.workspace_name}'s organization`;
      let slug = index === 0 ? 'default' : `${row.workspace_slug}-org`.slice(0, 48);
      while (takenSlugs.has(slug)) slug = `${slug.slice(0, 40)}-${createId().slice(-6)}`;
      takenSlugs.add(slug);
      await sql`insert into organizations (id, name, slug, limits, password_sign_in_disabled, mfa_required, created_at)
        values (${organizationId}, ${name}, ${slug}, ${'{}'}, 0, 0, ${now})`.execute(db);
      if (row.user_id) {
        await sql`insert into organization_members (organization_id, user_id, role, created_at)
          values (${organizationId}, ${row.user_id}, 'owner', ${now})`.execute(db);
      }
    }
    await sql`update workspaces set organization_id = ${organizationId} where id = ${row.workspace_id}`.execute(db);
  }
  // Everyone else in those workspaces becomes a member of its organisation.
  await sql`insert into organization_members (organization_id, user_id, role, created_at)
    select w.organization_id, m.user_id, 'member', min(m.created_at)
    from memberships m join workspaces w on w.id = m.workspace_id
    where not exists (
      select 1 from organization_members om where om.organization_id = w.organization_id and om.user_id = m.user_id
    )
    group by w.organization_id, m.user_id`.execute(db);
}
