import {
  type Workflow,
  type WorkflowDefinition,
  type WorkflowRun,
  type WorkflowStepState,
  type WorkflowVersion,
  workflowDefinitionSchema,
} from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import type { WorkflowRunTable, WorkflowStepTable, WorkflowTable } from '../../db/schema.js';

export type WorkflowRow = Selectable<WorkflowTable>;
export type WorkflowRunRow = Selectable<WorkflowRunTable>;
export type WorkflowStepRow = Selectable<WorkflowStepTable>;

const jsonObjectSchema = z.record(z.string(), z.unknown());

export function insertWorkflow(executor: DatabaseExecutor, row: Insertable<WorkflowTable>) {
  return executor.insertInto('workflows').values(row).execute();
}

export function updateWorkflowRow(executor: DatabaseExecutor, id: string, changes: Updateable<WorkflowTable>) {
  return executor.updateTable('workflows').set(changes).where('id', '=', id).execute();
}

export function deleteWorkflowRow(executor: DatabaseExecutor, id: string) {
  return executor.deleteFrom('workflows').where('id', '=', id).execute();
}

export function findWorkflow(executor: DatabaseExecutor, workspaceId: string, idOrName: string) {
  return executor
    .selectFrom('workflows')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((where) => where.or([where('id', '=', idOrName), where('name', '=', idOrName)]))
    .executeTakeFirst();
}

export function findWorkflowByName(executor: DatabaseExecutor, workspaceId: string, name: string) {
  return executor.selectFrom('workflows').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

export function listWorkflowRows(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('workflows').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
}

export function insertWorkflowVersion(
  executor: DatabaseExecutor,
  row: { workflow_id: string; workspace_id: string; version: number; definition: WorkflowDefinition; created_at: string },
) {
  return executor
    .insertInto('workflow_versions')
    .values({ ...row, definition: JSON.stringify(row.definition) })
    .execute();
}

export async function findWorkflowVersion(
  executor: DatabaseExecutor,
  workflowId: string,
  version: number,
): Promise<WorkflowVersion | undefined> {
  const row = await executor
    .selectFrom('workflow_versions')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? toWorkflowVersion(row) : undefined;
}

export async function listWorkflowVersions(executor: DatabaseExecutor, workflowId: string): Promise<WorkflowVersion[]> {
  const rows = await executor
    .selectFrom('workflow_versions')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toWorkflowVersion);
}

