import {
  type AgentRun,
  type RunPrompt,
  type RunStep,
  runPromptSchema,
  runStepSchema,
  runTestResultSchema,
} from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import type { AgentRunStepTable, AgentRunTable } from '../../db/schema.js';

export type AgentRunRow = Selectable<AgentRunTable>;

export function toAgentRun(row: AgentRunRow): AgentRun {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    agentId: row.agent_id,
    taskId: row.task_id,
    trigger: row.trigger,
    status: row.status,
    provider: row.provider,
    model: row.model,
    tokensIn: Number(row.tokens_in),
    tokensOut: Number(row.tokens_out),
    costMicroDollars: Number(row.cost_micro_dollars),
    modelCalls: Number(row.model_calls),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    output: row.output,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    adapter: row.adapter,
    runnerId: row.runner_id,
    sessionId: row.session_id,
    branch: row.branch,
    commit: row.commit_sha,
    cancelRequestedAt: row.cancel_requested_at,
    testResult:
      row.test_result === null ? null : parseJsonColumn(runTestResultSchema.nullable(), row.test_result, 'agent_runs.test_result'),
  };
}

export function toRunPrompt(row: Pick<AgentRunRow, 'prompt'>): RunPrompt {
  return parseJsonColumn(runPromptSchema, row.prompt, 'agent_runs.prompt');
}

export function toRunStep(row: Pick<Selectable<AgentRunStepTable>, 'step'>): RunStep {
  return parseJsonColumn(runStepSchema, row.step, 'agent_run_steps.step');
}

export async function insertRun(executor: DatabaseExecutor, row: Insertable<AgentRunTable>): Promise<void> {
  await executor.insertInto('agent_runs').values(row).execute();
}

export async function updateRunRow(
  executor: DatabaseExecutor,
  runId: string,
  changes: Omit<Updateable<AgentRunTable>, 'id' | 'workspace_id' | 'agent_id'>,
): Promise<void> {
  await executor.updateTable('agent_runs').set(changes).where('id', '=', runId).execute();
}

export async function insertRunStep(executor: DatabaseExecutor, row: Insertable<AgentRunStepTable>): Promise<void> {
  await executor.insertInto('agent_run_steps').values(row).execute();
}

