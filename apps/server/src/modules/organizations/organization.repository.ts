import type { OrganizationRole } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor, Engine } from '../../db/database.js';
import type { OrganizationMemberTable, OrganizationSsoTable, OrganizationTable } from '../../db/schema.js';

export type OrganizationRow = Selectable<OrganizationTable>;

export async function insertOrganization(executor: DatabaseExecutor, row: Insertable<OrganizationTable>): Promise<void> {
  await executor.insertInto('organizations').values(row).execute();
}

export function findOrganizationById(executor: DatabaseExecutor, organizationId: string) {
  return executor.selectFrom('organizations').selectAll().where('id', '=', organizationId).executeTakeFirst();
}

/**
 * The organisation row, locked until the caller's transaction ends on PostgreSQL: two requests
 * counting against the same limit at once then count one after the other (SQLite has one writer).
 */
export function lockOrganization(executor: DatabaseExecutor, engine: Engine, organizationId: string) {
  const query = executor.selectFrom('organizations').selectAll().where('id', '=', organizationId);
  return (engine === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export function findOrganizationBySlug(executor: DatabaseExecutor, slug: string) {
  return executor.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst();
}

export async function updateOrganizationRow(
  executor: DatabaseExecutor,
  organizationId: string,
  values: Pick<Updateable<OrganizationTable>, 'name' | 'limits' | 'password_sign_in_disabled' | 'mfa_required'>,
): Promise<void> {
  await executor.updateTable('organizations').set(values).where('id', '=', organizationId).execute();
}

/** The organisations a person belongs to with their role in each, oldest first. */
export function listOrganizationsOfUser(executor: DatabaseExecutor, userId: string) {
  return executor
    .selectFrom('organization_members')
    .innerJoin('organizations', 'organizations.id', 'organization_members.organization_id')
    .selectAll('organizations')
    .select('organization_members.role as member_role')
    .where('organization_members.user_id', '=', userId)
    .orderBy('organizations.created_at')
    .orderBy('organizations.id')
    .execute();
}

export function findOrganizationMember(executor: DatabaseExecutor, organizationId: string, userId: string) {
  return executor
    .selectFrom('organization_members')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function listOrganizationMemberRows(executor: DatabaseExecutor, organizationId: string) {
  return executor
    .selectFrom('organization_members')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
}

/** Adds a person to an organisation unless they are in it already. */
export async function insertOrganizationMemberIfAbsent(
  executor: DatabaseExecutor,
  row: Insertable<OrganizationMemberTable>,
): Promise<void> {
  await executor
    .insertInto('organization_members')
    .values(row)
    .onConflict((conflict) => conflict.columns(['organization_id', 'user_id']).doNothing())
    .execute();
}

export async function updateOrganizationMemberRole(
  executor: DatabaseExecutor,
  organizationId: string,
  userId: string,
  role: OrganizationRole,
): Promise<void> {
  await executor
    .updateTable('organization_members')
    .set({ role })
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteOrganizationMember(executor: DatabaseExecutor, organizationId: string, userId: string): Promise<void> {
  await executor.deleteFrom('organization_members').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
}

export async function countOrganizationOwners(executor: DatabaseExecutor, organizationId: string): Promise<number> {
  const row = await executor
    .selectFrom('organization_members')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The organisation a workspace belongs to. */
export async function findOrganizationIdOfWorkspace(executor: DatabaseExecutor, workspaceId: string): Promise<string | null> {
  const row = await executor.selectFrom('workspaces').select('organization_id').where('id', '=', workspaceId).executeTakeFirst();
  return row?.organization_id ?? null;
}

/** An organisation's workspaces, oldest first. */
export function listWorkspacesOfOrganization(executor: DatabaseExecutor, organizationId: string) {
  return executor
    .selectFrom('workspaces')
    .select(['id', 'name'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Whether the person is still a member of some workspace of the organisation. */
export async function hasMembershipInOrganization(executor: DatabaseExecutor, organizationId: string, userId: string): Promise<boolean> {
  const row = await executor
    .selectFrom('memberships')
    .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
    .select('memberships.user_id')
    .where('workspaces.organization_id', '=', organizationId)
    .where('memberships.user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** What an organisation counts against its limits: its workspaces and their live agents. */
export async function countOrganizationContents(
  executor: DatabaseExecutor,
  organizationId: string,
): Promise<{ workspaces: number; agents: number }> {
  const workspaces = await executor
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  const agents = await executor
    .selectFrom('agents')
    .innerJoin('workspaces', 'workspaces.id', 'agents.workspace_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspaces.organization_id', '=', organizationId)
    .where('agents.deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { workspaces: Number(workspaces.count), agents: Number(agents.count) };
}

export function findOrganizationSsoRow(executor: DatabaseExecutor, organizationId: string) {
  return executor.selectFrom('organization_sso').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
}

/** Every organisation with its own single sign-on provider, with its slug (the sign-in page lists them). */
export function listOrganizationSsoRows(executor: DatabaseExecutor) {
  return ssoRows(executor).orderBy('organizations.name').execute();
}

/** One organisation's single sign-on, found by its slug or id. */
export function findOrganizationSsoBy(executor: DatabaseExecutor, reference: { slug: string } | { organizationId: string }) {
  const query = ssoRows(executor);
  return (
    'slug' in reference
      ? query.where('organizations.slug', '=', reference.slug)
      : query.where('organization_sso.organization_id', '=', reference.organizationId)
  ).executeTakeFirst();
}

function ssoRows(executor: DatabaseExecutor) {
  return executor
    .selectFrom('organization_sso')
    .innerJoin('organizations', 'organizations.id', 'organization_sso.organization_id')
    .selectAll('organization_sso')
    .select(['organizations.slug', 'organizations.name']);
}

export async function upsertOrganizationSso(executor: DatabaseExecutor, row: Insertable<OrganizationSsoTable>): Promise<void> {
  const { organization_id: _organizationId, ...values } = row;
  await executor
    .insertInto('organization_sso')
    .values(row)
    .onConflict((conflict) => conflict.column('organization_id').doUpdateSet(values))
    .execute();
}

export async function deleteOrganizationSso(executor: DatabaseExecutor, organizationId: string): Promise<boolean> {
  const result = await executor.deleteFrom('organization_sso').where('organization_id', '=', organizationId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The organisation the server's first start made (the oldest): its owners administer the server. */
export async function findFirstOrganizationId(executor: DatabaseExecutor): Promise<string | null> {
  const row = await executor.selectFrom('organizations').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return row?.id ?? null;
}

export function findOrganizationNames(executor: DatabaseExecutor, organizationIds: readonly string[]) {
  if (organizationIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('organizations').select(['id', 'name']).where('id', 'in', organizationIds).execute();
}
