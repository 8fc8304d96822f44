import type { OrganizationMember, UpdateOrganizationMemberInput } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserService } from '../users/user.service.js';
import {
  countOrganizationOwners,
  findOrganizationMember,
  listOrganizationMemberRows,
  listWorkspacesOfOrganization,
  updateOrganizationMemberRole,
} from './organization.repository.js';
import type { OrganizationService, OrganizationSignInDependencies } from './organization.service.js';

export interface OrganizationMemberServiceDependencies {
  organizations: Pick<OrganizationService, 'requireOrganizationRole'>;
  users: Pick<UserService, 'findUsers'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  signIn: () => Pick<OrganizationSignInDependencies, 'findEnrolledUserIds'>;
}

/** The people of an organisation and their organisation roles. */
export class OrganizationMemberService {
  private readonly organizations: Pick<OrganizationService, 'requireOrganizationRole'>;

  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: OrganizationMemberServiceDependencies,
  ) {
    this.organizations = dependencies.organizations;
  }

  async listMembers(principal: Principal, organizationId: string): Promise<OrganizationMember[]> {
    await this.organizations.requireOrganizationRole(principal, organizationId, 'member');
    const rows = await listOrganizationMemberRows(this.context.db, organizationId);
    return this.toMembers(rows);
  }

  private async toMembers(rows: Awaited<ReturnType<typeof listOrganizationMemberRows>>): Promise<OrganizationMember[]> {
    const userIds = rows.map((row) => row.user_id);
    const users = new Map((await this.dependencies.users.findUsers(userIds)).map((user) => [user.id, user]));
    const enrolled = await this.dependencies.signIn().findEnrolledUserIds(userIds);
    const members = rows.flatMap((row) => {
      const user = users.get(row.user_id);
      return user
        ? [
            {
              userId: user.id,
              name: user.name,
              email: user.email,
              role: row.role,
              mfaEnrolled: enrolled.has(user.id),
              joinedAt: row.created_at,
            },
          ]
        : [];
    });
    return members.sort((left, right) => left.name.localeCompare(right.name));
  }

  /** Owners give organisation roles; the last owner stays one. */
  async updateMember(
    principal: Principal,
    organizationId: string,
    userId: string,
    input: UpdateOrganizationMemberInput,
  ): Promise<OrganizationMember> {
    await this.context.db.transaction().execute(async (trx) => {
      await this.organizations.requireOrganizationRole(principal, organizationId, 'owner', trx);
      const member = await findOrganizationMember(trx, organizationId, userId);
      if (!member)
        throw new AppError(
          'USER_NOT_FOUND',
          'No member with this id in the organisation. List them with GET /api/v1/organizations/{id}/members.',
        );
      if (member.role === input.role) return;
      if (member.role === 'owner' && (await countOrganizationOwners(trx, organizationId)) <= 1) {
        throw new AppError('LAST_OWNER', 'An organisation needs at least one owner. Make someone else owner first.');
      }
      await updateOrganizationMemberRole(trx, organizationId, userId, input.role);
      const workspaceIds = (await listWorkspacesOfOrganization(trx, organizationId)).map((workspace) => workspace.id);
      for (const workspaceId of workspaceIds) {
        await this.dependencies.audit.recordAuditEntry(trx, {
          workspaceId,
          actor: principal,
          action: 'organization.member-role-changed',
          targetKind: 'user',
          targetId: userId,
          summary: `an organisation member's role changed from ${member.role} to ${input.role}`,
          before: { role: member.role },
          after: { role: input.role },
        });
      }
    });
    const [member] = await this.toMembers(
      (await listOrganizationMemberRows(this.context.db, organizationId)).filter((row) => row.user_id === userId),
    );
    if (!member) throw new AppError('USER_NOT_FOUND', 'No member with this id in the organisation.');
    return member;
  }
}
