import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { TeamMemberTable, TeamTable, TeamWorkspaceAccessTable } from '../../db/schema.js';

export type TeamRow = Selectable<TeamTable>;
export type TeamMemberRow = Selectable<TeamMemberTable>;
export type TeamWorkspaceAccessRow = Selectable<TeamWorkspaceAccessTable>;

export function listTeamRows(executor: DatabaseExecutor, organizationId: string) {
  return executor.selectFrom('teams').selectAll().where('organization_id', '=', organizationId).orderBy('name_key').execute();
}

export function findTeamRow(executor: DatabaseExecutor, organizationId: string, teamId: string) {
  return executor.selectFrom('teams').selectAll().where('organization_id', '=', organizationId).where('id', '=', teamId).executeTakeFirst();
}

export function findTeamByName(executor: DatabaseExecutor, organizationId: string, nameKey: string) {
  return executor
    .selectFrom('teams')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
}

export async function insertTeam(executor: DatabaseExecutor, row: Insertable<TeamTable>): Promise<void> {
  await executor.insertInto('teams').values(row).execute();
}

export async function updateTeamRow(
  executor: DatabaseExecutor,
  teamId: string,
  values: Pick<TeamRow, 'name' | 'name_key' | 'description' | 'updated_at'>,
): Promise<void> {
  await executor.updateTable('teams').set(values).where('id', '=', teamId).execute();
}

export async function deleteTeamRow(executor: DatabaseExecutor, teamId: string): Promise<void> {
  await executor.deleteFrom('team_workspace_access').where('team_id', '=', teamId).execute();
  await executor.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  await executor.deleteFrom('teams').where('id', '=', teamId).execute();
}

export function listTeamMemberRows(executor: DatabaseExecutor, teamIds: readonly string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('team_members')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .orderBy('created_at')
    .orderBy('member_id')
    .execute();
}

export function listTeamAccessRows(executor: DatabaseExecutor, teamIds: readonly string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('team_workspace_access')
    .innerJoin('workspaces', 'workspaces.id', 'team_workspace_access.workspace_id')
    .selectAll('team_workspace_access')
    .select('workspaces.name as workspace_name')
    .where('team_workspace_access.team_id', 'in', teamIds)
    .orderBy('workspaces.name')
    .execute();
}

/** Adds a member; false when they were in the team already. */
export async function insertTeamMember(executor: DatabaseExecutor, row: Insertable<TeamMemberTable>): Promise<boolean> {
  const result = await executor
    .insertInto('team_members')
    .values(row)
    .onConflict((conflict) => conflict.columns(['team_id', 'member_kind', 'member_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes a member; false when they were not in the team. */
export async function deleteTeamMember(
  executor: DatabaseExecutor,
  teamId: string,
  member: { kind: 'user' | 'agent'; id: string },
): Promise<boolean> {
  const result = await executor
    .deleteFrom('team_members')
    .where('team_id', '=', teamId)
    .where('member_kind', '=', member.kind)
    .where('member_id', '=', member.id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Takes a person out of every team of an organisation; answers the teams they were in. */
export async function deletePersonFromTeamsOf(executor: DatabaseExecutor, organizationId: string, userId: string): Promise<string[]> {
  const teams = await executor
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select('teams.id')
    .where('teams.organization_id', '=', organizationId)
    .where('team_members.member_kind', '=', 'user')
    .where('team_members.member_id', '=', userId)
    .execute();
  const teamIds = teams.map((team) => team.id);
  if (teamIds.length > 0) {
    await executor
      .deleteFrom('team_members')
      .where('team_id', 'in', teamIds)
      .where('member_kind', '=', 'user')
      .where('member_id', '=', userId)
      .execute();
  }
  return teamIds;
}

export async function upsertTeamAccess(executor: DatabaseExecutor, row: Insertable<TeamWorkspaceAccessTable>): Promise<void> {
  await executor
    .insertInto('team_workspace_access')
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(['team_id', 'workspace_id']).doUpdateSet({ role: row.role, custom_role_id: row.custom_role_id ?? null }),
    )
    .execute();
}

/** Takes a workspace from a team; false when the team had no role there. */
export async function deleteTeamAccess(executor: DatabaseExecutor, teamId: string, workspaceId: string): Promise<boolean> {
  const result = await executor
    .deleteFrom('team_workspace_access')
    .where('team_id', '=', teamId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many teams hold a custom role on its workspace. */
export async function countTeamsGivenRole(executor: DatabaseExecutor, roleId: string): Promise<number> {
  const row = await executor
    .selectFrom('team_workspace_access')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('custom_role_id', '=', roleId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Every role a person's teams hold on one workspace. */
export function listTeamGrantsOfPerson(executor: DatabaseExecutor, workspaceId: string, userId: string) {
  return executor
    .selectFrom('team_workspace_access')
    .innerJoin('team_members', 'team_members.team_id', 'team_workspace_access.team_id')
    .select(['team_workspace_access.role', 'team_workspace_access.custom_role_id'])
    .where('team_workspace_access.workspace_id', '=', workspaceId)
    .where('team_members.member_kind', '=', 'user')
    .where('team_members.member_id', '=', userId)
    .execute();
}
