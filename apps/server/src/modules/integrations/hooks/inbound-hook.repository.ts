import type { InboundHook } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, parseJsonColumn } from '../../../db/database.js';
import type { InboundHookTable } from '../../../db/schema.js';

export type InboundHookRow = Selectable<InboundHookTable>;

export async function insertInboundHook(executor: DatabaseExecutor, row: Insertable<InboundHookTable>): Promise<void> {
  await executor.insertInto('inbound_hooks').values(row).execute();
}

export function findInboundHook(executor: DatabaseExecutor, workspaceId: string, hookId: string) {
  return executor
    .selectFrom('inbound_hooks')
    .selectAll()
    .where('id', '=', hookId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** By id alone: an outside caller names only the hook. */
export function findInboundHookById(executor: DatabaseExecutor, hookId: string) {
  return executor.selectFrom('inbound_hooks').selectAll().where('id', '=', hookId).executeTakeFirst();
}

/** Newest first. */
export function listInboundHooks(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('inbound_hooks').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').execute();
}

export async function updateInboundHook(executor: DatabaseExecutor, hookId: string, changes: Updateable<InboundHookTable>): Promise<void> {
  await executor.updateTable('inbound_hooks').set(changes).where('id', '=', hookId).execute();
}

export async function deleteInboundHook(executor: DatabaseExecutor, hookId: string): Promise<void> {
  await executor.deleteFrom('inbound_hooks').where('id', '=', hookId).execute();
}

const templateSchema = z.record(z.string(), z.string());

export function readTemplate(row: InboundHookRow): Record<string, string> {
  return parseJsonColumn(templateSchema, row.template, 'inbound_hooks.template');
}

export function toInboundHook(row: InboundHookRow): InboundHook {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    action: row.action,
    template: readTemplate(row),
    enabled: row.disabled_at === null,
    path: `/api/v1/hooks/${row.id}`,
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    lastReceivedAt: row.last_received_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