/** An agent's runs, newest first; the id (UUIDv7, time-ordered) is the cursor. */
export function listRunsOfAgent(
  executor: DatabaseExecutor,
  filter: { workspaceId: string; agentId: string; beforeId?: string | undefined; limit: number },
) {
  let query = executor
    .selectFrom('agent_runs')
    .selectAll()
    .where('workspace_id', '=', filter.workspaceId)
    .where('agent_id', '=', filter.agentId);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export function findRun(executor: DatabaseExecutor, workspaceId: string, runId: string) {
  return executor.selectFrom('agent_runs').selectAll().where('id', '=', runId).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export function listRunSteps(executor: DatabaseExecutor, runId: string) {
  return executor.selectFrom('agent_run_steps').select('step').where('run_id', '=', runId).orderBy('step_index').execute();
}

/** Runs still marked running that started before the cutoff while their agent's runner lease is gone. */
export function listAbandonedRuns(executor: DatabaseExecutor, startedBefore: string, now: string, limit: number) {
  return executor
    .selectFrom('agent_runs')
    .innerJoin('agent_runtimes', 'agent_runtimes.agent_id', 'agent_runs.agent_id')
    .select(['agent_runs.id', 'agent_runs.workspace_id', 'agent_runs.agent_id'])
    .where('agent_runs.status', '=', 'running')
    .where('agent_runs.started_at', '<', startedBefore)
    .where((eb) => eb.or([eb('agent_runtimes.lease_expires_at', 'is', null), eb('agent_runtimes.lease_expires_at', '<', now)]))
    .limit(limit)
    .execute();
}

/** Marks a run failed unless it finished meanwhile; answers whether it did. */
export async function failRunIfRunning(executor: DatabaseExecutor, runId: string, error: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('agent_runs')
    .set({ status: 'failed', error, finished_at: at })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The workspace's runs, newest first, narrowed by agent, task, runner and status. */
export function listRunsOfWorkspace(
  executor: DatabaseExecutor,
  filter: {
    workspaceId: string;
    agentId?: string | undefined;
    taskId?: string | undefined;
    runnerId?: string | undefined;
    status?: AgentRun['status'] | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  let query = executor.selectFrom('agent_runs').selectAll().where('workspace_id', '=', filter.workspaceId);
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  if (filter.taskId !== undefined) query = query.where('task_id', '=', filter.taskId);
  if (filter.runnerId !== undefined) query = query.where('runner_id', '=', filter.runnerId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Runs still marked running on a task (a task has one at most; older ones are left by a crash). */
export function listRunningRunsOfTask(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  return executor
    .selectFrom('agent_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('task_id', '=', taskId)
    .where('status', '=', 'running')
    .execute();
}

/** The running runs of some runners, oldest first. */
export function listRunningRunsOfRunners(executor: DatabaseExecutor, workspaceId: string, runnerIds: readonly string[]) {
  if (runnerIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('agent_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('runner_id', 'in', runnerIds)
    .where('status', '=', 'running')
    .orderBy('id')
    .execute();
}

/** The index the next step of a run gets. */
export async function findNextStepIndex(executor: DatabaseExecutor, runId: string): Promise<number> {
  const row = await executor
    .selectFrom('agent_run_steps')
    .select((eb) => eb.fn.max<number | null>('step_index').as('last'))
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/** Marks that a cancel was asked for, once; answers whether this call did. */
export async function markRunCancelRequested(executor: DatabaseExecutor, runId: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('agent_runs')
    .set({ cancel_requested_at: at })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .where('cancel_requested_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a run unless it ended meanwhile; answers whether this call did (so it is ended exactly once). */
export async function endRunIfRunning(
  executor: DatabaseExecutor,
  runId: string,
  changes: Omit<Updateable<AgentRunTable>, 'id' | 'workspace_id' | 'agent_id'>,
): Promise<boolean> {
  const result = await executor
    .updateTable('agent_runs')
    .set(changes)
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The cost of every run (built-in turns and runner runs) on each of the given tasks. */
export function sumCostOfTasks(executor: DatabaseExecutor, workspaceId: string, taskIds: readonly string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('agent_runs')
    .select((eb) => ['task_id', eb.fn.sum<number | string>('cost_micro_dollars').as('cost')])
    .where('workspace_id', '=', workspaceId)
    .where('task_id', 'in', [...taskIds])
    .groupBy('task_id')
    .execute();
}

/**
 * Retention: up to `limit` finished runs of the workspace started before `before` whose transcript
 * is still kept, oldest first (through the partial index of those runs).
 */
export function listRunsWithTranscriptBefore(executor: DatabaseExecutor, workspaceId: string, before: string, limit: number) {
  return executor
    .selectFrom('agent_runs')
    .select(['id', 'test_result'])
    .where('workspace_id', '=', workspaceId)
    .where('started_at', '<', before)
    .where('transcript_deleted_at', 'is', null)
    .where('status', '!=', 'running')
    .orderBy('started_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Retention: every transcript step of these runs; answers how many went. */
export async function deleteStepsOfRuns(executor: DatabaseExecutor, runIds: readonly string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const result = await executor.deleteFrom('agent_run_steps').where('run_id', 'in', runIds).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Retention: empties the prompt, output and error of these runs and marks their transcript
 * deleted; the numbers (tokens, cost, calls, duration, status, times) stay for budgets and reports.
 */
export async function clearRunTranscripts(executor: DatabaseExecutor, runIds: readonly string[], at: string): Promise<void> {
  if (runIds.length === 0) return;
  await executor
    .updateTable('agent_runs')
    .set({ prompt: JSON.stringify({ system: '', prompt: '' }), output: '', error: null, transcript_deleted_at: at })
    .where('id', 'in', runIds)
    .execute();
}
