import type {
  AddTeamMemberInput,
  CreateTeamInput,
  GrantTeamAccessInput,
  PrincipalReference,
  Team,
  TeamMember,
  UpdateTeamInput,
} from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { RoleService } from '../roles/role.service.js';
import type { UserService } from '../users/user.service.js';
import { highestAccess, type WorkspaceAccess } from '../workspaces/membership-access.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import type { OrganizationService } from './organization.service.js';
import {
  countTeamsGivenRole,
  deletePersonFromTeamsOf,
  deleteTeamAccess,
  deleteTeamMember,
  deleteTeamRow,
  findTeamByName,
  findTeamRow,
  insertTeam,
  insertTeamMember,
  listTeamAccessRows,
  listTeamGrantsOfPerson,
  listTeamMemberRows,
  listTeamRows,
  type TeamRow,
  updateTeamRow,
  upsertTeamAccess,
} from './team.repository.js';

export interface TeamServiceDependencies {
  organizations: OrganizationService;
  users: Pick<UserService, 'findUsers'>;
  agents: Pick<AgentService, 'findAgentsInWorkspaces'>;
  roles: Pick<RoleService, 'requireRole' | 'findRoleNames'>;
  /** Memberships are the workspaces module's: a team's access is applied through it. */
  workspaces: Pick<WorkspaceService, 'applyTeamAccess'>;
}

type TeamChange = 'renamed' | 'member-added' | 'member-removed' | 'access-granted' | 'access-revoked';

