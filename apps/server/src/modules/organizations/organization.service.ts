import type {
  CreateOrganizationInput,
  Organization,
  OrganizationRole,
  PrincipalReference,
  UpdateOrganizationInput,
} from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserService } from '../users/user.service.js';
import {
  countOrganizationContents,
  deleteOrganizationMember,
  findOrganizationById,
  findOrganizationBySlug,
  findOrganizationIdOfWorkspace,
  findOrganizationMember,
  findOrganizationSsoRow,
  hasMembershipInOrganization,
  insertOrganization,
  insertOrganizationMemberIfAbsent,
  listOrganizationMemberRows,
  listOrganizationsOfUser,
  listWorkspacesOfOrganization,
  lockOrganization,
  type OrganizationRow,
  updateOrganizationRow,
} from './organization.repository.js';
import { announceInOrganization, type OrganizationAnnouncement } from './organization-announcements.js';
import {
  describeField,
  type LimitName,
  limitCacheMs,
  limitLabels,
  readOrganizationLimits,
  roleRank,
  slugOf,
} from './organization-limits.js';
import { toOrganizationSso } from './organization-sso.service.js';
import { budgetPeriodOf, type OrganizationUsageSource, readOrganizationUsage } from './organization-usage.js';

/** What the sign-in rules need of the sessions and second factors, which other modules keep. */
export interface OrganizationSignInDependencies {
  /** Which of these people have a second factor. */
  findEnrolledUserIds(userIds: readonly string[], executor?: DatabaseExecutor): Promise<Set<string>>;
  /** Marks (or unmarks) the live sessions in these workspaces as needing a second factor first, except those of `exempt`. */
  requireMfaEnrolmentOfSessions(
    executor: DatabaseExecutor,
    change: { workspaceIds: readonly string[]; required: boolean; exemptUserIds: ReadonlySet<string> },
  ): Promise<void>;
}

export interface OrganizationServiceDependencies {
  users: Pick<UserService, 'findUsers'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** What its built-in agents used, through a getter: the usage service is built later. */
  usage: () => OrganizationUsageSource;
  signIn: () => OrganizationSignInDependencies;
  /** Takes a person who left the organisation out of its teams (team.service.ts), through a getter. */
  teams: () => {
    leaveTeamsInTransaction(executor: DatabaseExecutor, organizationId: string, userId: string, actor: PrincipalReference): Promise<void>;
  };
  /** Whether single sign-on is configured, so password sign-in may be turned off. */
  singleSignOnConfigured: boolean;
}

