import type { UpdateMemberInput, WorkspaceRole } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RoleService } from '../roles/role.service.js';
import { highestAccess, teamAccessOf } from './membership-access.js';
import { countOwners, findMembership, updateMembershipAccess } from './workspace.repository.js';

export interface MemberRoleChangeDependencies {
  audit: Pick<AuditService, 'recordAuditEntry'>;
  roles: () => Pick<RoleService, 'requireRole'>;
}

/** What a member is to become: a built-in role, or a custom role with the built-in role it narrows. */
interface TargetRole {
  role: WorkspaceRole;
  customRole: { id: string; name: string } | null;
  /** How the change reads, e.g. "member" or "Triage (member)". */
  label: string;
}

async function resolveTarget(
  executor: DatabaseExecutor,
  principal: Principal,
  change: UpdateMemberInput,
  dependencies: MemberRoleChangeDependencies,
): Promise<TargetRole> {
  if ('role' in change) return { role: change.role, customRole: null, label: change.role };
  const custom = await dependencies.roles().requireRole(principal.workspaceId, change.customRoleId, executor);
  return { role: custom.baseRole, customRole: { id: custom.id, name: custom.name }, label: `${custom.name} (${custom.baseRole})` };
}

/**
 * Changes a member's role, in a transaction of its own: owners and admins change roles, only an
 * owner makes or unmakes owners, and the last owner stays one. A custom role sets the built-in
 * role it narrows too, so every check that reads the built-in role stays right.
 */
export async function changeMemberRole(
  context: ServiceContext,
  dependencies: MemberRoleChangeDependencies,
  principal: Principal,
  userId: string,
  change: UpdateMemberInput,
): Promise<void> {
  assertCan(principal, 'member:manage');
  if ('role' in change && change.role === 'owner' && principal.role !== 'owner') {
    throw new AppError('FORBIDDEN', 'Only an owner can make someone an owner.');
  }
  await context.db.transaction().execute(async (trx) => {
    const membership = await findMembership(trx, principal.workspaceId, userId);
    if (!membership) throw new AppError('USER_NOT_FOUND', 'No member with this id in the workspace.');
    const target = await resolveTarget(trx, principal, change, dependencies);
    if (membership.role === 'owner' && principal.role !== 'owner') {
      throw new AppError('FORBIDDEN', 'Only an owner can change the role of an owner.');
    }
    if (membership.role === 'owner' && target.role !== 'owner' && (await countOwners(trx, principal.workspaceId)) <= 1) {
      throw new AppError('LAST_OWNER', 'A workspace needs at least one owner. Make someone else owner first.');
    }
    // The change is to the role given to the person; a higher one a team gives them still applies.
    const direct = { role: target.role, customRoleId: target.customRole?.id ?? null };
    const applies = highestAccess([direct, teamAccessOf(membership)]) ?? direct;
    await updateMembershipAccess(trx, principal.workspaceId, userId, {
      direct_role: direct.role,
      direct_custom_role_id: direct.customRoleId,
      role: applies.role,
      custom_role_id: applies.customRoleId,
    });
    const summary = `a member's role changed from ${membership.role} to ${target.label}`;
    await appendEvent(trx, {
      workspaceId: principal.workspaceId,
      type: 'member-updated',
      actor: toPrincipalReference(principal),
      summary,
      data: { userId, role: applies.role, previousRole: membership.role, customRoleId: applies.customRoleId },
      at: context.clock.now(),
    });
    await dependencies.audit.recordAuditEntry(trx, {
      workspaceId: principal.workspaceId,
      actor: principal,
      action: 'member.role-changed',
      targetKind: 'user',
      targetId: userId,
      summary,
      before: { role: membership.role, customRoleId: membership.custom_role_id },
      after: { role: target.role, customRoleId: target.customRole?.id ?? null },
    });
  });
}
