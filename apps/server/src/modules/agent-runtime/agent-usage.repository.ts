import { type Insertable, type RawBuilder, type Selectable, sql, type Updateable } from 'kysely';
import type { DatabaseExecutor, Engine } from '../../db/database.js';
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

/** Tokens and cost of the runs of several workspaces that started in [from, to) (an organisation's month). */
export async function sumUsageOfWorkspaces(
  executor: DatabaseExecutor,
  workspaceIds: readonly string[],
  range: { from: string; to: string },
): Promise<{ tokens: number; costMicroDollars: number }> {
  const row = await executor
    .selectFrom('agent_runs')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('tokens_in'), eb.val(0)).as('tokens_in'),
      eb.fn.coalesce(eb.fn.sum<number>('tokens_out'), eb.val(0)).as('tokens_out'),
      eb.fn.coalesce(eb.fn.sum<number>('cost_micro_dollars'), eb.val(0)).as('cost_micro_dollars'),
    ])
    .where('workspace_id', 'in', workspaceIds)
    .where('started_at', '>=', range.from)
    .where('started_at', '<', range.to)
    .executeTakeFirstOrThrow();
  return { tokens: Number(row.tokens_in) + Number(row.tokens_out), costMicroDollars: Number(row.cost_micro_dollars) };
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

export type SpendGroup = 'agent' | 'task' | 'model' | 'slot';

export interface SpendRow {
  agentId: string | null;
  taskId: string | null;
  provider: string | null;
  model: string | null;
  /** Seconds since the epoch / 900 of the runs' start, with the `slot` group. */
  slot: number | null;
  runs: number;
  tokensIn: number;
  tokensOut: number;
  costMicroDollars: number;
}

/** Spend of the runs started in [from, to), per agent, task, provider and model, or quarter hour and agent. */
export async function sumSpendBy(
  executor: DatabaseExecutor,
  engine: Engine,
  filter: { workspaceId: string; from: string; to: string; groupBy: SpendGroup },
): Promise<SpendRow[]> {
  const slot =
    engine === 'postgres'
      ? sql<number>`floor(extract(epoch from started_at) / 900)`
      : sql<number>`cast(strftime('%s', started_at) as integer) / 900`;
  const { groupBy } = filter;
  const column = (use: boolean, expression: RawBuilder<unknown>) => (use ? expression : sql`null`);
  const rows = await executor
    .selectFrom('agent_runs')
    .select((eb) => [
      column(groupBy === 'agent' || groupBy === 'slot', sql`agent_id`)
        .$castTo<string | null>()
        .as('agent'),
      column(groupBy === 'task', sql`task_id`)
        .$castTo<string | null>()
        .as('task'),
      column(groupBy === 'model', sql`provider`)
        .$castTo<string | null>()
        .as('provider_name'),
      column(groupBy === 'model', sql`model`)
        .$castTo<string | null>()
        .as('model_name'),
      column(groupBy === 'slot', slot)
        .$castTo<number | null>()
        .as('slot'),
      eb.fn.countAll<number>().as('runs'),
      eb.fn.coalesce(eb.fn.sum<number>('tokens_in'), eb.val(0)).as('tokens_in'),
      eb.fn.coalesce(eb.fn.sum<number>('tokens_out'), eb.val(0)).as('tokens_out'),
      eb.fn.coalesce(eb.fn.sum<number>('cost_micro_dollars'), eb.val(0)).as('cost_micro_dollars'),
    ])
    .where('workspace_id', '=', filter.workspaceId)
    .where('started_at', '>=', filter.from)
    .where('started_at', '<', filter.to)
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`, sql`5`])
    .execute();
  return rows.map((row) => ({
    agentId: row.agent,
    taskId: row.task,
    provider: row.provider_name,
    model: row.model_name,
    slot: row.slot === null ? null : Number(row.slot),
    runs: Number(row.runs),
    tokensIn: Number(row.tokens_in),
    tokensOut: Number(row.tokens_out),
    costMicroDollars: Number(row.cost_micro_dollars),
  }));
}

/** The median duration of each agent's finished runs started in [from, to), by window functions both engines have. */
export async function findMedianRunDurations(
  executor: DatabaseExecutor,
  filter: { workspaceId: string; from: string; to: string },
): Promise<Map<string, number>> {
  const ranked = executor
    .selectFrom('agent_runs')
    .select([
      'agent_id',
      'duration_ms',
      sql<number>`row_number() over (partition by agent_id order by duration_ms)`.as('position'),
      sql<number>`count(*) over (partition by agent_id)`.as('runs'),
    ])
    .where('workspace_id', '=', filter.workspaceId)
    .where('started_at', '>=', filter.from)
    .where('started_at', '<', filter.to)
    .where('duration_ms', 'is not', null);
  const rows = await executor
    .selectFrom(ranked.as('ranked'))
    .select(['agent_id', (eb) => eb.fn.avg<number>('duration_ms').as('median')])
    // The middle row, or the average of the two middle rows.
    .where((eb) => eb.or([eb('position', '=', sql<number>`(runs + 1) / 2`), eb('position', '=', sql<number>`(runs + 2) / 2`)]))
    .groupBy('agent_id')
    .execute();
  return new Map(rows.map((row) => [row.agent_id, Number(row.median)]));
}

/** Failed runs started in [from, to), per quarter hour (seconds since the epoch / 900 of their start). */
export async function listFailedRuns(
  executor: DatabaseExecutor,
  filter: { workspaceId: string; from: string; to: string },
): Promise<{ taskId: string | null; startedAt: string }[]> {
  const rows = await executor
    .selectFrom('agent_runs')
    .select(['task_id', 'started_at'])
    .where('workspace_id', '=', filter.workspaceId)
    .where('status', '=', 'failed')
    .where('started_at', '>=', filter.from)
    .where('started_at', '<', filter.to)
    .execute();
  return rows.map((row) => ({ taskId: row.task_id, startedAt: new Date(row.started_at).toISOString() }));
}

export interface RunOutcomeRow {
  agentId: string;
  taskId: string | null;
  model: string;
  status: string;
  costMicroDollars: number;
}

/** The finished runs started in [from, to): who ran them, on what, how they ended and what they cost. */
export async function listFinishedRunOutcomes(
  executor: DatabaseExecutor,
  filter: { workspaceId: string; from: string; to: string },
): Promise<RunOutcomeRow[]> {
  const rows = await executor
    .selectFrom('agent_runs')
    .select(['agent_id', 'task_id', 'provider', 'model', 'status', 'cost_micro_dollars'])
    .where('workspace_id', '=', filter.workspaceId)
    .where('started_at', '>=', filter.from)
    .where('started_at', '<', filter.to)
    .where('status', '!=', 'running')
    .execute();
  return rows.map((row) => ({
    agentId: row.agent_id,
    taskId: row.task_id,
    model: `${row.provider}/${row.model}`,
    status: row.status,
    costMicroDollars: Number(row.cost_micro_dollars),
  }));
}
