import { randomBytes } from 'node:crypto';
import type {
  CreateWorkspaceInput,
  Member,
  PrincipalReference,
  UpdateMemberInput,
  UpdateWorkspaceInput,
  User,
  WipLimits,
  Workspace,
  WorkspaceRole,
} from '@mission-control/contracts';
import { wipLimitColumns } from '@mission-control/contracts';
import type { AuthService } from '../../auth/auth.service.js';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { OrganizationService } from '../organizations/organization.service.js';
import type { RoleService } from '../roles/role.service.js';
import type { UserService } from '../users/user.service.js';
import { changeMemberRole } from './member-role-change.js';
import { highestAccess, teamAccessOf } from './membership-access.js';
import { applyTeamAccess, type TeamAccessChange } from './team-membership.js';
import {
  countCustomRoleHolders,
  countHoldersOfCustomRole,
  countOwners,
  deleteMembership,
  findMemberIds,
  findMembership,
  findOldestWorkspace,
  findWorkspaceById,
  findWorkspaceBySlug,
  findWorkspaceNames,
  insertMembership,
  insertWorkspace,
  listMembershipCountsOfUser,
  listMembershipsOfUser,
  listMembershipsOfWorkspace,
  listWorkspaceIds,
  takeNextTaskNumber,
  toWorkspace,
  updateMembershipAccess,
  updateWorkspaceRow,
} from './workspace.repository.js';

export interface BootstrapResult {
  /** Set when this start created the first owner. */
  createdOwner?: { email: string; workspace: Workspace; generatedPassword?: string };
}

