import { type AgentRuntime, type AgentWorkspace, agentWorkspaceSchema } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import type { AgentRuntimeTable } from '../../db/schema.js';

export type AgentRuntimeRow = Selectable<AgentRuntimeTable>;
/** What the scheduler writes back with a runner lease. */
export type RunnerStateChanges = Omit<Updateable<AgentRuntimeTable>, 'agent_id' | 'workspace_id' | 'lease_holder' | 'lease_expires_at'>;

export const defaultStepLimit = 12;

/** The stored workspace of a runtime row, or null without one. */
export function readStoredWorkspace(value: unknown): AgentWorkspace | null {
  return value === null || value === undefined ? null : parseJsonColumn(agentWorkspaceSchema, value, 'agent_runtimes.workspace');
}

export function toAgentRuntime(agentId: string, row: AgentRuntimeRow | undefined): AgentRuntime {
  return {
    agentId,
    runtime: row?.runtime ?? 'external',
    provider: row?.provider ?? null,
    model: row?.model ?? null,
    temperature: row?.temperature ?? null,
    stepLimit: row?.step_limit ?? defaultStepLimit,
    instructions: row?.instructions ?? '',
    workspace: readStoredWorkspace(row?.workspace),
    state: row?.state ?? 'idle',
    nextRunAt: row?.next_run_at ?? null,
    lastRunAt: row?.last_run_at ?? null,
    failures: row?.failures ?? 0,
    backoffUntil: row?.backoff_until ?? null,
    lastError: row?.last_error ?? null,
    wakeRequestedAt: row?.wake_requested_at ?? null,
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

export async function insertAgentRuntime(executor: DatabaseExecutor, row: Insertable<AgentRuntimeTable>): Promise<void> {
  await executor.insertInto('agent_runtimes').values(row).execute();
}

export async function updateAgentRuntimeRow(
  executor: DatabaseExecutor,
  agentId: string,
  changes: Omit<Updateable<AgentRuntimeTable>, 'agent_id' | 'workspace_id'>,
): Promise<void> {
  await executor.updateTable('agent_runtimes').set(changes).where('agent_id', '=', agentId).execute();
}

/** Puts the workspace's agents that a budget stopped back on the schedule, due now. */
export async function resumeBudgetStoppedRuntimes(executor: DatabaseExecutor, workspaceId: string, now: string): Promise<void> {
  await executor
    .updateTable('agent_runtimes')
    .set({ state: 'idle', next_run_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'budget-exhausted')
    .execute();
}

/**
 * Takes the runner leases of the due built-in agents in one statement, and answers their rows.
 * The outer conditions are evaluated again on each row as it is updated, so when several
 * instances run this at once every agent goes to exactly one of them (on both engines).
 * Deleted agents are skipped by reading the agents table here: this runs every tick, and one
 * statement is what keeps an idle squad cheap.
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

/** Changes a leased agent's row while this holder still has the lease (a turn starting, a lease renewed). */
export async function updateUnderRunnerLease(
  executor: DatabaseExecutor,
  agentId: string,
  holder: string,
  changes: RunnerStateChanges & { lease_expires_at?: string },
): Promise<void> {
  await executor.updateTable('agent_runtimes').set(changes).where('agent_id', '=', agentId).where('lease_holder', '=', holder).execute();
}

/** Gives the lease back with the scheduler's new state, if this holder still has it. */
export async function releaseRunnerLease(executor: DatabaseExecutor, agentId: string, holder: string, changes: RunnerStateChanges) {
  const result = await executor
    .updateTable('agent_runtimes')
    .set({ ...changes, lease_holder: null, lease_expires_at: null })
    .where('agent_id', '=', agentId)
    .where('lease_holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives back the leases of many agents at once with the same changes (the quiet ones of a tick). */
export async function releaseRunnerLeases(
  executor: DatabaseExecutor,
  agentIds: readonly string[],
  holder: string,
  changes: RunnerStateChanges,
) {
  if (agentIds.length === 0) return;
  await executor
    .updateTable('agent_runtimes')
    .set({ ...changes, lease_holder: null, lease_expires_at: null })
    .where('agent_id', 'in', agentIds)
    .where('lease_holder', '=', holder)
    .execute();
}