/** Teams group an organisation's people and agents, and give their people roles on its workspaces. */
export class TeamService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: TeamServiceDependencies,
  ) {}

  private async requireTeam(executor: DatabaseExecutor, organizationId: string, teamId: string): Promise<TeamRow> {
    const row = await findTeamRow(executor, organizationId, teamId);
    if (!row)
      throw new AppError(
        'TEAM_NOT_FOUND',
        'No team with this id in the organisation. List them with GET /api/v1/organizations/{id}/teams.',
      );
    return row;
  }

  private async assertNameFree(executor: DatabaseExecutor, organizationId: string, name: string, exceptTeamId?: string) {
    const taken = await findTeamByName(executor, organizationId, name.toLowerCase());
    if (taken && taken.id !== exceptTeamId) {
      throw new AppError('TEAM_NAME_TAKEN', `The organisation has a team called “${name}” already. Choose another name.`);
    }
  }

  /** The teams with their members (named) and workspaces, as the API answers them. */
  private async toTeams(executor: DatabaseExecutor, organizationId: string, rows: readonly TeamRow[]): Promise<Team[]> {
    const teamIds = rows.map((row) => row.id);
    const memberRows = await listTeamMemberRows(executor, teamIds);
    const accessRows = await listTeamAccessRows(executor, teamIds);
    const people = new Map(
      (
        await this.dependencies.users.findUsers(
          memberRows.filter((row) => row.member_kind === 'user').map((row) => row.member_id),
          executor,
        )
      ).map((user) => [user.id, user]),
    );
    const workspaceIds = (await this.dependencies.organizations.listWorkspacesOf(executor, organizationId)).map(
      (workspace) => workspace.id,
    );
    const agentIds = memberRows.filter((row) => row.member_kind === 'agent').map((row) => row.member_id);
    const agents = new Map(
      (await this.dependencies.agents.findAgentsInWorkspaces(workspaceIds, agentIds, executor)).map((agent) => [agent.id, agent]),
    );
    const roleNames = await this.dependencies.roles.findRoleNames(
      accessRows.flatMap((row) => (row.custom_role_id ? [row.custom_role_id] : [])),
      executor,
    );
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      name: row.name,
      description: row.description,
      members: memberRows
        .filter((member) => member.team_id === row.id)
        .flatMap((member): TeamMember[] => {
          if (member.member_kind === 'user') {
            const user = people.get(member.member_id);
            return user ? [{ kind: 'user', id: user.id, name: user.name, workspaceId: null, addedAt: member.created_at }] : [];
          }
          const agent = agents.get(member.member_id);
          return agent
            ? [{ kind: 'agent', id: agent.id, name: agent.name, workspaceId: agent.workspaceId, addedAt: member.created_at }]
            : [];
        }),
      workspaces: accessRows
        .filter((access) => access.team_id === row.id)
        .map((access) => ({
          workspaceId: access.workspace_id,
          workspaceName: access.workspace_name,
          role: access.role,
          customRole:
            access.custom_role_id && roleNames.has(access.custom_role_id)
              ? { id: access.custom_role_id, name: roleNames.get(access.custom_role_id) ?? '' }
              : null,
          grantedAt: access.created_at,
        })),
      createdAt: row.created_at,
    }));
  }

  private async answerTeam(executor: DatabaseExecutor, organizationId: string, teamId: string): Promise<Team> {
    const [team] = await this.toTeams(executor, organizationId, [await this.requireTeam(executor, organizationId, teamId)]);
    if (!team) throw new AppError('TEAM_NOT_FOUND', 'No team with this id in the organisation.');
    return team;
  }

  /**
   * Recomputes what a person's teams give them on each of these workspaces and applies it
   * (membership-access.ts decides which role wins).
   */
  private async syncPersonAccess(executor: DatabaseExecutor, userId: string, workspaceIds: readonly string[], actor: PrincipalReference) {
    for (const workspaceId of workspaceIds) {
      const grants = await listTeamGrantsOfPerson(executor, workspaceId, userId);
      const access = highestAccess(grants.map((grant): WorkspaceAccess => ({ role: grant.role, customRoleId: grant.custom_role_id })));
      await this.dependencies.workspaces.applyTeamAccess(executor, { workspaceId, userId, access, actor });
    }
  }

  private async announceChange(
    executor: DatabaseExecutor,
    principal: Principal,
    team: TeamRow,
    change: { change: TeamChange; member?: PrincipalReference; workspaceId?: string; summary: string },
  ) {
    await this.dependencies.organizations.announceInOrganization(executor, team.organization_id, principal, {
      type: 'team-updated',
      data: {
        organizationId: team.organization_id,
        teamId: team.id,
        name: team.name,
        change: change.change,
        member: change.member ?? null,
        workspaceId: change.workspaceId ?? null,
      },
      summary: change.summary,
      action: 'team.updated',
      targetKind: 'team',
      targetId: team.id,
    });
  }

  async listTeams(principal: Principal, organizationId: string): Promise<Team[]> {
    await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'member');
    return this.toTeams(this.context.db, organizationId, await listTeamRows(this.context.db, organizationId));
  }

  async getTeam(principal: Principal, organizationId: string, teamId: string): Promise<Team> {
    await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'member');
    return this.answerTeam(this.context.db, organizationId, teamId);
  }

  async createTeam(principal: Principal, organizationId: string, input: CreateTeamInput): Promise<Team> {
    return this.context.db.transaction().execute(async (trx) => {
      await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'admin', trx);
      await this.assertNameFree(trx, organizationId, input.name);
      const now = this.context.clock.now().toISOString();
      const row: TeamRow = {
        id: createId(),
        organization_id: organizationId,
        name: input.name,
        name_key: input.name.toLowerCase(),
        description: input.description,
        created_at: now,
        updated_at: now,
      };
      await insertTeam(trx, row);
      await this.dependencies.organizations.announceInOrganization(trx, organizationId, principal, {
        type: 'team-created',
        data: { organizationId, teamId: row.id, name: row.name },
        summary: `team ${row.name} created`,
        action: 'team.created',
        targetKind: 'team',
        targetId: row.id,
      });
      return this.answerTeam(trx, organizationId, row.id);
    });
  }

  async updateTeam(principal: Principal, organizationId: string, teamId: string, input: UpdateTeamInput): Promise<Team> {
    return this.context.db.transaction().execute(async (trx) => {
      await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'admin', trx);
      const before = await this.requireTeam(trx, organizationId, teamId);
      const name = input.name ?? before.name;
      if (input.name !== undefined) await this.assertNameFree(trx, organizationId, input.name, teamId);
      const after = { name, name_key: name.toLowerCase(), description: input.description ?? before.description };
      await updateTeamRow(trx, teamId, { ...after, updated_at: this.context.clock.now().toISOString() });
      await this.announceChange(
        trx,
        principal,
        { ...before, ...after },
        {
          change: 'renamed',
          summary: name === before.name ? `team ${name} described anew` : `team ${before.name} renamed to ${name}`,
        },
      );
      return this.answerTeam(trx, organizationId, teamId);
    });
  }

  /** Deleting a team takes back what it gave: each of its people is re-synced without it. */
  async deleteTeam(principal: Principal, organizationId: string, teamId: string): Promise<Team> {
    return this.context.db.transaction().execute(async (trx) => {
      await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'admin', trx);
      const team = await this.answerTeam(trx, organizationId, teamId);
      await deleteTeamRow(trx, teamId);
      const workspaceIds = team.workspaces.map((access) => access.workspaceId);
      for (const member of team.members) {
        if (member.kind === 'user') await this.syncPersonAccess(trx, member.id, workspaceIds, { kind: 'user', id: principal.id });
      }
      await this.dependencies.organizations.announceInOrganization(trx, organizationId, principal, {
        type: 'team-deleted',
        data: { organizationId, teamId, name: team.name },
        summary: `team ${team.name} deleted`,
        action: 'team.deleted',
        targetKind: 'team',
        targetId: teamId,
      });
      return team;
    });
  }

  async addMember(principal: Principal, organizationId: string, teamId: string, input: AddTeamMemberInput): Promise<Team> {
    return this.context.db.transaction().execute(async (trx) => {
      await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'admin', trx);
      const team = await this.requireTeam(trx, organizationId, teamId);
      const name = await this.requireCandidate(trx, organizationId, input);
      const added = await insertTeamMember(trx, {
        team_id: teamId,
        member_kind: input.kind,
        member_id: input.id,
        created_at: this.context.clock.now().toISOString(),
      });
      if (added) {
        if (input.kind === 'user') {
          const workspaceIds = (await listTeamAccessRows(trx, [teamId])).map((access) => access.workspace_id);
          await this.syncPersonAccess(trx, input.id, workspaceIds, { kind: 'user', id: principal.id });
        }
        await this.announceChange(trx, principal, team, {
          change: 'member-added',
          member: { kind: input.kind, id: input.id },
          summary: `${name} joined team ${team.name}`,
        });
      }
      return this.answerTeam(trx, organizationId, teamId);
    });
  }

  /** The name of a person of the organisation, or of an agent of one of its workspaces; 404 otherwise. */
  private async requireCandidate(executor: DatabaseExecutor, organizationId: string, input: AddTeamMemberInput): Promise<string> {
    if (input.kind === 'user') {
      const [user] = await this.dependencies.users.findUsers([input.id], executor);
      if (!user || !(await this.dependencies.organizations.isMember(executor, organizationId, input.id))) {
        throw new AppError(
          'USER_NOT_FOUND',
          'No person with this id in the organisation. GET /api/v1/organizations/{id}/members lists them.',
        );
      }
      return user.name;
    }
    const workspaceIds = (await this.dependencies.organizations.listWorkspacesOf(executor, organizationId)).map(
      (workspace) => workspace.id,
    );
    const [agent] = await this.dependencies.agents.findAgentsInWorkspaces(workspaceIds, [input.id], executor);
    if (!agent) throw new AppError('AGENT_NOT_FOUND', 'No agent with this id in the organisation’s workspaces.');
    return agent.name;
  }

  async removeMember(principal: Principal, organizationId: string, teamId: string, member: PrincipalReference): Promise<Team> {
    return this.context.db.transaction().execute(async (trx) => {
      await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'admin', trx);
      const team = await this.requireTeam(trx, organizationId, teamId);
      if (!(await deleteTeamMember(trx, teamId, member))) {
        throw new AppError('TEAM_MEMBER_NOT_FOUND', 'This person or agent is not in the team.');
      }
      if (member.kind === 'user') {
        const workspaceIds = (await listTeamAccessRows(trx, [teamId])).map((access) => access.workspace_id);
        await this.syncPersonAccess(trx, member.id, workspaceIds, { kind: 'user', id: principal.id });
      }
      await this.announceChange(trx, principal, team, { change: 'member-removed', member, summary: `a member left team ${team.name}` });
      return this.answerTeam(trx, organizationId, teamId);
    });
  }

  /** Gives a team a role on one of the organisation's workspaces (or changes it); its people follow at once. */
  async grantAccess(
    principal: Principal,
    organizationId: string,
    teamId: string,
    workspaceId: string,
    input: GrantTeamAccessInput,
  ): Promise<Team> {
    return this.context.db.transaction().execute(async (trx) => {
      await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'admin', trx);
      const team = await this.requireTeam(trx, organizationId, teamId);
      const workspace = await this.requireWorkspaceOf(trx, organizationId, workspaceId);
      const access =
        'role' in input
          ? { role: input.role, customRoleId: null }
          : await this.dependencies.roles
              .requireRole(workspaceId, input.customRoleId, trx)
              .then((role) => ({ role: role.baseRole, customRoleId: role.id }));
      await upsertTeamAccess(trx, {
        team_id: teamId,
        workspace_id: workspaceId,
        role: access.role,
        custom_role_id: access.customRoleId,
        created_at: this.context.clock.now().toISOString(),
      });
      await this.syncTeamPeople(trx, teamId, [workspaceId], principal);
      await this.announceChange(trx, principal, team, {
        change: 'access-granted',
        workspaceId,
        summary: `team ${team.name} is ${access.role} of ${workspace.name}`,
      });
      return this.answerTeam(trx, organizationId, teamId);
    });
  }

  async revokeAccess(principal: Principal, organizationId: string, teamId: string, workspaceId: string): Promise<Team> {
    return this.context.db.transaction().execute(async (trx) => {
      await this.dependencies.organizations.requireOrganizationRole(principal, organizationId, 'admin', trx);
      const team = await this.requireTeam(trx, organizationId, teamId);
      const workspace = await this.requireWorkspaceOf(trx, organizationId, workspaceId);
      if (!(await deleteTeamAccess(trx, teamId, workspaceId))) {
        throw new AppError('WORKSPACE_NOT_FOUND', `Team ${team.name} has no role on ${workspace.name}.`);
      }
      await this.syncTeamPeople(trx, teamId, [workspaceId], principal);
      await this.announceChange(trx, principal, team, {
        change: 'access-revoked',
        workspaceId,
        summary: `team ${team.name} no longer has a role on ${workspace.name}`,
      });
      return this.answerTeam(trx, organizationId, teamId);
    });
  }

  private async syncTeamPeople(executor: DatabaseExecutor, teamId: string, workspaceIds: readonly string[], principal: Principal) {
    for (const member of await listTeamMemberRows(executor, [teamId])) {
      if (member.member_kind === 'user')
        await this.syncPersonAccess(executor, member.member_id, workspaceIds, { kind: 'user', id: principal.id });
    }
  }

  private async requireWorkspaceOf(executor: DatabaseExecutor, organizationId: string, workspaceId: string) {
    const workspace = (await this.dependencies.organizations.listWorkspacesOf(executor, organizationId)).find(
      (candidate) => candidate.id === workspaceId,
    );
    if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', 'No workspace with this id in the organisation.');
    return workspace;
  }

  /** How many teams hold a custom role (the roles module refuses to delete it while any does). */
  countTeamsGivenRole(roleId: string, executor: DatabaseExecutor = this.context.db): Promise<number> {
    return countTeamsGivenRole(executor, roleId);
  }

  /** Takes a person out of every team of the organisation (they left it, or were erased), re-syncing what those teams gave. */
  async leaveTeamsInTransaction(
    executor: DatabaseExecutor,
    organizationId: string,
    userId: string,
    actor: PrincipalReference,
  ): Promise<void> {
    const teamIds = await deletePersonFromTeamsOf(executor, organizationId, userId);
    if (teamIds.length === 0) return;
    const workspaceIds = [...new Set((await listTeamAccessRows(executor, teamIds)).map((access) => access.workspace_id))];
    await this.syncPersonAccess(executor, userId, workspaceIds, actor);
  }
}