export interface WorkspaceServiceDependencies {
  users: UserService;
  /** Removing a member ends their sessions in the workspace. */
  auth: Pick<AuthService, 'endSessionsOf'>;
  /** Membership and role changes are recorded in the audit log. */
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** Custom roles, through a getter: the roles service is built after this one. */
  roles: () => Pick<RoleService, 'requireRole' | 'findRoleNames'>;
  /** Organisations own workspaces and count their members, through a getter: built after this one. */
  organizations: () => Pick<
    OrganizationService,
    | 'createOrganizationInTransaction'
    | 'chooseOrganizationForWorkspace'
    | 'joinOrganizationInTransaction'
    | 'leaveOrganizationInTransaction'
  >;
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

export function createWorkspaceService(context: ServiceContext, dependencies: WorkspaceServiceDependencies) {
  const { db, clock, engine } = context;
  const { users } = dependencies;

  async function findWorkspace(workspaceId: string, executor: DatabaseExecutor = db): Promise<Workspace | undefined> {
    const row = await findWorkspaceById(executor, workspaceId);
    return row && toWorkspace(row);
  }

  async function requireWorkspace(workspaceId: string, executor: DatabaseExecutor = db): Promise<Workspace> {
    const workspace = await findWorkspace(workspaceId, executor);
    if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', 'This workspace no longer exists. Sign in again.');
    return workspace;
  }

  /** The members of a workspace with their accounts, oldest membership first. */
  async function listMembersOf(executor: DatabaseExecutor, workspaceId: string): Promise<Member[]> {
    const memberships = await listMembershipsOfWorkspace(executor, workspaceId);
    const accounts = new Map(
      (
        await users.findUsers(
          memberships.map((membership) => membership.user_id),
          executor,
        )
      ).map((user) => [user.id, user]),
    );
    const roleIds = memberships.flatMap((membership) => (membership.custom_role_id ? [membership.custom_role_id] : []));
    const roleNames = roleIds.length > 0 ? await dependencies.roles().findRoleNames(roleIds, executor) : new Map<string, string>();
    return memberships.flatMap((membership) => {
      const user = accounts.get(membership.user_id);
      const roleName = membership.custom_role_id ? roleNames.get(membership.custom_role_id) : undefined;
      const customRole = membership.custom_role_id && roleName ? { id: membership.custom_role_id, name: roleName } : null;
      return user
        ? [
            {
              user,
              role: membership.role,
              customRole,
              directRole: membership.direct_role,
              teamRole: membership.team_role,
              joinedAt: membership.created_at,
            },
          ]
        : [];
    });
  }

  return {
    findWorkspace,
    requireWorkspace,

    /** Names of workspaces by id, for lists that name them. */
    findWorkspaceNames(workspaceIds: readonly string[]): Promise<Map<string, string>> {
      return findWorkspaceNames(db, workspaceIds);
    },

    /** Every workspace id (for jobs that look at each workspace in turn). */
    listWorkspaceIds(): Promise<string[]> {
      return listWorkspaceIds(db);
    },

    /** The workspaces a user belongs to, with their role in each, oldest membership first. */
    async listMembershipsOf(userId: string): Promise<{ workspace: Workspace; role: WorkspaceRole }[]> {
      const rows = await listMembershipsOfUser(db, userId);
      return rows.map((row) => ({ workspace: toWorkspace(row), role: row.role }));
    },

    /** Takes the next task number inside the caller's transaction. */
    takeNextTaskNumber: (executor: DatabaseExecutor, workspaceId: string) => takeNextTaskNumber(executor, engine, workspaceId),

    /**
     * On the very first start, creates the owner and a default workspace: from the configured
     * admin email and password, or with a generated password the caller prints once.
     */
    async bootstrapFirstOwner(admin: { email: string; password: string } | undefined): Promise<BootstrapResult> {
      if ((await users.countUsers()) > 0) return {};
      const { email, password } = admin ?? { email: 'admin@mission.local', password: randomBytes(12).toString('base64url') };
      const generatedPassword = admin ? undefined : password;
      const now = clock.now().toISOString();
      const workspace: Workspace = {
        id: createId(),
        name: 'Default workspace',
        slug: 'default',
        taskKeyPrefix: 'TASK',
        wipLimits: {},
        createdAt: now,
      };
      await db.transaction().execute(async (trx) => {
        const { id: userId } = await users.createUser(trx, { email, name: 'Owner', password });
        const organizationId = await dependencies
          .organizations()
          .createOrganizationInTransaction(trx, { name: 'Default organization', slug: 'default', ownerId: userId });
        workspace.organizationId = organizationId;
        await insertWorkspace(trx, engine, {
          id: workspace.id,
          name: workspace.name,
          slug: workspace.slug,
          task_key_prefix: workspace.taskKeyPrefix,
          task_counter: 0,
          wip_limits: '{}',
          organization_id: organizationId,
          created_at: now,
        });
        await insertMembership(trx, { workspace_id: workspace.id, user_id: userId, role: 'owner', created_at: now });
        await appendEvent(trx, {
          workspaceId: workspace.id,
          type: 'workspace-created',
          actor: { kind: 'user', id: userId },
          summary: `${email} created the workspace ${workspace.name}`,
          data: {},
          at: clock.now(),
        });
      });
      return { createdOwner: { email, workspace, ...(generatedPassword ? { generatedPassword } : {}) } };
    },

    /** Which of the given user ids are members of the principal's workspace. */
    async findMemberIds(principal: Principal, userIds: readonly string[]): Promise<Set<string>> {
      return new Set(await findMemberIds(db, principal.workspaceId, userIds));
    },

    /** A signed-in person creates a workspace and becomes its owner. */
    async createWorkspace(principal: Principal, input: CreateWorkspaceInput): Promise<Workspace> {
      if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'Only people can create workspaces.');
      const slug =
        input.slug ??
        (input.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 40) ||
          'workspace');
      const now = clock.now();
      const workspace: Workspace = {
        id: createId(),
        name: input.name,
        slug,
        taskKeyPrefix: input.taskKeyPrefix,
        wipLimits: {},
        createdAt: now.toISOString(),
      };
      return db.transaction().execute(async (trx) => {
        if (await findWorkspaceBySlug(trx, slug)) {
          throw new AppError('WORKSPACE_SLUG_TAKEN', `The slug "${slug}" is taken. Choose another slug.`);
        }
        const organizationId = await dependencies.organizations().chooseOrganizationForWorkspace(trx, principal, input.organizationId);
        workspace.organizationId = organizationId;
        await insertWorkspace(trx, engine, {
          id: workspace.id,
          name: workspace.name,
          slug,
          task_key_prefix: workspace.taskKeyPrefix,
          task_counter: 0,
          wip_limits: '{}',
          organization_id: organizationId,
          created_at: workspace.createdAt,
        });
        await insertMembership(trx, { workspace_id: workspace.id, user_id: principal.id, role: 'owner', created_at: workspace.createdAt });
        await dependencies.organizations().joinOrganizationInTransaction(trx, workspace.id, principal.id);
        await appendEvent(trx, {
          workspaceId: workspace.id,
          type: 'workspace-created',
          actor: toPrincipalReference(principal),
          summary: `workspace ${workspace.name} created`,
          data: {},
          at: now,
        });
        return workspace;
      });
    },

