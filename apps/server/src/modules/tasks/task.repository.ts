import type { PrincipalReference, Task, TaskPriority, TaskStatus } from '@mission-control/contracts';
import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import { containsText, type DatabaseExecutor, type Engine } from '../../db/database.js';
import { precompileQuery } from '../../db/precompiled-query.js';
import type { TaskTable } from '../../db/schema.js';

export type TaskRow = Selectable<TaskTable>;

const findTaskByIdQuery = precompileQuery((executor: DatabaseExecutor, workspaceId: string, taskId: string) =>
  executor.selectFrom('tasks').selectAll().where('id', '=', taskId).where('workspace_id', '=', workspaceId),
);

/** Every read of one task goes through here: compiled once (see precompileQuery). */
export function findTaskById(executor: DatabaseExecutor, workspaceId: string, taskId: string) {
  return findTaskByIdQuery(executor, workspaceId, taskId).then((rows) => rows[0]);
}

export function findTaskByNumber(executor: DatabaseExecutor, workspaceId: string, number: number) {
  return executor.selectFrom('tasks').selectAll().where('number', '=', number).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export function findTasksByIds(executor: DatabaseExecutor, workspaceId: string, taskIds: readonly string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('tasks').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', taskIds).execute();
}

export async function insertTask(executor: DatabaseExecutor, row: Insertable<TaskTable>): Promise<void> {
  await executor.insertInto('tasks').values(row).execute();
}

export async function updateTaskRow(executor: DatabaseExecutor, taskId: string, changes: Updateable<TaskTable>): Promise<void> {
  await executor.updateTable('tasks').set(changes).where('id', '=', taskId).execute();
}

export async function deleteTaskRow(executor: DatabaseExecutor, taskId: string): Promise<void> {
  await executor.deleteFrom('tasks').where('id', '=', taskId).execute();
}

export async function replaceTaskAssignees(
  executor: DatabaseExecutor,
  task: { id: string; workspace_id: string },
  assignees: readonly PrincipalReference[],
  at: string,
): Promise<void> {
  await executor.deleteFrom('task_assignees').where('task_id', '=', task.id).execute();
  if (assignees.length === 0) return;
  await executor
    .insertInto('task_assignees')
    .values(
      assignees.map((assignee) => ({
        task_id: task.id,
        workspace_id: task.workspace_id,
        assignee_kind: assignee.kind,
        assignee_id: assignee.id,
        assigned_at: at,
      })),
    )
    .execute();
}

/** Adds one assignee (claim-next adds the claimer). */
export async function insertTaskAssignee(
  executor: DatabaseExecutor,
  task: { id: string; workspace_id: string },
  assignee: PrincipalReference,
  at: string,
): Promise<void> {
  await executor
    .insertInto('task_assignees')
    .values({ task_id: task.id, workspace_id: task.workspace_id, assignee_kind: assignee.kind, assignee_id: assignee.id, assigned_at: at })
    .execute();
}

export async function deleteTaskAssignee(executor: DatabaseExecutor, taskId: string, assignee: PrincipalReference): Promise<void> {
  await executor
    .deleteFrom('task_assignees')
    .where('task_id', '=', taskId)
    .where('assignee_kind', '=', assignee.kind)
    .where('assignee_id', '=', assignee.id)
    .execute();
}

export async function replaceTaskDependencies(
  executor: DatabaseExecutor,
  task: { id: string; workspace_id: string },
  dependencyIds: readonly string[],
): Promise<void> {
  await executor.deleteFrom('task_dependencies').where('task_id', '=', task.id).execute();
  if (dependencyIds.length === 0) return;
  await executor
    .insertInto('task_dependencies')
    .values(dependencyIds.map((dependsOnId) => ({ task_id: task.id, depends_on_id: dependsOnId, workspace_id: task.workspace_id })))
    .execute();
}

export async function replaceTaskCapabilities(executor: DatabaseExecutor, taskId: string, capabilities: readonly string[]): Promise<void> {
  await executor.deleteFrom('task_capabilities').where('task_id', '=', taskId).execute();
  if (capabilities.length === 0) return;
  await executor
    .insertInto('task_capabilities')
    .values(capabilities.map((capability) => ({ task_id: taskId, capability })))
    .execute();
}

/**
 * The relations of a task just inserted: written without the deletes of the replace functions (a
 * new task has none), and answered as the database would list them, so creating a task need not
 * read them back. Capabilities with punctuation sort by the database's collation, which may not be
 * JavaScript's: for those (rare) the capabilities are read back.
 */
export async function insertNewTaskRelations(
  executor: DatabaseExecutor,
  task: { id: string; workspace_id: string },
  relations: { assignees: readonly PrincipalReference[]; dependencyIds: readonly string[]; capabilities: readonly string[]; at: string },
): Promise<TaskRelations> {
  const { assignees, dependencyIds, capabilities, at } = relations;
  if (assignees.length > 0) {
    await executor
      .insertInto('task_assignees')
      .values(
        assignees.map((assignee) => ({
          task_id: task.id,
          workspace_id: task.workspace_id,
          assignee_kind: assignee.kind,
          assignee_id: assignee.id,
          assigned_at: at,
        })),
      )
      .execute();
  }
  if (dependencyIds.length > 0) {
    await executor
      .insertInto('task_dependencies')
      .values(dependencyIds.map((dependsOnId) => ({ task_id: task.id, depends_on_id: dependsOnId, workspace_id: task.workspace_id })))
      .execute();
  }
  if (capabilities.length > 0) {
    await executor
      .insertInto('task_capabilities')
      .values(capabilities.map((capability) => ({ task_id: task.id, capability })))
      .execute();
  }
  const answer: TaskRelations = { assignees: new Map(), dependencyIds: new Map(), capabilities: new Map() };
  // Same assigned_at for all: the database orders them by assignee_id (ids are ASCII).
  const byId = [...assignees].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  if (byId.length > 0)
    answer.assignees.set(
      task.id,
      byId.map((assignee) => ({ kind: assignee.kind, id: assignee.id })),
    );
  // Listed by id, as loadTaskRelations reads them.
  if (dependencyIds.length > 0) answer.dependencyIds.set(task.id, [...dependencyIds].sort());
  if (capabilities.length > 1 && capabilities.some((capability) => !/^[a-z0-9]+$/.test(capability))) {
    const rows = await capabilitiesOfTaskQuery(executor, task.id);
    answer.capabilities.set(
      task.id,
      rows.map((row) => row.capability),
    );
  } else if (capabilities.length > 0) {
    answer.capabilities.set(task.id, [...capabilities].sort());
  }
  return answer;
}

/** Every task reachable from the given ones by following dependency edges (for cycle checks). */
export async function listDependencyClosure(executor: DatabaseExecutor, startIds: readonly string[]): Promise<Set<string>> {
  const reached = new Set<string>();
  let frontier = [...startIds];
  while (frontier.length > 0) {
    const edges = await executor.selectFrom('task_dependencies').select('depends_on_id').where('task_id', 'in', frontier).execute();
    frontier = [];
    for (const edge of edges) {
      if (!reached.has(edge.depends_on_id)) {
        reached.add(edge.depends_on_id);
        frontier.push(edge.depends_on_id);
      }
    }
  }
  return reached;
}

/** The chain of parents above a task, nearest first. */
export async function listAncestorIds(executor: DatabaseExecutor, taskId: string): Promise<string[]> {
  const ancestors: string[] = [];
  let current: string | null = taskId;
  while (current && ancestors.length < 1_000) {
    const row: { parent_id: string | null } | undefined = await executor
      .selectFrom('tasks')
      .select('parent_id')
      .where('id', '=', current)
      .executeTakeFirst();
    current = row?.parent_id ?? null;
    if (current) ancestors.push(current);
  }
  return ancestors;
}

export interface TaskRelations {
  assignees: Map<string, PrincipalReference[]>;
  dependencyIds: Map<string, string[]>;
  capabilities: Map<string, string[]>;
}

/** The capabilities of one task, in the database's order (insertNewTaskRelations reads them back when collation matters). */
const capabilitiesOfTaskQuery = precompileQuery((executor: DatabaseExecutor, taskId: string) =>
  executor.selectFrom('task_capabilities').select(['task_id', 'capability']).where('task_id', '=', taskId).orderBy('capability'),
);

/**
 * The assignees, dependencies and capabilities of the given tasks in one statement (a UNION ALL of
 * the three tables, `rel` telling them apart), ordered as before: assignees by assigned_at then
 * id, dependencies by id, capabilities alphabetically.
 */
function relationsQuery(executor: DatabaseExecutor, taskIds: readonly string[]) {
  const none = sql<string | null>`null`;
  return executor
    .selectFrom('task_assignees')
    .select([
      sql<number>`0`.as('rel'),
      'task_id',
      sql<string>`${sql.ref('assignee_kind')}`.as('a'),
      sql<string | null>`${sql.ref('assignee_id')}`.as('b'),
      sql<string | null>`${sql.ref('assigned_at')}`.as('c'),
    ])
    .where('task_id', 'in', taskIds)
    .unionAll(
      executor
        .selectFrom('task_dependencies')
        .select([sql<number>`1`.as('rel'), 'task_id', sql<string>`${sql.ref('depends_on_id')}`.as('a'), none.as('b'), none.as('c')])
        .where('task_id', 'in', taskIds),
    )
    .unionAll(
      executor
        .selectFrom('task_capabilities')
        .select([sql<number>`2`.as('rel'), 'task_id', sql<string>`${sql.ref('capability')}`.as('a'), none.as('b'), none.as('c')])
        .where('task_id', 'in', taskIds),
    )
    .orderBy('rel')
    .orderBy('c')
    .orderBy('b')
    .orderBy('a');
}
const relationsOfTasksQuery = precompileQuery(relationsQuery);

export async function loadTaskRelations(executor: DatabaseExecutor, taskIds: readonly string[]): Promise<TaskRelations> {
  const relations: TaskRelations = { assignees: new Map(), dependencyIds: new Map(), capabilities: new Map() };
  if (taskIds.length === 0) return relations;
  const rows = await relationsOfTasksQuery(executor, taskIds);
  const push = <Value>(map: Map<string, Value[]>, key: string, value: Value) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const row of rows) {
    const rel = Number(row.rel);
    if (rel === 0) push(relations.assignees, row.task_id, { kind: row.a as PrincipalReference['kind'], id: row.b as string });
    else if (rel === 1) push(relations.dependencyIds, row.task_id, row.a);
    else push(relations.capabilities, row.task_id, row.a);
  }
  return relations;
}

