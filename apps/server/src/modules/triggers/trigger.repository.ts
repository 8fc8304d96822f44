// biome-ignore-all lint/suspicious/noThenProperty: `then` is the action of a trigger in the contract
import { type Trigger, triggerActionSchema } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import type { TriggerTable } from '../../db/schema.js';

export type TriggerRow = Selectable<TriggerTable>;

export function insertTrigger(executor: DatabaseExecutor, row: Insertable<TriggerTable>) {
  return executor.insertInto('triggers').values(row).execute();
}

export function findTrigger(executor: DatabaseExecutor, workspaceId: string, id: string) {
  return executor.selectFrom('triggers').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function listTriggerRows(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('triggers').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').execute();
}

export function listEnabledTriggers(executor: DatabaseExecutor) {
  return executor.selectFrom('triggers').selectAll().where('enabled', '=', 1).execute();
}

export function updateTriggerRow(executor: DatabaseExecutor, id: string, changes: Updateable<TriggerTable>) {
  return executor.updateTable('triggers').set(changes).where('id', '=', id).execute();
}

export function deleteTriggerRow(executor: DatabaseExecutor, id: string) {
  return executor.deleteFrom('triggers').where('id', '=', id).execute();
}

/** Moves the trigger's cursor when it is still where it was read: one instance handles each event. */
export async function moveTriggerCursor(executor: DatabaseExecutor, id: string, from: number, to: number, fired: number) {
  const result = await executor
    .updateTable('triggers')
    .set((update) => ({ cursor_seq: to, fired_count: update('fired_count', '+', fired) }))
    .where('id', '=', id)
    .where('cursor_seq', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function readTriggerAction(row: TriggerRow) {
  return parseJsonColumn(triggerActionSchema, row.action, 'triggers.action');
}

export function toTrigger(row: TriggerRow): Trigger {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    on: row.on_event,
    if: row.if_expression,
    then: readTriggerAction(row),
    enabled: row.enabled === 1,
    maxDepth: row.max_depth,
    firedCount: Number(row.fired_count),
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