    /**
     * A workspace restored from an archive, in the caller's transaction (the import fills it in the
     * same one): owned by the importer, with the archive's task counter so task keys are kept. A
     * taken slug gets a suffix rather than failing the import.
     */
    async createImportedWorkspace(
      executor: DatabaseExecutor,
      owner: Principal,
      fields: { name: string; slug: string; taskKeyPrefix: string; wipLimits: WipLimits; taskCounter: number; agentCount: number },
    ): Promise<Workspace> {
      if (owner.kind !== 'user') throw new AppError('FORBIDDEN', 'Only people can create workspaces.');
      // default → default-imported → default-imported-2 → … → default-<random>, within the 48 characters of a slug.
      const base = fields.slug.slice(0, 36);
      const candidate = (attempt: number) =>
        attempt === 0
          ? fields.slug
          : attempt < 4
            ? `${base}-imported${attempt === 1 ? '' : `-${attempt}`}`
            : `${base}-${randomBytes(4).toString('hex')}`;
      let slug = fields.slug;
      for (let attempt = 1; await findWorkspaceBySlug(executor, slug); attempt += 1) slug = candidate(attempt);
      const organizationId = await dependencies
        .organizations()
        .chooseOrganizationForWorkspace(executor, owner, undefined, { agents: fields.agentCount });
      const now = clock.now();
      const workspace: Workspace = {
        id: createId(),
        name: fields.name,
        slug,
        taskKeyPrefix: fields.taskKeyPrefix,
        wipLimits: fields.wipLimits,
        organizationId,
        createdAt: now.toISOString(),
      };
      await insertWorkspace(executor, engine, {
        id: workspace.id,
        name: workspace.name,
        slug,
        task_key_prefix: workspace.taskKeyPrefix,
        task_counter: fields.taskCounter,
        wip_limits: JSON.stringify(fields.wipLimits),
        organization_id: organizationId,
        created_at: workspace.createdAt,
      });
      await insertMembership(executor, { workspace_id: workspace.id, user_id: owner.id, role: 'owner', created_at: workspace.createdAt });
      await dependencies.organizations().joinOrganizationInTransaction(executor, workspace.id, owner.id);
      await appendEvent(executor, {
        workspaceId: workspace.id,
        type: 'workspace-created',
        actor: toPrincipalReference(owner),
        summary: `workspace ${workspace.name} created from an archive`,
        data: {},
        at: now,
      });
      return workspace;
    },

