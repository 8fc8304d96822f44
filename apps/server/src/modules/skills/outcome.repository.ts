import type { Insertable } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor } from '../../db/database.js';
import type { TaskOutcomeTable } from '../../db/schema.js';

/** What an outcome needs of the task: when it was created, its agent assignees and required capabilities. */
export async function findTaskForOutcome(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  const task = await executor
    .selectFrom('tasks')
    .select(['id', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', taskId)
    .executeTakeFirst();
  if (!task) return null;
  const [assignees, capabilities] = await Promise.all([
    executor
      .selectFrom('task_assignees')
      .select('assignee_id')
      .where('task_id', '=', taskId)
      .where('assignee_kind', '=', 'agent')
      .orderBy('assignee_id')
      .execute(),
    executor.selectFrom('task_capabilities').select('capability').where('task_id', '=', taskId).orderBy('capability').execute(),
  ]);
  return {
    createdAt: task.created_at,
    agentIds: assignees.map((row) => row.assignee_id),
    capabilities: capabilities.map((row) => row.capability),
  };
}

const runTotalsSchema = z.array(z.object({ agent_id: z.string(), cost: z.coerce.number(), calls: z.coerce.number() }));

/** What each agent's runs on the task cost, and how many model calls they made. */
export async function sumRunsOfTask(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  const rows = await executor
    .selectFrom('agent_runs')
    .select((eb) => ['agent_id', eb.fn.sum<number>('cost_micro_dollars').as('cost'), eb.fn.sum<number>('model_calls').as('calls')])
    .where('workspace_id', '=', workspaceId)
    .where('task_id', '=', taskId)
    .groupBy('agent_id')
    .execute();
  return runTotalsSchema.parse(rows);
}

export async function insertOutcome(executor: DatabaseExecutor, row: Insertable<TaskOutcomeTable>, capabilities: readonly string[]) {
  await executor.insertInto('task_outcomes').values(row).execute();
  if (capabilities.length === 0) return;
  await executor
    .insertInto('task_outcome_capabilities')
    .values(capabilities.map((capability) => ({ outcome_id: row.id, workspace_id: row.workspace_id, capability })))
    .execute();
}

export const outcomeRowSchema = z.object({
  id: z.string(),
  workspace_id: z.string(),
  task_id: z.string(),
  agent_id: z.string(),
  kind: z.enum(['done', 'failed', 'sent-back', 'escalated']),
  capabilities: z.unknown(),
  duration_ms: z.coerce.number(),
  cost_micro_dollars: z.coerce.number(),
  model_calls: z.coerce.number(),
  review: z.enum(['approved', 'changes-requested', 'none']),
  reason: z.string().nullable(),
  recorded_at: z.string(),
});
export type OutcomeRow = z.infer<typeof outcomeRowSchema>;

/** Outcomes newest first (ids are time-ordered), filtered. */
export async function listOutcomeRows(
  executor: DatabaseExecutor,
  filter: {
    workspaceId: string;
    agentId?: string | undefined;
    taskId?: string | undefined;
    capability?: string | undefined;
    capabilities?: readonly string[] | undefined;
    since?: string | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
): Promise<OutcomeRow[]> {
  let query = executor.selectFrom('task_outcomes as o').selectAll('o').where('o.workspace_id', '=', filter.workspaceId);
  if (filter.agentId !== undefined) query = query.where('o.agent_id', '=', filter.agentId);
  if (filter.taskId !== undefined) query = query.where('o.task_id', '=', filter.taskId);
  if (filter.since !== undefined) query = query.where('o.recorded_at', '>=', filter.since);
  if (filter.beforeId !== undefined) query = query.where('o.id', '<', filter.beforeId);
  const wanted = filter.capability !== undefined ? [filter.capability] : filter.capabilities;
  if (wanted !== undefined && wanted.length > 0) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('task_outcome_capabilities as c')
          .select('c.outcome_id')
          .whereRef('c.outcome_id', '=', 'o.id')
          .where('c.capability', 'in', wanted),
      ),
    );
  }
  const rows = await query.orderBy('o.id', 'desc').limit(filter.limit).execute();
  return z.array(outcomeRowSchema).parse(rows);
}

/** Done and failed outcomes of these agents, with each done one's cost: what a marketplace listing's figures are made of. */
export async function listFinishedOutcomesOfAgents(executor: DatabaseExecutor, workspaceId: string, agentIds: readonly string[]) {
  if (agentIds.length === 0) return [];
  const rows = await executor
    .selectFrom('task_outcomes')
    .select(['task_id', 'kind', 'cost_micro_dollars'])
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', 'in', agentIds)
    .where('kind', 'in', ['done', 'failed'])
    // Oldest first: a task done again after failing counts by its last outcome.
    .orderBy('recorded_at')
    .orderBy('id')
    .limit(50_000)
    .execute();
  return rows.map((row) => ({ taskId: row.task_id, kind: row.kind, cost: Number(row.cost_micro_dollars) }));
}
