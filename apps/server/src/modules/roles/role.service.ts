import type { BuiltInRole, CreateCustomRoleInput, CustomRole, RoleList, UpdateCustomRoleInput } from '@mission-control/contracts';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  type CustomRoleRow,
  deleteCustomRole,
  findCustomRole,
  findCustomRoleByName,
  findCustomRolesByIds,
  insertCustomRole,
  listCustomRoles,
  updateCustomRole,
} from './role.repository.js';

/** What the roles service needs of the workspaces module: how many members hold each role. */
export interface RoleHolders {
  countCustomRoleHolders(workspaceId: string, executor?: DatabaseExecutor): Promise<Map<string, number>>;
  countHoldersOfCustomRole(workspaceId: string, roleId: string, executor?: DatabaseExecutor): Promise<number>;
}

/** What the roles service needs of the organisations module: the teams given a role (they may have no members yet). */
export interface RoleTeamGrants {
  countTeamsGivenRole(roleId: string, executor?: DatabaseExecutor): Promise<number>;
}

export interface RoleServiceDependencies {
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** A getter: the workspaces service is built before this one and reaches it the same way. */
  holders: () => RoleHolders;
  /** Teams given a role, through a getter: the organisations module is built after this one. */
  teamGrants?: () => RoleTeamGrants;
  /** Every permission name a role may list (the same as API key scopes). */
  permissionNames: ReadonlySet<string>;
}

const permissionListSchema = z.array(z.string());

const builtInRoles: BuiltInRole[] = [
  { name: 'owner', description: 'Everything, including the audit settings and making other owners.' },
  { name: 'admin', description: 'Everything but the audit settings and owners: people, agents, keys, integrations.' },
  { name: 'member', description: 'The work itself: tasks, messages, documents, and agents with their keys.' },
  { name: 'viewer', description: 'Reads everything, changes nothing.' },
];

/** The permissions of a stored role, checked against their schema. */
export function readRolePermissions(value: unknown): string[] {
  return parseJsonColumn(permissionListSchema, value, 'custom_roles.permissions');
}