function toWorkflowVersion(row: { workflow_id: string; version: number; definition: unknown; created_at: string }): WorkflowVersion {
  return {
    workflowId: row.workflow_id,
    version: row.version,
    definition: parseJsonColumn(workflowDefinitionSchema, row.definition, 'workflow_versions.definition'),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function toWorkflow(row: WorkflowRow, definition: WorkflowDefinition): Workflow {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    description: row.description,
    version: row.version,
    definition,
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

// Runs and steps.

export function insertWorkflowRun(executor: DatabaseExecutor, row: Insertable<WorkflowRunTable>) {
  return executor.insertInto('workflow_runs').values(row).execute();
}

export function insertWorkflowSteps(executor: DatabaseExecutor, rows: Insertable<WorkflowStepTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return executor.insertInto('workflow_steps').values(rows).execute();
}

export function findWorkflowRun(executor: DatabaseExecutor, workspaceId: string, runId: string) {
  return executor
    .selectFrom('workflow_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', runId)
    .executeTakeFirst();
}

export function findWorkflowRunById(executor: DatabaseExecutor, runId: string) {
  return executor.selectFrom('workflow_runs').selectAll().where('id', '=', runId).executeTakeFirst();
}

export function listWorkflowRunRows(
  executor: DatabaseExecutor,
  options: {
    workspaceId: string;
    workflowId?: string | undefined;
    status?: string | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  let query = executor.selectFrom('workflow_runs').selectAll().where('workspace_id', '=', options.workspaceId);
  if (options.workflowId) query = query.where('workflow_id', '=', options.workflowId);
  if (options.status) query = query.where('status', '=', options.status as WorkflowRunRow['status']);
  if (options.beforeId) query = query.where('id', '<', options.beforeId);
  return query.orderBy('id', 'desc').limit(options.limit).execute();
}

export function listRunsOfWorkflow(executor: DatabaseExecutor, workspaceId: string, workflowId: string) {
  return executor
    .selectFrom('workflow_runs')
    .select(['id', 'version', 'status', 'started_at', 'finished_at'])
    .where('workspace_id', '=', workspaceId)
    .where('workflow_id', '=', workflowId)
    .execute();
}

/** Changes a run when it is still in one of the given statuses; answers whether it did. */
export async function updateWorkflowRunIf(
  executor: DatabaseExecutor,
  runId: string,
  statuses: readonly WorkflowRunRow['status'][],
  changes: Updateable<WorkflowRunTable>,
): Promise<boolean> {
  const result = await executor
    .updateTable('workflow_runs')
    .set(changes)
    .where('id', '=', runId)
    .where('status', 'in', [...statuses])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function setRunWake(executor: DatabaseExecutor, runIds: readonly string[], wakeAt: string) {
  if (runIds.length === 0) return Promise.resolve();
  return executor
    .updateTable('workflow_runs')
    .set({ wake_at: wakeAt })
    .where('id', 'in', [...runIds])
    .where('status', 'in', ['running', 'waiting'])
    .execute()
    .then(() => undefined);
}

/** Takes the run's lease when nobody holds it (or theirs expired); answers whether it was taken. */
export async function leaseWorkflowRun(
  executor: DatabaseExecutor,
  runId: string,
  owner: string,
  now: string,
  expiresAt: string,
): Promise<boolean> {
  const result = await executor
    .updateTable('workflow_runs')
    .set({ lease_owner: owner, lease_expires_at: expiresAt })
    .where('id', '=', runId)
    .where((where) => where.or([where('lease_owner', 'is', null), where('lease_expires_at', '<', now), where('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function releaseWorkflowRun(executor: DatabaseExecutor, runId: string, owner: string) {
  return executor
    .updateTable('workflow_runs')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('id', '=', runId)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Runs due for a look: running or waiting with a wake time passed. */
export function listDueRunIds(executor: DatabaseExecutor, now: string, limit: number) {
  return executor
    .selectFrom('workflow_runs')
    .select('id')
    .where('status', 'in', ['running', 'waiting'])
    .where('wake_at', '<=', now)
    .orderBy('wake_at')
    .limit(limit)
    .execute();
}

export function listActiveRunWorkspaces(executor: DatabaseExecutor) {
  return executor.selectFrom('workflow_runs').select('workspace_id').distinct().where('status', 'in', ['running', 'waiting']).execute();
}

export function listStepRows(executor: DatabaseExecutor, runId: string) {
  return executor.selectFrom('workflow_steps').selectAll().where('run_id', '=', runId).orderBy('step_id').orderBy('item_index').execute();
}

export function listStepRowsOfRuns(executor: DatabaseExecutor, runIds: readonly string[]) {
  if (runIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('workflow_steps')
    .selectAll()
    .where('run_id', 'in', [...runIds])
    .execute();
}

/** Changes a step when it is still in the status read; answers whether it did (the exactly-once guard). */
export async function updateStepIf(
  executor: DatabaseExecutor,
  stepRowId: string,
  fromStatus: WorkflowStepRow['status'],
  changes: Updateable<WorkflowStepTable>,
): Promise<boolean> {
  const result = await executor
    .updateTable('workflow_steps')
    .set(changes)
    .where('id', '=', stepRowId)
    .where('status', '=', fromStatus)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function updateStepsOfRun(
  executor: DatabaseExecutor,
  runId: string,
  statuses: readonly WorkflowStepRow['status'][],
  changes: Updateable<WorkflowStepTable>,
) {
  return executor
    .updateTable('workflow_steps')
    .set(changes)
    .where('run_id', '=', runId)
    .where('status', 'in', [...statuses])
    .execute();
}

/** The runs whose running steps wait on these tasks. */
export function listRunIdsWaitingOnTasks(executor: DatabaseExecutor, taskIds: readonly string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('workflow_steps')
    .select('run_id')
    .distinct()
    .where('task_id', 'in', [...taskIds])
    .where('status', '=', 'running')
    .execute();
}

export function findStepByTaskId(executor: DatabaseExecutor, taskId: string) {
  return executor.selectFrom('workflow_steps').select(['run_id']).where('task_id', '=', taskId).executeTakeFirst();
}

export function findStepRowById(executor: DatabaseExecutor, stepRowId: string) {
  return executor.selectFrom('workflow_steps').selectAll().where('id', '=', stepRowId).executeTakeFirst();
}

// The engine's event cursor per workspace.

export function findFeedCursor(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('workflow_feed_cursors').select('cursor_seq').where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function insertFeedCursorIfMissing(executor: DatabaseExecutor, workspaceId: string, cursorSeq: number) {
  await executor
    .insertInto('workflow_feed_cursors')
    .values({ workspace_id: workspaceId, cursor_seq: cursorSeq })
    .onConflict((conflict) => conflict.column('workspace_id').doNothing())
    .execute();
}

export async function moveFeedCursor(executor: DatabaseExecutor, workspaceId: string, from: number, to: number): Promise<boolean> {
  const result = await executor
    .updateTable('workflow_feed_cursors')
    .set({ cursor_seq: to })
    .where('workspace_id', '=', workspaceId)
    .where('cursor_seq', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function readRunDefinition(row: WorkflowRunRow): WorkflowDefinition {
  return parseJsonColumn(workflowDefinitionSchema, row.definition, 'workflow_runs.definition');
}

export function readRunInputs(row: WorkflowRunRow): Record<string, unknown> {
  return parseJsonColumn(jsonObjectSchema, row.inputs, 'workflow_runs.inputs');
}

// Values are stored wrapped ({"value": …}): PostgreSQL hands back a jsonb string as a plain string, which would read as JSON text.
const wrappedSchema = z.object({ value: z.unknown() });

/** A step's output or item as stored. */
export function wrapStepValue(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify({ value });
}

export function readStepOutput(row: WorkflowStepRow): unknown {
  return row.output === null ? null : (parseJsonColumn(wrappedSchema, row.output, 'workflow_steps.output').value ?? null);
}

export function readStepItem(row: WorkflowStepRow): unknown {
  return row.item === null ? null : (parseJsonColumn(wrappedSchema, row.item, 'workflow_steps.item').value ?? null);
}

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export function toStepState(row: WorkflowStepRow): WorkflowStepState {
  return {
    stepId: row.step_id,
    kind: row.kind,
    itemIndex: row.item_index < 0 ? null : row.item_index,
    status: row.status,
    taskId: row.task_id,
    approvalId: row.approval_id,
    childRunId: row.child_run_id,
    attempts: row.attempts,
    output: readStepOutput(row),
    error: row.error,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

export function toWorkflowRun(row: WorkflowRunRow, steps: WorkflowStepRow[]): WorkflowRun {
  const order = new Map(readRunDefinition(row).steps.map((step, index) => [step.id, index]));
  const sorted = [...steps].sort((a, b) => (order.get(a.step_id) ?? 0) - (order.get(b.step_id) ?? 0) || a.item_index - b.item_index);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    version: row.version,
    status: row.status,
    inputs: readRunInputs(row),
    error: row.error,
    parentRunId: row.parent_run_id,
    startedBy: { kind: row.started_by_kind, id: row.started_by_id },
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: iso(row.finished_at),
    steps: sorted.map(toStepState),
  };
}

/** Runs started in [from, to), for analytics: through the (workspace_id, started_at) index (migration 0027). */
export function listRunsStartedBetween(executor: DatabaseExecutor, workspaceId: string, from: string, to: string) {
  return executor
    .selectFrom('workflow_runs')
    .select(['workflow_id', 'workflow_name', 'version', 'status', 'started_at', 'finished_at'])
    .where('workspace_id', '=', workspaceId)
    .where('started_at', '>=', from)
    .where('started_at', '<', to)
    .execute();
}

/** Running workflow runs with the time of their latest step progress (a step started or finished), oldest first. */
export async function listRunningRunsWithLatestProgress(executor: DatabaseExecutor, workspaceId: string, limit: number) {
  const rows = await executor
    .selectFrom('workflow_runs')
    .select((eb) => [
      'workflow_runs.id',
      'workflow_runs.workflow_name',
      'workflow_runs.started_at',
      eb
        .selectFrom('workflow_steps')
        .select((inner) => inner.fn.max(inner.fn.coalesce('workflow_steps.finished_at', 'workflow_steps.started_at')).as('latest'))
        .whereRef('workflow_steps.run_id', '=', 'workflow_runs.id')
        .as('latest_step_at'),
    ])
    .where('workflow_runs.workspace_id', '=', workspaceId)
    .where('workflow_runs.status', '=', 'running')
    .orderBy('workflow_runs.started_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    runId: row.id,
    workflowName: row.workflow_name,
    lastProgressAt: new Date((row.latest_step_at as string | null) ?? row.started_at).toISOString(),
  }));
}