export interface ListTasksFilter {
  workspaceId: string;
  statuses?: TaskStatus[] | undefined;
  priorities?: TaskPriority[] | undefined;
  assigneeId?: string | undefined;
  parentId?: string | undefined;
  text?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first; the id (UUIDv7, time-ordered) is the cursor. */
export function listTasks(executor: DatabaseExecutor, engine: Engine, filter: ListTasksFilter) {
  let query = executor.selectFrom('tasks').selectAll().where('workspace_id', '=', filter.workspaceId);
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
  if (filter.priorities?.length) query = query.where('priority', 'in', filter.priorities);
  if (filter.parentId) query = query.where('parent_id', '=', filter.parentId);
  if (filter.assigneeId) {
    const assigneeId = filter.assigneeId;
    query = query.where('id', 'in', (eb) => eb.selectFrom('task_assignees').select('task_id').where('assignee_id', '=', assigneeId));
  }
  if (filter.text) {
    const text = filter.text;
    query = query.where((eb) => eb.or([containsText(engine, 'title', text), containsText(engine, 'description', text)]));
  }
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export function toTask(row: TaskRow, prefix: string, relations: TaskRelations): Task {
  return {
    id: row.id,
    key: `${prefix}-${row.number}`,
    number: row.number,
    workspaceId: row.workspace_id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    assignees: relations.assignees.get(row.id) ?? [],
    creator: { kind: row.creator_kind, id: row.creator_id },
    parentId: row.parent_id,
    dependencyIds: relations.dependencyIds.get(row.id) ?? [],
    requiredCapabilities: relations.capabilities.get(row.id) ?? [],
    dueAt: row.due_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    lease:
      row.lease_holder_kind && row.lease_holder_id && row.lease_expires_at
        ? { holder: { kind: row.lease_holder_kind, id: row.lease_holder_id }, expiresAt: row.lease_expires_at }
        : null,
  };
}

/** How many tasks of the workspace are in each of these statuses (statuses with none are left out). */
export function countTasksByStatus(executor: DatabaseExecutor, workspaceId: string, statuses: readonly TaskStatus[]) {
  return executor
    .selectFrom('tasks')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', statuses)
    .groupBy('status')
    .execute();
}

/** Ids of open tasks a principal is assigned to. */
export async function listOpenTaskIdsAssignedTo(executor: DatabaseExecutor, workspaceId: string, assigneeId: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('task_assignees')
    .innerJoin('tasks', 'tasks.id', 'task_assignees.task_id')
    .select('tasks.id')
    .where('task_assignees.workspace_id', '=', workspaceId)
    .where('task_assignees.assignee_id', '=', assigneeId)
    .where('tasks.status', 'not in', ['done', 'cancelled'])
    .execute();
  return rows.map((row) => row.id);
}

/** The capabilities each of the tasks requires (analytics), in slices under the parameter limits. */
export async function listCapabilitiesOfTasks(
  executor: DatabaseExecutor,
  workspaceId: string,
  taskIds: readonly string[],
): Promise<{ taskId: string; capability: string }[]> {
  const found: { taskId: string; capability: string }[] = [];
  for (let start = 0; start < taskIds.length; start += 500) {
    const rows = await executor
      .selectFrom('task_capabilities')
      .innerJoin('tasks', 'tasks.id', 'task_capabilities.task_id')
      .select(['task_capabilities.task_id', 'task_capabilities.capability'])
      .where('tasks.workspace_id', '=', workspaceId)
      .where('task_capabilities.task_id', 'in', taskIds.slice(start, start + 500))
      .execute();
    found.push(...rows.map((row) => ({ taskId: row.task_id, capability: row.capability })));
  }
  return found;
}
