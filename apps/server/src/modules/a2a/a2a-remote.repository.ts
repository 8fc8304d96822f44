import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { A2aDelegationTable, A2aRemoteAgentTable } from '../../db/schema.js';

export type A2aRemoteAgentRow = Selectable<A2aRemoteAgentTable>;
export type A2aDelegationRow = Selectable<A2aDelegationTable>;

export async function insertRemoteAgent(executor: DatabaseExecutor, row: Insertable<A2aRemoteAgentTable>): Promise<void> {
  await executor.insertInto('a2a_remote_agents').values(row).execute();
}

export function findRemoteAgent(executor: DatabaseExecutor, agentId: string) {
  return executor.selectFrom('a2a_remote_agents').selectAll().where('agent_id', '=', agentId).executeTakeFirst();
}

export function findRemoteAgentsByIds(executor: DatabaseExecutor, agentIds: readonly string[]) {
  if (agentIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('a2a_remote_agents').selectAll().where('agent_id', 'in', agentIds).execute();
}

/** Every remote agent of every workspace, a page at a time (the delegation step walks them). */
export function listRemoteAgents(executor: DatabaseExecutor, limit: number) {
  return executor.selectFrom('a2a_remote_agents').selectAll().orderBy('created_at').limit(limit).execute();
}

/** Claims a task for delegation; false when another instance (or an earlier pass) already did. */
export async function insertDelegation(executor: DatabaseExecutor, row: Insertable<A2aDelegationTable>): Promise<boolean> {
  const inserted = await executor
    .insertInto('a2a_delegations')
    .values(row)
    .onConflict((conflict) => conflict.column('task_id').doNothing())
    .returning('task_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function findDelegationsByTaskIds(executor: DatabaseExecutor, taskIds: readonly string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('a2a_delegations').selectAll().where('task_id', 'in', taskIds).execute();
}

/** Delegations whose remote task is not finished and is due a look. */
export function listDueDelegations(executor: DatabaseExecutor, now: string, finishedStates: readonly string[], limit: number) {
  return executor
    .selectFrom('a2a_delegations')
    .selectAll()
    .where('next_poll_at', '<=', now)
    .where('remote_state', 'not in', finishedStates)
    .orderBy('next_poll_at')
    .limit(limit)
    .execute();
}

/** Moves a delegation on only from the state it was read in, so two instances never mirror one change twice. */
export async function updateDelegation(
  executor: DatabaseExecutor,
  taskId: string,
  expected: { remoteState: string; updatedAt: string },
  changes: Updateable<A2aDelegationTable>,
): Promise<boolean> {
  const result = await executor
    .updateTable('a2a_delegations')
    .set(changes)
    .where('task_id', '=', taskId)
    .where('remote_state', '=', expected.remoteState)
    .where('updated_at', '=', expected.updatedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
