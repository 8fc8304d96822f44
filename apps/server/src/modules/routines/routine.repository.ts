import { createTaskSchema, type Routine } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import type { RoutineTable } from '../../db/schema.js';

export type RoutineRow = Selectable<RoutineTable>;

export function insertRoutine(executor: DatabaseExecutor, row: Insertable<RoutineTable>) {
  return executor.insertInto('routines').values(row).execute();
}

export function findRoutine(executor: DatabaseExecutor, workspaceId: string, id: string) {
  return executor.selectFrom('routines').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function listRoutineRows(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('routines').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').execute();
}

export function updateRoutineRow(executor: DatabaseExecutor, id: string, changes: Updateable<RoutineTable>) {
  return executor.updateTable('routines').set(changes).where('id', '=', id).execute();
}

export function deleteRoutineRow(executor: DatabaseExecutor, id: string) {
  return executor.deleteFrom('routines').where('id', '=', id).execute();
}

/** Enabled routines whose next run is due. */
export function listDueRoutines(executor: DatabaseExecutor, now: string, limit: number) {
  return executor
    .selectFrom('routines')
    .selectAll()
    .where('enabled', '=', 1)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(limit)
    .execute();
}

/** Moves a routine's next run on, when it is still the one read: the one instance that does it fires the routine. */
export async function claimRoutineRun(
  executor: DatabaseExecutor,
  id: string,
  expectedNextRunAt: string,
  nextRunAt: string | null,
  lastRunAt: string,
) {
  const result = await executor
    .updateTable('routines')
    .set({ next_run_at: nextRunAt, last_run_at: lastRunAt })
    .where('id', '=', id)
    .where('next_run_at', '=', expectedNextRunAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const recordSchema = z.record(z.string(), z.unknown());
const splitSchema = z.record(z.string(), z.number());

export function readRoutineTask(row: RoutineRow) {
  return row.task === null ? null : parseJsonColumn(createTaskSchema, row.task, 'routines.task');
}

export function readRoutineInputs(row: RoutineRow) {
  return parseJsonColumn(recordSchema, row.inputs, 'routines.inputs');
}

export function readRoutineSplit(row: RoutineRow) {
  return row.ab_split === null ? undefined : parseJsonColumn(splitSchema, row.ab_split, 'routines.ab_split');
}

export function toRoutine(row: RoutineRow): Routine {
  const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    schedule: row.schedule,
    timezone: row.timezone,
    workflowId: row.workflow_id,
    task: readRoutineTask(row),
    inputs: readRoutineInputs(row),
    abSplit: readRoutineSplit(row) ?? null,
    enabled: row.enabled === 1,
    nextRunAt: iso(row.next_run_at),
    lastRunAt: iso(row.last_run_at),
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