    /** Renames the workspace and merges its WIP limits (null removes a column's limit); audited. */
    async updateWorkspace(principal: Principal, input: UpdateWorkspaceInput): Promise<Workspace> {
      assertCan(principal, 'workspace:manage');
      return db.transaction().execute(async (trx) => {
        const before = await requireWorkspace(principal.workspaceId, trx);
        const name = input.name ?? before.name;
        const wipLimits = mergeWipLimits(before.wipLimits, input.wipLimits);
        const fields = [
          ...(name !== before.name ? (['name'] as const) : []),
          ...(JSON.stringify(wipLimits) !== JSON.stringify(before.wipLimits) ? (['wipLimits'] as const) : []),
        ];
        if (fields.length === 0) return before;
        await updateWorkspaceRow(trx, principal.workspaceId, { name, wipLimits });
        const summary = fields.includes('name') ? `workspace renamed to ${name}` : `work-in-progress limits of ${name} changed`;
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'workspace-updated',
          actor: toPrincipalReference(principal),
          summary,
          data: { fields, name, wipLimits },
          at: clock.now(),
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'workspace.updated',
          targetKind: 'workspace',
          targetId: principal.workspaceId,
          summary,
          before: { name: before.name, wipLimits: before.wipLimits },
          after: { name, wipLimits },
        });
        return { ...before, name, wipLimits };
      });
    },

    async listWorkspacesOfUser(principal: Principal): Promise<{ workspace: Workspace; role: WorkspaceRole }[]> {
      if (principal.kind !== 'user') return [{ workspace: await requireWorkspace(principal.workspaceId), role: 'member' }];
      const rows = await listMembershipsOfUser(db, principal.id);
      return rows.map((row) => ({ workspace: toWorkspace(row), role: row.role }));
    },

    async listMembers(principal: Principal): Promise<Member[]> {
      assertCan(principal, 'workspace:read');
      return listMembersOf(db, principal.workspaceId);
    },

    /**
     * The workspace single sign-on's group roles apply to: the configured one, or the instance's
     * oldest; undefined when there is none (yet).
     */
    async findGroupRoleWorkspace(workspaceId: string | undefined, executor: DatabaseExecutor = db): Promise<Workspace | undefined> {
      if (workspaceId) return findWorkspace(workspaceId, executor);
      const oldest = await findOldestWorkspace(executor);
      return oldest && toWorkspace(oldest);
    },

    /** Whether the person is a member of the workspace. */
    async isMember(workspaceId: string, userId: string, executor: DatabaseExecutor = db): Promise<boolean> {
      return (await findMembership(executor, workspaceId, userId)) !== undefined;
    },

    /**
     * Makes an existing account a member, in the caller's transaction. Only an accepted invitation
     * and single sign-on with a mapped group call this: the person chose to join, or their
     * organisation's directory put them in the group that joins it.
     */
    async addMemberInTransaction(
      executor: DatabaseExecutor,
      membership: { workspaceId: string; user: User; role: WorkspaceRole; actor: PrincipalReference },
    ): Promise<Member> {
      const now = clock.now();
      const existing = await findMembership(executor, membership.workspaceId, membership.user.id);
      if (existing?.direct_role) {
        throw new AppError('MEMBER_ALREADY_EXISTS', `${membership.user.email} is already a member of this workspace.`);
      }
      if (existing) {
        // A member only through teams who now joins as a person: their own role joins the teams'.
        const direct = { role: membership.role, customRoleId: null };
        const applies = highestAccess([direct, teamAccessOf(existing)]) ?? direct;
        await updateMembershipAccess(executor, membership.workspaceId, membership.user.id, {
          direct_role: direct.role,
          direct_custom_role_id: null,
          role: applies.role,
          custom_role_id: applies.customRoleId,
        });
      } else {
        await insertMembership(executor, {
          workspace_id: membership.workspaceId,
          user_id: membership.user.id,
          role: membership.role,
          created_at: now.toISOString(),
        });
        await dependencies.organizations().joinOrganizationInTransaction(executor, membership.workspaceId, membership.user.id);
      }
      await appendEvent(executor, {
        workspaceId: membership.workspaceId,
        type: 'member-added',
        actor: membership.actor,
        summary: `${membership.user.email} joined as ${membership.role}`,
        data: { userId: membership.user.id, role: membership.role },
        at: now,
      });
      await dependencies.audit.recordAuditEntry(executor, {
        workspaceId: membership.workspaceId,
        actor: membership.actor,
        action: 'member.added',
        targetKind: 'user',
        targetId: membership.user.id,
        summary: `${membership.user.email} joined as ${membership.role}`,
        after: { role: membership.role },
      });
      return {
        user: membership.user,
        role: membership.role,
        customRole: null,
        directRole: membership.role,
        teamRole: existing?.team_role ?? null,
        joinedAt: existing?.created_at ?? now.toISOString(),
      };
    },

    /** Applies what a person's teams give them on a workspace (team-membership.ts), in the caller's transaction. */
    applyTeamAccess: (executor: DatabaseExecutor, change: TeamAccessChange) => applyTeamAccess(context, dependencies, executor, change),

    /** Gives a member a built-in or a custom role (member-role-change.ts) and answers the member. */
    async updateMemberRole(principal: Principal, userId: string, change: UpdateMemberInput): Promise<Member> {
      await changeMemberRole(context, dependencies, principal, userId, change);
      const member = (await listMembersOf(db, principal.workspaceId)).find((candidate) => candidate.user.id === userId);
      if (!member) throw new AppError('USER_NOT_FOUND', 'No member with this id in the workspace.');
      return member;
    },

    /** How many members hold one custom role, however they came by it. */
    countHoldersOfCustomRole(workspaceId: string, roleId: string, executor: DatabaseExecutor = db): Promise<number> {
      return countHoldersOfCustomRole(executor, workspaceId, roleId);
    },

    /** How many members hold each custom role (the roles module's member counts). */
    countCustomRoleHolders(workspaceId: string, executor: DatabaseExecutor = db): Promise<Map<string, number>> {
      return countCustomRoleHolders(executor, workspaceId);
    },

    /**
     * A person's memberships with what erasing them would do to each workspace: `blocksErasure`
     * when they are its last owner and others are members (it would be left without an owner).
     */
    async listMembershipsForErasure(
      userId: string,
      executor: DatabaseExecutor = db,
    ): Promise<{ workspaceId: string; name: string; role: WorkspaceRole; joinedAt: string; blocksErasure: boolean }[]> {
      const rows = await listMembershipCountsOfUser(executor, userId);
      return rows.map((row) => ({
        workspaceId: row.workspace_id,
        name: row.name,
        role: row.role,
        joinedAt: row.joined_at,
        blocksErasure: row.role === 'owner' && Number(row.owners) <= 1 && Number(row.members) > 1,
      }));
    },

    /**
     * Erasure takes a person out of a workspace in the caller's transaction: no role checks (the
     * compliance service made them), `member-removed` so that streams and cached credentials drop.
     */
    async removeMemberInTransaction(
      executor: DatabaseExecutor,
      removal: { workspaceId: string; userId: string; actor: PrincipalReference },
    ) {
      await deleteMembership(executor, removal.workspaceId, removal.userId);
      await dependencies
        .organizations()
        .leaveOrganizationInTransaction(executor, removal.workspaceId, removal.userId, { leaveTeams: true, actor: removal.actor });
      await appendEvent(executor, {
        workspaceId: removal.workspaceId,
        type: 'member-removed',
        actor: removal.actor,
        summary: 'a member was erased from the workspace',
        data: { userId: removal.userId },
        at: clock.now(),
      });
    },

    async removeMember(principal: Principal, userId: string): Promise<void> {
      assertCan(principal, 'member:manage');
      await db.transaction().execute(async (trx) => {
        const membership = await findMembership(trx, principal.workspaceId, userId);
        if (!membership) throw new AppError('USER_NOT_FOUND', 'No member with this id in the workspace.');
        if (membership.team_role) {
          throw new AppError(
            'MEMBER_HAS_TEAM_ACCESS',
            'This person is a member through a team. Take them out of the team, or take this workspace away from the team, in the organisation’s settings.',
          );
        }
        if (membership.role === 'owner') {
          if (principal.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can remove an owner.');
          if ((await countOwners(trx, principal.workspaceId)) <= 1) {
            throw new AppError('LAST_OWNER', 'A workspace needs at least one owner. Make someone else owner first.');
          }
        }
        await deleteMembership(trx, principal.workspaceId, userId);
        await dependencies.organizations().leaveOrganizationInTransaction(trx, principal.workspaceId, userId, {
          leaveTeams: false,
          actor: toPrincipalReference(principal),
        });
        await dependencies.auth.endSessionsOf(trx, { userId, workspaceId: principal.workspaceId }, clock.now().toISOString());
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'member-removed',
          actor: toPrincipalReference(principal),
          summary: 'a member left the workspace',
          data: { userId },
          at: clock.now(),
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'member.removed',
          targetKind: 'user',
          targetId: userId,
          summary: userId === principal.id ? 'a member left the workspace' : 'a member was removed from the workspace',
          before: { role: membership.role },
        });
      });
    },
  };
}

/** Applies a partial change to the limits: a number sets a column, null clears it; keys stay in board order. */
function mergeWipLimits(current: WipLimits, change: UpdateWorkspaceInput['wipLimits']): WipLimits {
  if (!change) return current;
  const merged: WipLimits = {};
  for (const column of wipLimitColumns) {
    const value = column in change ? change[column] : current[column];
    if (typeof value === 'number') merged[column] = value;
  }
  return merged;
}
