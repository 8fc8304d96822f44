import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { A2aTaskTable } from '../../db/schema.js';

export type A2aTaskRow = Selectable<A2aTaskTable>;

export async function insertA2aTask(executor: DatabaseExecutor, row: Insertable<A2aTaskTable>): Promise<void> {
  await executor.insertInto('a2a_tasks').values(row).execute();
}

/** The A2A record of a board task of the workspace, or undefined when no A2A client created it. */
export function findA2aTask(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  return executor
    .selectFrom('a2a_tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('task_id', '=', taskId)
    .executeTakeFirst();
}

/** The task an earlier send of the same A2A message created (a client's retry). */
export function findA2aTaskByMessage(executor: DatabaseExecutor, workspaceId: string, messageId: string) {
  return executor
    .selectFrom('a2a_tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

export interface ListA2aTasksFilter {
  workspaceId: string;
  /** Only tasks sent to this agent; undefined for those sent to the workspace. */
  agentId: string | undefined;
  contextId?: string | undefined;
  /** Keyset: the created_at and task id of the last task of the page before. */
  after?: { createdAt: string; taskId: string } | undefined;
  limit: number;
}

/** Newest first, as A2A's ListTasks orders them. */
export function listA2aTasks(executor: DatabaseExecutor, filter: ListA2aTasksFilter) {
  let query = executor.selectFrom('a2a_tasks').selectAll().where('workspace_id', '=', filter.workspaceId);
  query = filter.agentId ? query.where('agent_id', '=', filter.agentId) : query.where('agent_id', 'is', null);
  if (filter.contextId) query = query.where('context_id', '=', filter.contextId);
  const after = filter.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('task_id', '<', after.taskId)])]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('task_id', 'desc').limit(filter.limit).execute();
}
