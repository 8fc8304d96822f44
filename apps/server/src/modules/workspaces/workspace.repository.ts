import type { Workspace, WorkspaceRole } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { MembershipTable, WorkspaceTable } from '../../db/schema.js';

export function findWorkspaceById(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();
}

/** Every workspace id (for jobs that look at each workspace in turn). */
export async function listWorkspaceIds(executor: DatabaseExecutor): Promise<string[]> {
  const rows = await executor.selectFrom('workspaces').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

export function findWorkspaceBySlug(executor: DatabaseExecutor, slug: string) {
  return executor.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertWorkspace(executor: DatabaseExecutor, row: Insertable<WorkspaceTable>): Promise<void> {
  await executor.insertInto('workspaces').values(row).execute();
}

/** Takes the next task number of a workspace; the row lock serialises concurrent creators. */
export async function takeNextTaskNumber(executor: DatabaseExecutor, workspaceId: string): Promise<number> {
  const row = await executor
    .updateTable('workspaces')
    .set((eb) => ({ task_counter: eb('task_counter', '+', 1) }))
    .where('id', '=', workspaceId)
    .returning('task_counter')
    .executeTakeFirstOrThrow();
  return row.task_counter;
}

export async function insertMembership(executor: DatabaseExecutor, row: Insertable<MembershipTable>): Promise<void> {
  await executor.insertInto('memberships').values(row).execute();
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

export async function updateMembershipRole(
  executor: DatabaseExecutor,
  workspaceId: string,
  userId: string,
  role: WorkspaceRole,
): Promise<void> {
  await executor.updateTable('memberships').set({ role }).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
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

export function toWorkspace(row: Selectable<WorkspaceTable>): Workspace {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    taskKeyPrefix: row.task_key_prefix,
    createdAt: row.created_at,
  };
}