function toCustomRole(row: CustomRoleRow, memberCount: number): CustomRole {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    baseRole: row.base_role,
    permissions: readRolePermissions(row.permissions),
    memberCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type RoleService = ReturnType<typeof createRoleService>;

/** Custom roles: a built-in role narrowed to a named set of permissions (decision 0032). */
export function createRoleService(context: ServiceContext, dependencies: RoleServiceDependencies) {
  const { db, clock } = context;

  function assertKnownPermissions(permissions: readonly string[]): void {
    const unknown = permissions.filter((permission) => !dependencies.permissionNames.has(permission));
    if (unknown.length > 0) {
      throw new AppError('VALIDATION_FAILED', `Unknown permissions: ${unknown.join(', ')}. GET /api/v1/permissions lists the names.`, {
        issues: [{ path: 'body.permissions', message: `Unknown permissions: ${unknown.join(', ')}` }],
      });
    }
  }

  async function assertNameFree(executor: DatabaseExecutor, workspaceId: string, name: string, roleId?: string): Promise<void> {
    const taken = await findCustomRoleByName(executor, workspaceId, name.toLowerCase());
    if (taken && taken.id !== roleId) {
      throw new AppError('ROLE_NAME_TAKEN', `The workspace already has a role named "${name}". Pick another name.`);
    }
  }

  async function requireRoleRow(executor: DatabaseExecutor, workspaceId: string, roleId: string): Promise<CustomRoleRow> {
    const row = await findCustomRole(executor, workspaceId, roleId);
    if (!row) throw new AppError('ROLE_NOT_FOUND', 'No custom role with this id in the workspace. GET /api/v1/roles lists them.');
    return row;
  }

  async function answer(executor: DatabaseExecutor, row: CustomRoleRow): Promise<CustomRole> {
    return toCustomRole(row, await dependencies.holders().countHoldersOfCustomRole(row.workspace_id, row.id, executor));
  }

  /** The event and audit entry of a change, in the caller's transaction. */
  async function announce(
    executor: DatabaseExecutor,
    principal: Principal,
    change: { type: 'role-created' | 'role-updated'; action: 'role.created' | 'role.updated'; row: CustomRoleRow; before?: CustomRoleRow },
  ): Promise<void> {
    const permissions = readRolePermissions(change.row.permissions);
    const verb = change.type === 'role-created' ? 'created' : 'changed';
    await appendEvent(executor, {
      workspaceId: principal.workspaceId,
      type: change.type,
      actor: toPrincipalReference(principal),
      summary: `custom role ${change.row.name} ${verb}`,
      data: { roleId: change.row.id, name: change.row.name, baseRole: change.row.base_role, permissions },
      at: clock.now(),
    });
    await dependencies.audit.recordAuditEntry(executor, {
      workspaceId: principal.workspaceId,
      actor: principal,
      action: change.action,
      targetKind: 'role',
      targetId: change.row.id,
      summary: `custom role ${change.row.name} ${verb}`,
      ...(change.before ? { before: { name: change.before.name, permissions: readRolePermissions(change.before.permissions) } } : {}),
      after: { name: change.row.name, baseRole: change.row.base_role, permissions },
    });
  }

  return {
    /** The built-in roles and the workspace's custom ones; every member reads them. */
    async listRoles(principal: Principal): Promise<RoleList> {
      assertCan(principal, 'workspace:read');
      const [rows, counts] = await Promise.all([
        listCustomRoles(db, principal.workspaceId),
        dependencies.holders().countCustomRoleHolders(principal.workspaceId),
      ]);
      return { builtIn: builtInRoles, data: rows.map((row) => toCustomRole(row, counts.get(row.id) ?? 0)) };
    },

    async createRole(principal: Principal, input: CreateCustomRoleInput): Promise<CustomRole> {
      assertCan(principal, 'member:manage');
      assertKnownPermissions(input.permissions);
      return db.transaction().execute(async (trx) => {
        await assertNameFree(trx, principal.workspaceId, input.name);
        const now = clock.now().toISOString();
        const row: CustomRoleRow = {
          id: createId(),
          workspace_id: principal.workspaceId,
          name: input.name,
          name_key: input.name.toLowerCase(),
          description: input.description,
          base_role: input.baseRole,
          permissions: [...new Set(input.permissions)].sort(),
          created_at: now,
          updated_at: now,
        };
        await insertCustomRole(trx, { ...row, permissions: JSON.stringify(row.permissions) });
        await announce(trx, principal, { type: 'role-created', action: 'role.created', row });
        return toCustomRole(row, 0);
      });
    },

    async updateRole(principal: Principal, roleId: string, input: UpdateCustomRoleInput): Promise<CustomRole> {
      assertCan(principal, 'member:manage');
      if (input.permissions) assertKnownPermissions(input.permissions);
      return db.transaction().execute(async (trx) => {
        const before = await requireRoleRow(trx, principal.workspaceId, roleId);
        if (input.name !== undefined) await assertNameFree(trx, principal.workspaceId, input.name, roleId);
        const permissions = input.permissions ? [...new Set(input.permissions)].sort() : readRolePermissions(before.permissions);
        const row: CustomRoleRow = {
          ...before,
          name: input.name ?? before.name,
          name_key: (input.name ?? before.name).toLowerCase(),
          description: input.description ?? before.description,
          permissions,
          updated_at: clock.now().toISOString(),
        };
        await updateCustomRole(trx, roleId, {
          name: row.name,
          name_key: row.name_key,
          description: row.description,
          permissions: JSON.stringify(permissions),
          updated_at: row.updated_at,
        });
        // The event is what makes every instance forget the holders' cached permissions.
        await announce(trx, principal, { type: 'role-updated', action: 'role.updated', row, before });
        return answer(trx, row);
      });
    },

    async deleteRole(principal: Principal, roleId: string): Promise<CustomRole> {
      assertCan(principal, 'member:manage');
      return db.transaction().execute(async (trx) => {
        const row = await requireRoleRow(trx, principal.workspaceId, roleId);
        const holders = await dependencies.holders().countHoldersOfCustomRole(principal.workspaceId, roleId, trx);
        const teams = (await dependencies.teamGrants?.().countTeamsGivenRole(roleId, trx)) ?? 0;
        if (teams > 0 && holders === 0) {
          throw new AppError(
            'ROLE_IN_USE',
            `${teams === 1 ? 'A team holds' : `${teams} teams hold`} the role ${row.name} on this workspace. Give the team another role first (in the organisation’s teams).`,
            { memberCount: 0, teamCount: teams },
          );
        }
        if (holders > 0) {
          throw new AppError(
            'ROLE_IN_USE',
            `${holders === 1 ? 'One member holds' : `${holders} members hold`} the role ${row.name}. Give them another role first (PATCH /api/v1/members/{userId}).`,
            { memberCount: holders },
          );
        }
        await deleteCustomRole(trx, roleId);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'role-deleted',
          actor: toPrincipalReference(principal),
          summary: `custom role ${row.name} deleted`,
          data: { roleId, name: row.name },
          at: clock.now(),
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'role.deleted',
          targetKind: 'role',
          targetId: roleId,
          summary: `custom role ${row.name} deleted`,
          before: { name: row.name, permissions: readRolePermissions(row.permissions) },
        });
        return toCustomRole(row, 0);
      });
    },

    /** A custom role of the workspace, for giving it to a member; ROLE_NOT_FOUND otherwise. */
    async requireRole(
      workspaceId: string,
      roleId: string,
      executor: DatabaseExecutor = db,
    ): Promise<{ id: string; name: string; baseRole: CustomRole['baseRole'] }> {
      const row = await requireRoleRow(executor, workspaceId, roleId);
      return { id: row.id, name: row.name, baseRole: row.base_role };
    },

    /** The names of custom roles by id, for member lists. */
    async findRoleNames(roleIds: readonly string[], executor: DatabaseExecutor = db): Promise<Map<string, string>> {
      const rows = await findCustomRolesByIds(executor, [...new Set(roleIds)]);
      return new Map(rows.map((row) => [row.id, row.name]));
    },
  };
}
