import { runnerAdapterSchema } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import type { RunnerAgentTable, RunnerTable } from '../../db/schema.js';

export type RunnerRow = Selectable<RunnerTable>;
export type RunnerAgentRow = Selectable<RunnerAgentTable>;

const adaptersColumnSchema = z.array(runnerAdapterSchema);

/** The adapters column, checked against its schema. */
export function readRunnerAdapters(row: Pick<RunnerRow, 'adapters'>) {
  return parseJsonColumn(adaptersColumnSchema, row.adapters, 'runners.adapters');
}

export function findRunnerByKey(executor: DatabaseExecutor, workspaceId: string, runnerKey: string) {
  return executor
    .selectFrom('runners')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('runner_key', '=', runnerKey)
    .executeTakeFirst();
}

export function findRunner(executor: DatabaseExecutor, workspaceId: string, runnerId: string) {
  return executor.selectFrom('runners').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', runnerId).executeTakeFirst();
}

/** Inserts a runner unless its key is taken (a concurrent registration won); answers whether it did. */
export async function insertRunnerIfNew(executor: DatabaseExecutor, row: Insertable<RunnerTable>): Promise<boolean> {
  const result = await executor
    .insertInto('runners')
    .values(row)
    .onConflict((conflict) => conflict.columns(['workspace_id', 'runner_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateRunnerRow(
  executor: DatabaseExecutor,
  runnerId: string,
  changes: Omit<Updateable<RunnerTable>, 'id' | 'workspace_id' | 'runner_key'>,
): Promise<void> {
  await executor.updateTable('runners').set(changes).where('id', '=', runnerId).execute();
}

/** Adds an agent to a runner, or changes the adapter it drives for it. */
export async function saveRunnerAgent(executor: DatabaseExecutor, row: Insertable<RunnerAgentTable>): Promise<void> {
  await executor
    .insertInto('runner_agents')
    .values(row)
    .onConflict((conflict) => conflict.columns(['runner_id', 'agent_id']).doUpdateSet({ adapter: row.adapter }))
    .execute();
}

export function listAgentsOfRunners(executor: DatabaseExecutor, runnerIds: readonly string[]) {
  if (runnerIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('runner_agents').selectAll().where('runner_id', 'in', runnerIds).orderBy('registered_at').execute();
}

export function findRunnerAgent(executor: DatabaseExecutor, runnerId: string, agentId: string) {
  return executor
    .selectFrom('runner_agents')
    .selectAll()
    .where('runner_id', '=', runnerId)
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
}

/** Runners of the workspace, most recently heard from first; the id breaks ties and is the cursor's second half. */
export function listRunnersOfWorkspace(
  executor: DatabaseExecutor,
  filter: {
    workspaceId: string;
    status?: RunnerRow['status'] | undefined;
    agentId?: string | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  let query = executor.selectFrom('runners').selectAll().where('workspace_id', '=', filter.workspaceId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.agentId !== undefined) {
    const agentId = filter.agentId;
    query = query.where('id', 'in', (eb) => eb.selectFrom('runner_agents').select('runner_id').where('agent_id', '=', agentId));
  }
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function deleteRunnerRows(executor: DatabaseExecutor, runnerId: string): Promise<void> {
  await executor.deleteFrom('runner_agents').where('runner_id', '=', runnerId).execute();
  await executor.deleteFrom('runners').where('id', '=', runnerId).execute();
}

/** Online runners silent past their deadline. */
export function listSilentRunners(executor: DatabaseExecutor, now: string, limit: number) {
  return executor.selectFrom('runners').selectAll().where('status', '=', 'online').where('offline_after', '<', now).limit(limit).execute();
}

/** Turns a runner offline unless it was heard from meanwhile; answers whether this call did. */
export async function markRunnerOfflineIfSilent(executor: DatabaseExecutor, runnerId: string, now: string): Promise<boolean> {
  const result = await executor
    .updateTable('runners')
    .set({ status: 'offline', updated_at: now })
    .where('id', '=', runnerId)
    .where('status', '=', 'online')
    .where('offline_after', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
