import type { WorkspaceRole } from '@mission-control/contracts';

/** A role on a workspace: built-in, or a custom role with the built-in role it narrows. */
export interface WorkspaceAccess {
  role: WorkspaceRole;
  customRoleId: string | null;
}

const rank: Record<WorkspaceRole, number> = { owner: 4, admin: 3, member: 2, viewer: 1 };

/**
 * The access that applies of several (given directly, by each team): the highest built-in role;
 * between equals, the built-in role alone over a custom role that narrows it, since either one
 * already lets the person do everything the narrower one does. Null when there is none.
 */
export function highestAccess(candidates: readonly (WorkspaceAccess | null)[]): WorkspaceAccess | null {
  let best: WorkspaceAccess | null = null;
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (
      !best ||
      rank[candidate.role] > rank[best.role] ||
      (rank[candidate.role] === rank[best.role] && best.customRoleId !== null && candidate.customRoleId === null)
    ) {
      best = candidate;
    }
  }
  return best;
}

/** The direct access a membership row records, or null when the person is a member only through teams. */
export function directAccessOf(row: { direct_role: WorkspaceRole | null; direct_custom_role_id: string | null }): WorkspaceAccess | null {
  return row.direct_role ? { role: row.direct_role, customRoleId: row.direct_custom_role_id } : null;
}

/** The access a membership's teams give, or null. */
export function teamAccessOf(row: { team_role: WorkspaceRole | null; team_custom_role_id: string | null }): WorkspaceAccess | null {
  return row.team_role ? { role: row.team_role, customRoleId: row.team_custom_role_id } : null;
}
