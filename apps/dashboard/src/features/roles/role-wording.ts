import type { CustomRoleBase, Permission, WorkspaceRole } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { z } from 'zod';
import { describeError } from '../../lib/describe-error';
import { plural } from '../../lib/format';

/** "Triage · narrows member": a custom role with the built-in role it narrows. */
export function customRoleLabel(role: { name: string }, baseRole: CustomRoleBase | WorkspaceRole): string {
  return `${role.name} · narrows ${baseRole}`;
}

/** "Owner", "Viewer": a built-in role as a picker or a heading shows it. */
export function builtInRoleLabel(role: WorkspaceRole): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** "Working state" for working-state: the part of a permission name before the dot, as a person reads it. */
export function permissionGroupLabel(group: string): string {
  const words = group.replace(/-/g, ' ');
  if (group === 'mcp') return 'MCP';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface PermissionGroup {
  /** The part before the dot: tasks for tasks.read and tasks.write. */
  group: string;
  read: Permission | undefined;
  write: Permission | undefined;
}

/** The permissions by area (tasks, agents, …), each with its read and write permission, in the order of the names. */
export function groupPermissions(permissions: readonly Permission[]): PermissionGroup[] {
  const groups = new Map<string, PermissionGroup>();
  for (const permission of permissions) {
    const [group = permission.name, access] = permission.name.split('.');
    const entry = groups.get(group) ?? { group, read: undefined, write: undefined };
    if (access === 'read') entry.read = permission;
    else entry.write = permission;
    groups.set(group, entry);
  }
  return [...groups.values()].sort((left, right) => left.group.localeCompare(right.group));
}

/** What ROLE_IN_USE carries: how many members still hold the role. */
const inUseDetailsSchema = z.object({ memberCount: z.number().int() });

/** "2 members hold this role: give them another role first." */
export function describeRoleInUse(memberCount: number): string {
  return `${plural(memberCount, 'member')} ${memberCount === 1 ? 'holds' : 'hold'} this role: give them another role first.`;
}

/** Why deleting a role failed, in plain words. */
export function describeDeleteFailure(failure: unknown, knownCount: number): string {
  if (isMissionControlError(failure)) {
    if (failure.code === 'ROLE_IN_USE') {
      const count = inUseDetailsSchema.safeParse(failure.details).data?.memberCount ?? Math.max(knownCount, 1);
      return describeRoleInUse(count);
    }
    if (failure.code === 'ROLE_NOT_FOUND') return 'This role is already gone, perhaps deleted by someone else a moment ago.';
  }
  return describeError(failure);
}
