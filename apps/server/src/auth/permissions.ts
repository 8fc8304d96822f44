import { AppError } from '../http/app-error.js';
import type { Principal } from './principal.js';

/**
 * What each kind of caller may do. Agents act like members on the work itself (tasks,
 * messages, documents) but cannot manage people, other agents or keys.
 */
const allowedRoles = {
  'workspace:read': ['owner', 'admin', 'member', 'viewer', 'agent'],
  'work:write': ['owner', 'admin', 'member', 'agent'],
  'task:delete': ['owner', 'admin', 'member'],
  'agent:manage': ['owner', 'admin', 'member'],
  // Giving an agent a repository lets it run programs on the server's machine.
  'agent-workspace:manage': ['owner', 'admin'],
  'member:manage': ['owner', 'admin'],
  // Its name and board limits; the slug and task key prefix never change.
  'workspace:manage': ['owner', 'admin'],
  'integration:manage': ['owner', 'admin'],
  'audit:read': ['owner', 'admin'],
  'audit:configure': ['owner'],
  // Instance-wide: how the server's machine is doing.
  'system:read': ['owner', 'admin'],
  'alert:configure': ['owner', 'admin'],
} as const satisfies Record<string, readonly Principal['role'][]>;

export type Permission = keyof typeof allowedRoles;

export function can(principal: Principal, permission: Permission): boolean {
  const roles: readonly Principal['role'][] = allowedRoles[permission];
  return roles.includes(principal.role);
}

/** Throws FORBIDDEN unless the principal holds the permission. */
export function assertCan(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) {
    throw new AppError('FORBIDDEN', `Your role (${principal.role}) cannot do this (${permission}). Ask a workspace owner or admin.`);
  }
}
