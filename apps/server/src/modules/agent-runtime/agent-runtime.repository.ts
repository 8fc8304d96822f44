import type { AgentRun, AgentRuntime, ModelProviderName, RunStep } from '@mission-control/contracts';
import type { Selectable } from 'kysely';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import type { AgentRunTable, AgentRuntimeTable, BudgetTable } from '../../db/schema.js';

export type AgentRuntimeRow = Selectable<AgentRuntimeTable>;
export type AgentRunRow = Selectable<AgentRunTable>;
export type BudgetRow = Selectable<BudgetTable>;

export const defaultStepLimit = 12;

export function toAgentRuntime(agentId: string, row: AgentRuntimeRow | undefined): AgentRuntime {
  return {
    agentId,
    runtime: row?.runtime === 'builtin' ? 'builtin' : 'external',
    provider: (row?.provider as ModelProviderName | null) ?? null,
    model: row?.model ?? null,
    temperature: row?.temperature ?? null,
    stepLimit: row?.step_limit ?? defaultStepLimit,
    instructions: row?.instructions ?? '',
    state: (row?.state as AgentRuntime['state']) ?? 'idle',
    nextRunAt: row?.next_run_at ?? null,
    lastRunAt: row?.last_run_at ?? null,
    failures: row?.failures ?? 0,
    backoffUntil: row?.backoff_until ?? null,
    lastError: row?.last_error ?? null,
    wakeRequestedAt: row?.wake_requested_at ?? null,
  };
}

export function toAgentRun(row: AgentRunRow): AgentRun {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    agentId: row.agent_id,
    taskId: row.task_id,
    trigger: row.trigger,
    status: row.status as AgentRun['status'],
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
  };
}

export function findAgentRuntime(executor: DatabaseExecutor, workspaceId: string, agentId: string) {
  return executor
    .selectFrom('agent_runtimes')
    .selectAll()
    .where('agent_id', '=', agentId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** Gives the lease back with the scheduler's new state, if this holder still has it. */
export async function releaseRunnerLease(
  executor: DatabaseExecutor,
  agentId: string,
  holder: string,
  changes: Partial<Omit<AgentRuntimeTable, 'agent_id' | 'workspace_id'>>,
) {
  const result = await executor
    .updateTable('agent_runtimes')
    .set({ ...changes, lease_holder: null, lease_expires_at: null })
    .where('agent_id', '=', agentId)
    .where('lease_holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function toRunStep(value: unknown): RunStep {
  return parseJsonColumn(value) as RunStep;
}

/** Tokens and cost of the runs matching the filter, in total and per agent. */
export function sumUsage(
  executor: DatabaseExecutor,
  filter: { workspaceId: string; agentId?: string | undefined; taskId?: string | undefined; from: string; to: string },
) {
  let query = executor
    .selectFrom('agent_runs')
    .select((eb) => [
      'agent_id',
      eb.fn.countAll<number>().as('runs'),
      eb.fn.coalesce(eb.fn.sum<number>('model_calls'), eb.val(0)).as('model_calls'),
      eb.fn.coalesce(eb.fn.sum<number>('tokens_in'), eb.val(0)).as('tokens_in'),
      eb.fn.coalesce(eb.fn.sum<number>('tokens_out'), eb.val(0)).as('tokens_out'),
      eb.fn.coalesce(eb.fn.sum<number>('cost_micro_dollars'), eb.val(0)).as('cost_micro_dollars'),
    ])
    .where('workspace_id', '=', filter.workspaceId)
    .where('started_at', '>=', filter.from)
    .where('started_at', '<', filter.to);
  if (filter.agentId) query = query.where('agent_id', '=', filter.agentId);
  if (filter.taskId) query = query.where('task_id', '=', filter.taskId);
  return query.groupBy('agent_id').orderBy('agent_id').execute();
}

/**
 * Takes the runner leases of the due built-in agents in one statement, and answers their rows.
 * The outer conditions are evaluated again on each row as it is updated, so when several
 * instances run this at once every agent goes to exactly one of them (on both engines).
 */
export function acquireDueRunnerLeases(executor: DatabaseExecutor, holder: string, now: string, expiresAt: string, limit: number) {
  return executor
    .updateTable('agent_runtimes')
    .set({ lease_holder: holder, lease_expires_at: expiresAt })
    .where('agent_id', 'in', (eb) =>
      eb
        .selectFrom('agent_runtimes as due')
        .innerJoin('agents', 'agents.id', 'due.agent_id')
        .select('due.agent_id')
        .where('due.runtime', '=', 'builtin')
        .where('due.next_run_at', '<=', now)
        .where((inner) => inner.or([inner('due.lease_expires_at', 'is', null), inner('due.lease_expires_at', '<=', now)]))
        .where('agents.deleted_at', 'is', null)
        .orderBy('due.next_run_at')
        .limit(limit),
    )
    .where('runtime', '=', 'builtin')
    .where('next_run_at', '<=', now)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
    .returningAll()
    .execute();
}

/** Gives back the leases of many agents at once with the same changes (the quiet ones of a tick). */
export async function releaseRunnerLeases(
  executor: DatabaseExecutor,
  agentIds: readonly string[],
  holder: string,
  changes: Partial<Omit<AgentRuntimeTable, 'agent_id' | 'workspace_id'>>,
) {
  if (agentIds.length === 0) return;
  await executor
    .updateTable('agent_runtimes')
    .set({ ...changes, lease_holder: null, lease_expires_at: null })
    .where('agent_id', 'in', agentIds)
    .where('lease_holder', '=', holder)
    .execute();
}
