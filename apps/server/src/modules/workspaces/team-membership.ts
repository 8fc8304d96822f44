import type { PrincipalReference } from '@mission-control/contracts';
import type { AuthService } from '../../auth/auth.service.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { directAccessOf, highestAccess, type WorkspaceAccess } from './membership-access.js';
import { deleteMembership, findMembership, insertMembership, updateMembershipAccess } from './workspace.repository.js';

/** What a person's teams now give them on one workspace (null: nothing), and who changed it. */
export interface TeamAccessChange {
  workspaceId: string;
  userId: string;
  access: WorkspaceAccess | null;
  actor: PrincipalReference;
}

/**
 * Applies what a person's teams give them on a workspace, in the caller's transaction (the
 * organisations module computed it): a person without a membership joins, one who had it only
 * through teams leaves when no team gives it any more, and the role that applies is the highest
 * of theirs and the teams'. Announced like any other change of membership, so streams and
 * cached credentials follow on every instance.
 */
export async function applyTeamAccess(
  context: Pick<ServiceContext, 'clock'>,
  dependencies: { auth: Pick<AuthService, 'endSessionsOf'> },
  executor: DatabaseExecutor,
  change: TeamAccessChange,
): Promise<void> {
  const { workspaceId, userId, access, actor } = change;
  const now = context.clock.now();
  const existing = await findMembership(executor, workspaceId, userId);
  if (!existing) {
    if (!access) return;
    await insertMembership(executor, {
      workspace_id: workspaceId,
      user_id: userId,
      role: access.role,
      custom_role_id: access.customRoleId,
      direct_role: null,
      direct_custom_role_id: null,
      team_role: access.role,
      team_custom_role_id: access.customRoleId,
      created_at: now.toISOString(),
    });
    await appendEvent(executor, {
      workspaceId,
      type: 'member-added',
      actor,
      summary: `a member joined through a team as ${access.role}`,
      data: { userId, role: access.role },
      at: now,
    });
    return;
  }
  const applies = highestAccess([directAccessOf(existing), access]);
  if (!applies) {
    await deleteMembership(executor, workspaceId, userId);
    await dependencies.auth.endSessionsOf(executor, { userId, workspaceId }, now.toISOString());
    await appendEvent(executor, {
      workspaceId,
      type: 'member-removed',
      actor,
      summary: 'a member left with the team that made them one',
      data: { userId },
      at: now,
    });
    return;
  }
  await updateMembershipAccess(executor, workspaceId, userId, {
    team_role: access?.role ?? null,
    team_custom_role_id: access?.customRoleId ?? null,
    role: applies.role,
    custom_role_id: applies.customRoleId,
  });
  if (applies.role !== existing.role || applies.customRoleId !== existing.custom_role_id) {
    await appendEvent(executor, {
      workspaceId,
      type: 'member-updated',
      actor,
      summary: `a member's role changed from ${existing.role} to ${applies.role} through a team`,
      data: { userId, role: applies.role, previousRole: existing.role, customRoleId: applies.customRoleId },
      at: now,
    });
  }
}
