import type { DatabaseExecutor } from '../../db/database.js';

/** Open tasks (assigned or in progress) per agent of a workspace. */
export function countOpenTasksPerAgent(executor: DatabaseExecutor, workspaceId: string) {
  return executor
    .selectFrom('task_assignees as a')
    .innerJoin('tasks as t', 't.id', 'a.task_id')
    .select((eb) => ['a.assignee_id', eb.fn.countAll<number>().as('open_tasks')])
    .where('a.workspace_id', '=', workspaceId)
    .where('a.assignee_kind', '=', 'agent')
    .where('t.status', 'in', ['assigned', 'in_progress'])
    .groupBy('a.assignee_id')
    .execute();
}

export function findWorkspaceRuntimeSettings(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('workspace_runtime_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function saveWorkspaceRuntimeSettings(
  executor: DatabaseExecutor,
  workspaceId: string,
  values: { auto_assign_enabled_at: string | null; human_review_disabled_at: string | null; updated_at: string },
): Promise<void> {
  await executor
    .insertInto('workspace_runtime_settings')
    .values({ workspace_id: workspaceId, ...values })
    .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet(values))
    .execute();
}

/** Tasks waiting for this one, in the inbox with nobody assigned, whose every dependency is done. */
export async function listReleasedDependents(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  const rows = await executor
    .selectFrom('task_dependencies as d')
    .innerJoin('tasks as t', 't.id', 'd.task_id')
    .select('t.id')
    .where('d.depends_on_id', '=', taskId)
    .where('t.workspace_id', '=', workspaceId)
    .where('t.status', '=', 'inbox')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('task_assignees as a').select('a.task_id').whereRef('a.task_id', '=', 't.id'))))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('task_dependencies as other')
            .innerJoin('tasks as dependency', 'dependency.id', 'other.depends_on_id')
            .select('other.task_id')
            .whereRef('other.task_id', '=', 't.id')
            .where('dependency.status', '!=', 'done'),
        ),
      ),
    )
    .execute();
  return rows.map((row) => row.id);
}

/** The parent of a task and how many of its subtasks are not done or cancelled yet. */
export async function findParentProgress(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  const task = await executor
    .selectFrom('tasks')
    .select('parent_id')
    .where('id', '=', taskId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!task?.parent_id) return null;
  const open = await executor
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('parent_id', '=', task.parent_id)
    .where('status', 'not in', ['done', 'cancelled'])
    .executeTakeFirst();
  return { parentId: task.parent_id, openSubtasks: Number(open?.count ?? 0) };
}

/**
 * Claims one event for one handler, once across every instance (each instance's tailer sees every
 * event). Borrows the idempotency-key table: its primary key makes exactly one insert win on both
 * engines, and its hourly sweep forgets the claims after a day, long after any tailer moved on.
 */
export async function claimEventOnce(executor: DatabaseExecutor, handler: string, eventId: string, now: string): Promise<boolean> {
  const result = await executor
    .insertInto('idempotency_keys')
    .values({
      principal: `system:${handler}`,
      key: eventId,
      request_hash: '',
      status: 'completed',
      status_code: null,
      response_body: null,
      created_at: now,
    })
    .onConflict((conflict) => conflict.columns(['principal', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
