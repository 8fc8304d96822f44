import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { BudgetTable } from '../../db/schema.js';

export type BudgetRow = Selectable<BudgetTable>;

/** Tokens and cost of the runs matching the filter, per agent. */
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

export function listBudgetsOfWorkspace(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('budgets').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
}

/** The budgets that apply to an agent: its own and the workspace's. */
export function listBudgetsOfAgent(executor: DatabaseExecutor, workspaceId: string, agentId: string) {
  return executor
    .selectFrom('budgets')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('scope', 'in', [agentId, 'workspace'])
    .execute();
}

export function findBudget(executor: DatabaseExecutor, workspaceId: string, budgetId: string) {
  return executor.selectFrom('budgets').selectAll().where('id', '=', budgetId).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

/** The budget of a scope (an agent id, or "workspace"). */
export function findBudgetOfScope(executor: DatabaseExecutor, workspaceId: string, scope: string) {
  return executor.selectFrom('budgets').select('id').where('workspace_id', '=', workspaceId).where('scope', '=', scope).executeTakeFirst();
}

export async function insertBudget(executor: DatabaseExecutor, row: Insertable<BudgetTable>): Promise<void> {
  await executor.insertInto('budgets').values(row).execute();
}

export async function updateBudgetRow(
  executor: DatabaseExecutor,
  budgetId: string,
  changes: Omit<Updateable<BudgetTable>, 'id' | 'workspace_id'>,
): Promise<void> {
  await executor.updateTable('budgets').set(changes).where('id', '=', budgetId).execute();
}

export async function deleteBudgetRow(executor: DatabaseExecutor, budgetId: string): Promise<void> {
  await executor.deleteFrom('budgets').where('id', '=', budgetId).execute();
}

/**
 * Records that a budget's warning (or exhaustion) was announced for the period; false when it
 * already was. Conditional, so several instances finishing runs at once announce it once.
 */
export async function claimBudgetAnnouncement(
  executor: DatabaseExecutor,
  budgetId: string,
  column: 'warned_period' | 'exhausted_period',
  period: string,
): Promise<boolean> {
  const claimed = await executor
    .updateTable('budgets')
    .set({ [column]: period })
    .where('id', '=', budgetId)
    .where((eb) => eb.or([eb(column, 'is', null), eb(column, '!=', period)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}