/** Organisations: who belongs, their limits and sign-in rules, and the workspaces they own. */
export class OrganizationService {
  private readonly organizationOfWorkspace = new Map<string, string>();
  private readonly cachedRows = new Map<string, { row: OrganizationRow; readAt: number }>();

  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: OrganizationServiceDependencies,
  ) {}

  /** The organisation of a workspace (workspaces never move, so it is kept in memory). */
  async findOrganizationIdOf(workspaceId: string, executor: DatabaseExecutor = this.context.db): Promise<string | null> {
    const known = this.organizationOfWorkspace.get(workspaceId);
    if (known) return known;
    const organizationId = await findOrganizationIdOfWorkspace(executor, workspaceId);
    if (organizationId && executor === this.context.db) this.organizationOfWorkspace.set(workspaceId, organizationId);
    return organizationId;
  }

  /** A workspace's organisation as of at most a few seconds ago (for checks on every request). */
  async findRecentOrganizationOf(workspaceId: string): Promise<OrganizationRow | undefined> {
    const organizationId = await this.findOrganizationIdOf(workspaceId);
    if (!organizationId) return undefined;
    const now = this.context.clock.now().getTime();
    const cached = this.cachedRows.get(organizationId);
    if (cached && now - cached.readAt < limitCacheMs) return cached.row;
    const row = await findOrganizationById(this.context.db, organizationId);
    if (row) this.cachedRows.set(organizationId, { row, readAt: now });
    return row;
  }

  /** Forgets what this instance read of an organisation (it changed here, or another instance said so). */
  forgetCachedOrganization(organizationId: string): void {
    this.cachedRows.delete(organizationId);
  }

  /** The organisation and the caller's role in it; 404 to anyone outside, 403 below `minimum`. */
  async requireOrganizationRole(
    principal: Principal,
    organizationId: string,
    minimum: OrganizationRole,
    executor: DatabaseExecutor = this.context.db,
  ): Promise<{ row: OrganizationRow; role: OrganizationRole }> {
    const membership = principal.kind === 'user' ? await findOrganizationMember(executor, organizationId, principal.id) : undefined;
    const row = membership && (await findOrganizationById(executor, organizationId));
    if (!membership || !row) {
      throw new AppError(
        'ORGANIZATION_NOT_FOUND',
        'No organisation with this id that you belong to. List yours with GET /api/v1/organizations.',
      );
    }
    if (roleRank[membership.role] < roleRank[minimum]) {
      const who = minimum === 'owner' ? 'its owners' : 'its owners and admins';
      throw new AppError('FORBIDDEN', `Only ${who} can do this in ${row.name}. Ask one of them.`);
    }
    return { row, role: membership.role };
  }

  private async toOrganization(row: OrganizationRow, role: OrganizationRole): Promise<Organization> {
    const contents = await countOrganizationContents(this.context.db, row.id);
    const workspaceIds = (await listWorkspacesOfOrganization(this.context.db, row.id)).map((workspace) => workspace.id);
    const usage = await readOrganizationUsage(this.dependencies.usage(), workspaceIds, this.context.clock.now());
    const sso = await findOrganizationSsoRow(this.context.db, row.id);
    return {
      id: row.id,
      name: row.name,
      slug: row.slug,
      role,
      limits: readOrganizationLimits(row),
      usage: { ...contents, ...usage },
      passwordSignInDisabled: row.password_sign_in_disabled === 1,
      mfaRequired: row.mfa_required === 1,
      sso: sso ? toOrganizationSso(sso) : null,
      createdAt: row.created_at,
    };
  }

  /** Appends an event and an audit entry to each workspace of the organisation (the team service announces the same way). */
  announceInOrganization<Type extends OrganizationAnnouncement['type']>(
    executor: DatabaseExecutor,
    organizationId: string,
    actor: Principal,
    entry: OrganizationAnnouncement<Type>,
  ): Promise<void> {
    return announceInOrganization(this.context, this.dependencies.audit, executor, organizationId, actor, entry);
  }

  /** Creates an organisation owned by one person, in the caller's transaction; answers its id. */
  async createOrganizationInTransaction(
    executor: DatabaseExecutor,
    organization: { name: string; slug: string; ownerId: string },
  ): Promise<string> {
    if (await findOrganizationBySlug(executor, organization.slug)) {
      throw new AppError('ORGANIZATION_SLUG_TAKEN', `The slug "${organization.slug}" is taken. Choose another slug.`);
    }
    const id = createId();
    const now = this.context.clock.now().toISOString();
    await insertOrganization(executor, {
      id,
      name: organization.name,
      slug: organization.slug,
      limits: '{}',
      password_sign_in_disabled: 0,
      mfa_required: 0,
      created_at: now,
    });
    await insertOrganizationMemberIfAbsent(executor, {
      organization_id: id,
      user_id: organization.ownerId,
      role: 'owner',
      created_at: now,
    });
    return id;
  }

  /**
   * The organisation a new workspace goes into: the one asked for, or the current workspace's.
   * The caller must belong to it, and it must have room for one more workspace (and the agents
   * an archive brings).
   */
  async chooseOrganizationForWorkspace(
    executor: DatabaseExecutor,
    principal: Principal,
    organizationId: string | undefined,
    adding: { agents?: number } = {},
  ): Promise<string> {
    const chosen = organizationId ?? (await this.findOrganizationIdOf(principal.workspaceId, executor));
    if (!chosen) throw new AppError('ORGANIZATION_NOT_FOUND', 'Your workspace belongs to no organisation. Sign in again.');
    await this.requireOrganizationRole(principal, chosen, 'member', executor);
    await this.assertRoomFor(executor, chosen, { workspaces: 1, agents: adding.agents ?? 0 });
    return chosen;
  }

  /** Refuses with 403 ORGANIZATION_LIMIT_REACHED when one more agent would pass the workspace's organisation's limit. */
  async assertWithinLimitInTransaction(executor: DatabaseExecutor, workspaceId: string, limit: 'maxAgents'): Promise<void> {
    const organizationId = await this.findOrganizationIdOf(workspaceId, executor);
    if (organizationId) await this.assertRoomFor(executor, organizationId, { workspaces: 0, agents: limit === 'maxAgents' ? 1 : 0 });
  }

  private async assertRoomFor(executor: DatabaseExecutor, organizationId: string, adding: { workspaces: number; agents: number }) {
    const row = await lockOrganization(executor, this.context.engine, organizationId);
    if (!row) return;
    const limits = readOrganizationLimits(row);
    if (limits.maxWorkspaces === null && limits.maxAgents === null) return;
    const contents = await countOrganizationContents(executor, organizationId);
    const checks: [LimitName, number, number][] = [
      ['maxWorkspaces', contents.workspaces, adding.workspaces],
      ['maxAgents', contents.agents, adding.agents],
    ];
    for (const [name, current, extra] of checks) {
      const value = limits[name];
      if (extra > 0 && value !== null && current + extra > value) {
        throw new AppError(
          'ORGANIZATION_LIMIT_REACHED',
          `${row.name} may have at most ${value} ${limitLabels[name]} and has ${current}. An owner can raise the limit in the organisation’s settings, or remove one first.`,
          { limit: name, value, current },
        );
      }
    }
  }

  /** Why built-in agents of this workspace may not take a turn now (the organisation's monthly limit), or null. */
  async findUsageStop(workspaceId: string): Promise<string | null> {
    const row = await this.findRecentOrganizationOf(workspaceId);
    if (!row) return null;
    const limits = readOrganizationLimits(row);
    if (limits.monthlyTokenLimit === null && limits.monthlyCostLimitMicroDollars === null) return null;
    const workspaceIds = (await listWorkspacesOfOrganization(this.context.db, row.id)).map((workspace) => workspace.id);
    const now = this.context.clock.now();
    const usage = await readOrganizationUsage(this.dependencies.usage(), workspaceIds, now);
    const over =
      (limits.monthlyTokenLimit !== null && usage.monthTokens >= limits.monthlyTokenLimit) ||
      (limits.monthlyCostLimitMicroDollars !== null && usage.monthCostMicroDollars >= limits.monthlyCostLimitMicroDollars);
    return over
      ? `${row.name} used its monthly model limit for ${budgetPeriodOf(now)}; built-in agents resume when an owner raises it or the month turns.`
      : null;
  }

  /** The requests a minute all of a workspace's organisation may make, or null for no limit. */
  async findRequestLimit(workspaceId: string): Promise<{ organizationId: string; name: string; requestsPerMinute: number } | null> {
    const row = await this.findRecentOrganizationOf(workspaceId);
    const requestsPerMinute = row ? readOrganizationLimits(row).requestsPerMinute : null;
    return row && requestsPerMinute !== null ? { organizationId: row.id, name: row.name, requestsPerMinute } : null;
  }

  /** Refuses a password sign-in into a workspace whose organisation signs in with single sign-on only. */
  async assertPasswordSignInAllowed(workspaceId: string): Promise<void> {
    const organizationId = await this.findOrganizationIdOf(workspaceId);
    const row = organizationId ? await findOrganizationById(this.context.db, organizationId) : undefined;
    if (row?.password_sign_in_disabled === 1) {
      throw new AppError(
        'PASSWORD_SIGN_IN_DISABLED',
        `${row.name} signs in with single sign-on only. Use the “Sign in with …” button instead of your password.`,
      );
    }
  }

  /** Whether the workspace's organisation requires every member to have a second factor. */
  async requiresSecondFactor(workspaceId: string): Promise<boolean> {
    const organizationId = await this.findOrganizationIdOf(workspaceId);
    const row = organizationId ? await findOrganizationById(this.context.db, organizationId) : undefined;
    return row?.mfa_required === 1;
  }

  /** Whether a new session of this person in this workspace must enrol a second factor before anything else. */
  async requiresMfaEnrolment(workspaceId: string, userId: string): Promise<boolean> {
    if (!(await this.requiresSecondFactor(workspaceId))) return false;
    return !(await this.dependencies.signIn().findEnrolledUserIds([userId])).has(userId);
  }

  /** Makes a new member of a workspace a member of its organisation, in the caller's transaction. */
  async joinOrganizationInTransaction(executor: DatabaseExecutor, workspaceId: string, userId: string): Promise<void> {
    const organizationId = await this.findOrganizationIdOf(workspaceId, executor);
    if (!organizationId) return;
    const now = this.context.clock.now().toISOString();
    await insertOrganizationMemberIfAbsent(executor, { organization_id: organizationId, user_id: userId, role: 'member', created_at: now });
  }

  /**
   * After someone left a workspace: when it was their last one in the organisation, a plain
   * member leaves it and its teams (owners and admins stay: they run it without a workspace).
   * `leaveTeams` takes them out of its teams even so (erasure).
   */
  async leaveOrganizationInTransaction(
    executor: DatabaseExecutor,
    workspaceId: string,
    userId: string,
    options: { leaveTeams: boolean; actor: PrincipalReference },
  ): Promise<void> {
    const organizationId = await this.findOrganizationIdOf(workspaceId, executor);
    if (!organizationId) return;
    const member = await findOrganizationMember(executor, organizationId, userId);
    if (!member) return;
    const gone = !(await hasMembershipInOrganization(executor, organizationId, userId));
    if (options.leaveTeams || gone)
      await this.dependencies.teams().leaveTeamsInTransaction(executor, organizationId, userId, options.actor);
    if (gone && member.role === 'member' && !(await hasMembershipInOrganization(executor, organizationId, userId))) {
      await deleteOrganizationMember(executor, organizationId, userId);
    }
  }

  async listOrganizations(principal: Principal): Promise<Organization[]> {
    if (principal.kind !== 'user') return [];
    const rows = await listOrganizationsOfUser(this.context.db, principal.id);
    return Promise.all(rows.map((row) => this.toOrganization(row, row.member_role)));
  }

  async getOrganization(principal: Principal, organizationId: string): Promise<Organization> {
    const { row, role } = await this.requireOrganizationRole(principal, organizationId, 'member');
    return this.toOrganization(row, role);
  }

  /** A signed-in person creates an organisation and becomes its owner. */
  async createOrganization(principal: Principal, input: CreateOrganizationInput): Promise<Organization> {
    if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'Only people can create organisations.');
    const id = await this.context.db.transaction().execute(async (trx) => {
      const organizationId = await this.createOrganizationInTransaction(trx, {
        name: input.name,
        slug: input.slug ?? slugOf(input.name),
        ownerId: principal.id,
      });
      // Recorded where the creator works now: the new organisation has no workspace yet.
      await this.dependencies.audit.recordAuditEntry(trx, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'organization.created',
        targetKind: 'organization',
        targetId: organizationId,
        summary: `organisation ${input.name} created`,
      });
      return organizationId;
    });
    return this.getOrganization(principal, id);
  }

  /** Owners rename it, change its limits and its sign-in rules; applied at once, announced in each workspace. */
  async updateOrganization(principal: Principal, organizationId: string, input: UpdateOrganizationInput): Promise<Organization> {
    await this.context.db.transaction().execute(async (trx) => {
      const { row } = await this.requireOrganizationRole(principal, organizationId, 'owner', trx);
      const before = {
        name: row.name,
        limits: readOrganizationLimits(row),
        passwordSignInDisabled: row.password_sign_in_disabled === 1,
        mfaRequired: row.mfa_required === 1,
      };
      const after = {
        name: input.name ?? before.name,
        limits: { ...before.limits, ...input.limits },
        passwordSignInDisabled: input.passwordSignInDisabled ?? before.passwordSignInDisabled,
        mfaRequired: input.mfaRequired ?? before.mfaRequired,
      };
      const ownSso = await findOrganizationSsoRow(trx, organizationId);
      if (after.passwordSignInDisabled && !before.passwordSignInDisabled && !this.dependencies.singleSignOnConfigured && !ownSso) {
        throw new AppError(
          'SSO_NOT_CONFIGURED',
          'Single sign-on is not set up, so turning password sign-in off would lock everyone out. Set up the organisation’s provider (PUT /api/v1/organizations/{id}/sso) or the server’s (MISSION_OIDC_ISSUER) first.',
        );
      }
      const fields = (['name', 'limits', 'passwordSignInDisabled', 'mfaRequired'] as const).filter(
        (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
      );
      if (fields.length === 0) return;
      await updateOrganizationRow(trx, organizationId, {
        name: after.name,
        limits: JSON.stringify(after.limits),
        password_sign_in_disabled: after.passwordSignInDisabled ? 1 : 0,
        mfa_required: after.mfaRequired ? 1 : 0,
      });
      const workspaceIds = (await listWorkspacesOfOrganization(trx, organizationId)).map((workspace) => workspace.id);
      if (fields.includes('mfaRequired')) await this.applyMfaRequirement(trx, organizationId, workspaceIds, after.mfaRequired);
      await this.announceInOrganization(trx, organizationId, principal, {
        type: 'organization-updated',
        data: { organizationId, ...after, fields: [...fields] },
        summary: `organisation ${after.name}: ${fields.map(describeField).join(', ')} changed`,
        action: 'organization.updated',
        targetKind: 'organization',
        targetId: organizationId,
        before: Object.fromEntries(fields.map((field) => [field, before[field]])),
        after: Object.fromEntries(fields.map((field) => [field, after[field]])),
        workspaceIds,
      });
    });
    this.forgetCachedOrganization(organizationId);
    return this.getOrganization(principal, organizationId);
  }

  /** Sessions already open follow the rule at once: without a second factor they may only enrol one. */
  private async applyMfaRequirement(
    executor: DatabaseExecutor,
    organizationId: string,
    workspaceIds: readonly string[],
    required: boolean,
  ) {
    const members = await listOrganizationMemberRows(executor, organizationId);
    const enrolled = await this.dependencies.signIn().findEnrolledUserIds(
      members.map((member) => member.user_id),
      executor,
    );
    await this.dependencies.signIn().requireMfaEnrolmentOfSessions(executor, { workspaceIds, required, exemptUserIds: enrolled });
  }

  /** The workspaces of an organisation, for the team service. */
  listWorkspacesOf(executor: DatabaseExecutor, organizationId: string) {
    return listWorkspacesOfOrganization(executor, organizationId);
  }

  /** Whether a person belongs to the organisation, for the team service. */
  async isMember(executor: DatabaseExecutor, organizationId: string, userId: string): Promise<boolean> {
    return (await findOrganizationMember(executor, organizationId, userId)) !== undefined;
  }
}
