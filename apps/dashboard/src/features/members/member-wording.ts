import type { Member } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { describeError } from '../../lib/describe-error';
import { builtInRoleLabel, customRoleLabel } from '../roles/role-wording';

/** "Triage · narrows member" for a custom role, "Admin" for a built-in one. */
export function memberRoleLabel(member: Pick<Member, 'role' | 'customRole'>): string {
  return member.customRole ? customRoleLabel(member.customRole, member.role) : builtInRoleLabel(member.role);
}

/** Why changing a member's role or removing them failed, in plain words (the server's message for the rest). */
export function describeMemberFailure(failure: unknown, action: 'change' | 'remove', name: string): string {
  if (isMissionControlError(failure)) {
    switch (failure.code) {
      case 'LAST_OWNER':
        return 'A workspace needs at least one owner: make someone else owner first.';
      case 'FORBIDDEN':
        return action === 'remove'
          ? 'Only an owner can remove an owner.'
          : 'Only an owner can make someone an owner or change an owner’s role.';
      case 'USER_NOT_FOUND':
        return `${name} is no longer a member of this workspace.`;
      case 'ROLE_NOT_FOUND':
        return 'That custom role was deleted meanwhile: pick another one.';
      default:
        break;
    }
  }
  return describeError(failure);
}
