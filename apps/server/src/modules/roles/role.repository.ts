import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { CustomRoleTable } from '../../db/schema.js';

export type CustomRoleRow = Selectable<CustomRoleTable>;

export function listCustomRoles(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('custom_roles').selectAll().where('workspace_id', '=', workspaceId).orderBy('name_key').execute();
}

export function findCustomRole(executor: DatabaseExecutor, workspaceId: string, roleId: string) {
  return executor
    .selectFrom('custom_roles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', roleId)
    .executeTakeFirst();
}

export function findCustomRolesByIds(executor: DatabaseExecutor, roleIds: readonly string[]) {
  if (roleIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('custom_roles').select(['id', 'name']).where('id', 'in', roleIds).execute();
}

export function findCustomRoleByName(executor: DatabaseExecutor, workspaceId: string, nameKey: string) {
  return executor
    .selectFrom('custom_roles')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
}

export async function insertCustomRole(executor: DatabaseExecutor, row: Insertable<CustomRoleTable>): Promise<void> {
  await executor.insertInto('custom_roles').values(row).execute();
}

export async function updateCustomRole(executor: DatabaseExecutor, roleId: string, change: Updateable<CustomRoleTable>): Promise<void> {
  await executor.updateTable('custom_roles').set(change).where('id', '=', roleId).execute();
}

export async function deleteCustomRole(executor: DatabaseExecutor, roleId: string): Promise<void> {
  await executor.deleteFrom('custom_roles').where('id', '=', roleId).execute();
}
