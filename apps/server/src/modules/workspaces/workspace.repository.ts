import { type Workspace, wipLimitsSchema } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor, Engine } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import type { MembershipTable, WorkspaceTable } from '../../db/schema.js';
import { continueTaskNumbersAfter, createTaskNumberSequence, takeNextSequencedTaskNumber } from '../../db/task-number-sequences.js';

export function findWorkspaceById(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();
}

/** Names of workspaces by id; ids without a workspace are left out. */
export async function findWorkspaceNames(executor: DatabaseExecutor, workspaceIds: readonly string[]): Promise<Map<string, string>> {
  if (workspaceIds.length === 0) return new Map();
  const rows = await executor
    .selectFrom('workspaces')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(workspaceIds)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Every workspace id (for jobs that look at each workspace in turn). */
export async function listWorkspaceIds(executor: DatabaseExecutor): Promise<string[]> {
  const rows = await executor.selectFrom('workspaces').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** The first workspace made on this instance (the one a laptop install has). */
export function findOldestWorkspace(executor: DatabaseExecutor) {
  return executor.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

export function findWorkspaceBySlug(executor: DatabaseExecutor, slug: string) {
  return executor.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Inserts a workspace and, on PostgreSQL, the sequence its task numbers come from. */
export async function insertWorkspace(executor: DatabaseExecutor, engine: Engine, row: Insertable<WorkspaceTable>): Promise<void> {
  await executor.insertInto('workspaces').values(row).execute();
  if (engine === 'postgres') {
    await createTaskNumberSequence(executor, row.id);
    // A workspace restored from an archive already has tasks: its numbers continue after them.
    if (row.task_counter > 0) await continueTaskNumbersAfter(executor, row.id, row.task_counter);
  }
}

/**
 * Takes the next task number of a workspace. PostgreSQL: from the workspace's sequence, which
 * holds no lock until commit (a rollback leaves a gap). SQLite: the counter row, which costs
 * nothing there since SQLite has one writer anyway.
 */
export async function takeNextTaskNumber(executor: DatabaseExecutor, engine: Engine, workspaceId: string): Promise<number> {
  if (engine === 'postgres') return takeNextSequencedTaskNumber(executor, workspaceId);
  const row = await executor
    .updateTable('workspaces')
    .set((eb) => ({ task_counter: eb('task_counter', '+', 1) }))
    .where('id', '=', workspaceId)
    .returning('task_counter')
    .executeTakeFirstOrThrow();
  return row.task_counter;
}

/** Saves a workspace's name and limits (the service merged them). */
export async function updateWorkspaceRow(
  executor: DatabaseExecutor,
  workspaceId: string,
  values: { name: string; wipLimits: Workspace['wipLimits'] },
): Promise<void> {
  await executor
    .updateTable('workspaces')
    .set({ name: values.name, wip_limits: JSON.stringify(values.wipLimits) })
    .where('id', '=', workspaceId)
    .execute();
}

/** Inserts a membership; unless told otherwise, its role was given to the person directly. */
export async function insertMembership(executor: DatabaseExecutor, row: Insertable<MembershipTable>): Promise<void> {
  await executor
    .insertInto('memberships')
    .values({ direct_role: row.role, direct_custom_role_id: row.custom_role_id ?? null, ...row })
    .execute();
}

/** Saves what a membership was given directly, by teams, and what applies (membership-access.ts). */
export async function updateMembershipAccess(
  executor: DatabaseExecutor,
  workspaceId: string,
  userId: string,
  values: Pick<
    Updateable<MembershipTable>,
    'role' | 'custom_role_id' | 'direct_role' | 'direct_custom_role_id' | 'team_role' | 'team_custom_role_id'
  >,
): Promise<void> {
  await executor.updateTable('memberships').set(values).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
}

export function findMembership(executor: DatabaseExecutor, workspaceId: string, userId: string) {
  return executor
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function listMembershipsOfUser(executor: DatabaseExecutor, userId: string) {
  return executor
    .selectFrom('memberships')
    .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
    .selectAll('workspaces')
    .select(['memberships.role as role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at', 'asc')
    .execute();
}

/** The memberships of a workspace, oldest first; the users themselves are the users module's. */
export function listMembershipsOfWorkspace(executor: DatabaseExecutor, workspaceId: string) {
  return executor
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'asc')
    .orderBy('user_id', 'asc')
    .execute();
}

/** Which of these users are members of the workspace. */
export async function findMemberIds(executor: DatabaseExecutor, workspaceId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await executor
    .selectFrom('memberships')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', 'in', userIds)
    .execute();
  return rows.map((row) => row.user_id);
}

/** How many members hold one custom role: as theirs, as given to them, or through a team. */
export async function countHoldersOfCustomRole(executor: DatabaseExecutor, workspaceId: string, roleId: string): Promise<number> {
  const row = await executor
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([eb('custom_role_id', '=', roleId), eb('direct_custom_role_id', '=', roleId), eb('team_custom_role_id', '=', roleId)]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** How many members hold each custom role of the workspace: as theirs, as given to them, or through a team. */
export async function countCustomRoleHolders(executor: DatabaseExecutor, workspaceId: string): Promise<Map<string, number>> {
  const rows = await executor
    .selectFrom('memberships')
    .select(['custom_role_id', 'direct_custom_role_id', 'team_custom_role_id'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([eb('custom_role_id', 'is not', null), eb('direct_custom_role_id', 'is not', null), eb('team_custom_role_id', 'is not', null)]),
    )
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const roleId of new Set([row.custom_role_id, row.direct_custom_role_id, row.team_custom_role_id])) {
      if (roleId) counts.set(roleId, (counts.get(roleId) ?? 0) + 1);
    }
  }
  return counts;
}

export async function deleteMembership(executor: DatabaseExecutor, workspaceId: string, userId: string): Promise<void> {
  await executor.deleteFrom('memberships').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
}

export async function countOwners(executor: DatabaseExecutor, workspaceId: string): Promise<number> {
  const row = await executor
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The memberships of a user with the number of owners and members of each workspace (erasure checks). */
export function listMembershipCountsOfUser(executor: DatabaseExecutor, userId: string) {
  return executor
    .selectFrom('memberships as mine')
    .innerJoin('workspaces', 'workspaces.id', 'mine.workspace_id')
    .select(['workspaces.id as workspace_id', 'workspaces.name as name', 'mine.role as role', 'mine.created_at as joined_at'])
    .select((eb) => [
      eb
        .selectFrom('memberships as others')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('others.workspace_id', '=', 'mine.workspace_id')
        .where('others.role', '=', 'owner')
        .as('owners'),
      eb
        .selectFrom('memberships as others')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('others.workspace_id', '=', 'mine.workspace_id')
        .as('members'),
    ])
    .where('mine.user_id', '=', userId)
    .orderBy('mine.created_at', 'asc')
    .execute();
}

export function toWorkspace(row: Selectable<WorkspaceTable>): Workspace {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    taskKeyPrefix: row.task_key_prefix,
    wipLimits: parseJsonColumn(wipLimitsSchema, row.wip_limits, 'workspaces.wip_limits'),
    ...(row.organization_id ? { organizationId: row.organization_id } : {}),
    createdAt: row.created_at,
  };
}
