import {
  type AssignTaskInput,
  type ChangeTaskStatusInput,
  type CreateTaskInput,
  canTransitionTask,
  describeDuration,
  type ListTasksQuery,
  type Page,
  type PrincipalReference,
  priorityRank,
  statusesNeedingAssignee,
  type Task,
  type TaskStatus,
  type UpdateTaskInput,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  countTasksByStatus,
  deleteTaskRow,
  findTaskById,
  findTaskByNumber,
  findTasksByIds,
  insertNewTaskRelations,
  insertTask,
  listAncestorIds,
  listDependencyClosure,
  listOpenTaskIdsAssignedTo,
  listTasks,
  loadTaskRelations,
  replaceTaskAssignees,
  replaceTaskCapabilities,
  replaceTaskDependencies,
  type TaskRow,
  toTask,
  updateTaskRow,
} from './task.repository.js';
import { appendTaskStatusChanged } from './task-events.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const taskKeyPattern = /^([A-Za-z][A-Za-z0-9]*)-(\d{1,9})$/;

export interface TaskServiceDependencies {
  agents: AgentService;
  workspaces: WorkspaceService;
  notifications: NotificationService;
  /** Deletions are recorded in the audit log. */
  audit: Pick<AuditService, 'recordAuditEntry'>;
}

export type TaskService = ReturnType<typeof createTaskService>;

export function createTaskService(context: ServiceContext, dependencies: TaskServiceDependencies) {
  const { db, engine, clock } = context;
  // A workspace's task key prefix never changes, so it is read once per workspace.
  const prefixes = new Map<string, string>();

  /** Pass the transaction when inside one: on SQLite a second connection would wait forever. */
  async function prefixOf(workspaceId: string, executor: DatabaseExecutor = db): Promise<string> {
    let prefix = prefixes.get(workspaceId);
    if (!prefix) {
      prefix = (await dependencies.workspaces.requireWorkspace(workspaceId, executor)).taskKeyPrefix;
      prefixes.set(workspaceId, prefix);
    }
    return prefix;
  }

  async function findTaskRow(executor: DatabaseExecutor, workspaceId: string, reference: string): Promise<TaskRow | undefined> {
    if (uuidPattern.test(reference)) return findTaskById(executor, workspaceId, reference.toLowerCase());
    const key = taskKeyPattern.exec(reference.trim());
    if (!key?.[1] || !key[2]) return undefined;
    // The number alone would find TASK-1 for OTHER-1: the prefix must be this workspace's (in any case).
    if (key[1].toUpperCase() !== (await prefixOf(workspaceId, executor))) return undefined;
    return findTaskByNumber(executor, workspaceId, Number(key[2]));
  }

  /** Finds a task by id or key (TASK-7) in the principal's workspace, or throws TASK_NOT_FOUND. */
  async function requireTaskRow(executor: DatabaseExecutor, principal: Principal, reference: string, label = 'task'): Promise<TaskRow> {
    const row = await findTaskRow(executor, principal.workspaceId, reference);
    if (!row) {
      throw new AppError('TASK_NOT_FOUND', `No ${label} "${reference}" in your workspace. Use a task id or a key such as TASK-7.`);
    }
    return row;
  }

  async function hydrate(executor: DatabaseExecutor, rows: TaskRow[]): Promise<Task[]> {
    const [first] = rows;
    if (!first) return [];
    const relations = await loadTaskRelations(
      executor,
      rows.map((row) => row.id),
    );
    const prefix = await prefixOf(first.workspace_id, executor);
    return rows.map((row) => toTask(row, prefix, relations));
  }

  async function hydrateOne(executor: DatabaseExecutor, row: TaskRow): Promise<Task> {
    const relations = await loadTaskRelations(executor, [row.id]);
    return toTask(row, await prefixOf(row.workspace_id, executor), relations);
  }

  async function assertAssigneesExist(principal: Principal, assignees: readonly PrincipalReference[]) {
    const agentIds = assignees.filter((assignee) => assignee.kind === 'agent').map((assignee) => assignee.id);
    const userIds = assignees.filter((assignee) => assignee.kind === 'user').map((assignee) => assignee.id);
    const agents = new Set((await dependencies.agents.findAgents(principal, agentIds)).map((agent) => agent.id));
    const users = await dependencies.workspaces.findMemberIds(principal, userIds);
    const missing = assignees.find((assignee) => !(assignee.kind === 'agent' ? agents : users).has(assignee.id));
    if (missing) {
      throw new AppError(
        missing.kind === 'agent' ? 'AGENT_NOT_FOUND' : 'USER_NOT_FOUND',
        `Assignee ${missing.kind} ${missing.id} is not in your workspace. List agents with GET /api/v1/agents and people with GET /api/v1/members.`,
      );
    }
  }

  function uniqueAssignees(assignees: readonly PrincipalReference[]): PrincipalReference[] {
    const seen = new Set<string>();
    return assignees.filter((assignee) => {
      const key = `${assignee.kind}:${assignee.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  async function resolveDependencyIds(executor: DatabaseExecutor, principal: Principal, references: readonly string[]) {
    const ids: string[] = [];
    for (const reference of references) {
      const row = await requireTaskRow(executor, principal, reference, 'dependency');
      if (!ids.includes(row.id)) ids.push(row.id);
    }
    return ids;
  }

  async function assertNoDependencyCycle(executor: DatabaseExecutor, taskId: string, dependencyIds: string[]) {
    if (dependencyIds.includes(taskId) || (await listDependencyClosure(executor, dependencyIds)).has(taskId)) {
      throw new AppError('TASK_DEPENDENCY_CYCLE', 'These dependencies would make the task wait on itself. Remove the circular dependency.');
    }
  }

  async function assertNoParentCycle(executor: DatabaseExecutor, taskId: string, parentId: string) {
    if (parentId === taskId || (await listAncestorIds(executor, parentId)).includes(taskId)) {
      throw new AppError('TASK_PARENT_CYCLE', 'A task cannot be its own ancestor. Choose another parent.');
    }
  }

  function assignmentNotifications(task: TaskRow, prefix: string, assignees: PrincipalReference[]) {
    return assignees.map((recipient) => ({
      recipient,
      taskId: task.id,
      reason: 'assigned' as const,
      content: `You were assigned ${prefix}-${task.number}: ${task.title}`,
    }));
  }

  async function assertDependenciesDone(executor: DatabaseExecutor, principal: Principal, task: TaskRow, prefix: string) {
    const relations = await loadTaskRelations(executor, [task.id]);
    const dependencyIds = relations.dependencyIds.get(task.id) ?? [];
    const open = (await findTasksByIds(executor, principal.workspaceId, dependencyIds)).filter((row) => row.status !== 'done');
    if (open.length > 0) {
      const keys = open.map((row) => `${prefix}-${row.number}`).join(', ');
      throw new AppError('TASK_INVALID_TRANSITION', `This task waits on ${keys}, which ${open.length === 1 ? 'is' : 'are'} not done yet.`, {
        openDependencies: open.map((row) => row.id),
      });
    }
  }

  /**
   * The fencing rule: while a task is claimed, an agent changes it only with the current lease
   * token. People may override (the lease is then broken, visibly). A token for a lease that is
   * gone is refused, so a holder that lost its lease cannot clobber the next one's work.
   */
  function checkLeaseForChange(
    principal: Principal,
    row: TaskRow,
    leaseToken: string | undefined,
    key: string,
    now: string,
  ): 'none' | 'held' | 'overridden' {
    const live = row.lease_token !== null && row.lease_expires_at !== null && row.lease_expires_at > now;
    if (live) {
      if (leaseToken !== undefined) {
        if (leaseToken !== row.lease_token) {
          throw new AppError('LEASE_CONFLICT', `${key} is claimed under another lease. Claim it again before changing it.`, {
            lease: { holder: { kind: row.lease_holder_kind, id: row.lease_holder_id }, expiresAt: row.lease_expires_at },
          });
        }
        return 'held';
      }
      if (principal.kind === 'agent') {
        throw new AppError(
          'LEASE_REQUIRED',
          `${key} is claimed by someone else for another ${describeDuration(Date.parse(row.lease_expires_at ?? '') - clock.now().getTime())}. Send the leaseToken you got from claim (or claim it first).`,
          { lease: { holder: { kind: row.lease_holder_kind, id: row.lease_holder_id }, expiresAt: row.lease_expires_at } },
        );
      }
      return 'overridden';
    }
    if (leaseToken !== undefined) {
      throw new AppError('LEASE_EXPIRED', `Your lease on ${key} has expired or was released. Claim the task again before changing it.`);
    }
    return row.lease_token !== null ? 'overridden' : 'none';
  }

  async function insertNewTask(
    trx: DatabaseExecutor,
    principal: Principal,
    input: CreateTaskInput,
    assignees: PrincipalReference[],
  ): Promise<Task> {
    const prefix = await prefixOf(principal.workspaceId, trx);
    const now = clock.now();
    const parent = input.parentId ? await requireTaskRow(trx, principal, input.parentId, 'parent task') : undefined;
    const dependencyIds = await resolveDependencyIds(trx, principal, input.dependencyIds);
    const number = await dependencies.workspaces.takeNextTaskNumber(trx, principal.workspaceId);
    const row: TaskRow = {
      id: createId(),
      workspace_id: principal.workspaceId,
      number,
      title: input.title,
      description: input.description,
      status: assignees.length > 0 ? 'assigned' : 'inbox',
      priority: input.priority,
      priority_rank: priorityRank[input.priority],
      creator_kind: principal.kind,
      creator_id: principal.id,
      parent_id: parent?.id ?? null,
      due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      completed_at: null,
      lease_token: null,
      lease_holder_kind: null,
      lease_holder_id: null,
      lease_expires_at: null,
      lease_seconds: null,
    };
    await insertTask(trx, row);
    // A new task has no relations to replace, and what was written is what the answer shows.
    const relations = await insertNewTaskRelations(trx, row, {
      assignees,
      dependencyIds,
      capabilities: [...new Set(input.requiredCapabilities)],
      at: row.created_at,
    });
    const actor = toPrincipalReference(principal);
    await appendEvent(trx, {
      workspaceId: principal.workspaceId,
      type: 'task-created',
      actor,
      taskId: row.id,
      summary: `${prefix}-${number} created: ${row.title}`,
      data: {
        key: `${prefix}-${number}`,
        title: row.title,
        status: row.status,
        priority: input.priority,
        assignees,
        parentId: row.parent_id,
      },
      at: now,
    });
    await dependencies.notifications.notifyInTransaction(
      trx,
      principal.workspaceId,
      actor,
      assignmentNotifications(row, prefix, assignees),
    );
    return toTask(row, prefix, relations);
  }

  return {
    requireTaskRow,
    hydrateTask: hydrateOne,
    prefixOf,

    /** Resolves a task reference (id or key) to its id, or throws TASK_NOT_FOUND. */
    async resolveTaskId(principal: Principal, reference: string): Promise<string> {
      return (await requireTaskRow(db, principal, reference)).id;
    },

    /** How many tasks wait in each of the given statuses, for a lead's triage. */
    async countTasksByStatus(principal: Principal, statuses: readonly TaskStatus[]): Promise<Record<string, number>> {
      const rows = await countTasksByStatus(db, principal.workspaceId, statuses);
      return Object.fromEntries(statuses.map((status) => [status, Number(rows.find((row) => row.status === status)?.count ?? 0)]));
    },

    /** Open tasks assigned to an agent or user of the principal's workspace. */
    async listOpenTaskIdsAssignedTo(principal: Principal, assigneeId: string): Promise<string[]> {
      return listOpenTaskIdsAssignedTo(db, principal.workspaceId, assigneeId);
    },

    async getTask(principal: Principal, reference: string): Promise<Task> {
      assertCan(principal, 'workspace:read');
      return hydrateOne(db, await requireTaskRow(db, principal, reference));
    },

    async listTasks(principal: Principal, query: ListTasksQuery): Promise<Page<Task>> {
      assertCan(principal, 'workspace:read');
      const parentId = query.parentId ? (await requireTaskRow(db, principal, query.parentId, 'parent task')).id : undefined;
      const rows = await listTasks(db, engine, {
        workspaceId: principal.workspaceId,
        statuses: query.status,
        priorities: query.priority,
        assigneeId: query.assigneeId,
        parentId,
        text: query.q,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const page = toPage(
        rows,
        query.limit,
        (row) => row,
        (row) => row.id,
      );
      return { data: await hydrate(db, page.data), nextCursor: page.nextCursor };
    },

    async createTask(principal: Principal, input: CreateTaskInput): Promise<Task> {
      assertCan(principal, 'work:write');
      const assignees = uniqueAssignees(input.assignees);
      await assertAssigneesExist(principal, assignees);
      return db.transaction().execute((trx) => insertNewTask(trx, principal, input, assignees));
    },

    /**
     * Creates a task inside the caller's transaction (a workflow step creates its task in the same
     * transaction that marks the step started, so a crash cannot create it twice). The caller has
     * checked the permission and the assignees.
     */
    async createTaskInTransaction(trx: DatabaseExecutor, principal: Principal, input: CreateTaskInput): Promise<Task> {
      assertCan(principal, 'work:write');
      return insertNewTask(trx, principal, input, uniqueAssignees(input.assignees));
    },

    /** Checks a task's assignees exist, before a transaction that creates it with createTaskInTransaction. */
    async checkTaskAssignees(principal: Principal, assignees: readonly PrincipalReference[]): Promise<void> {
      await assertAssigneesExist(principal, uniqueAssignees(assignees));
    },

    /** Tasks by id in a workspace (the missing ones left out), e.g. for the workflow engine to see which finished. */
    async findTasksByIds(workspaceId: string, ids: readonly string[]): Promise<Task[]> {
      if (ids.length === 0) return [];
      return hydrate(db, await findTasksByIds(db, workspaceId, ids));
    },

    async updateTask(principal: Principal, reference: string, input: UpdateTaskInput): Promise<Task> {
      assertCan(principal, 'work:write');
      const prefix = await prefixOf(principal.workspaceId);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await requireTaskRow(trx, principal, reference);
        let parentId = current.parent_id;
        if (input.parentId !== undefined) {
          parentId = input.parentId === null ? null : (await requireTaskRow(trx, principal, input.parentId, 'parent task')).id;
          if (parentId) await assertNoParentCycle(trx, current.id, parentId);
        }
        const changes = {
          ...(input.title !== undefined && { title: input.title }),
          ...(input.description !== undefined && { description: input.description }),
          ...(input.priority !== undefined && { priority: input.priority, priority_rank: priorityRank[input.priority] }),
          ...(input.parentId !== undefined && { parent_id: parentId }),
          ...(input.dueAt !== undefined && { due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null }),
          updated_at: now.toISOString(),
        };
        await updateTaskRow(trx, current.id, changes);
        if (input.dependencyIds !== undefined) {
          const dependencyIds = await resolveDependencyIds(trx, principal, input.dependencyIds);
          await assertNoDependencyCycle(trx, current.id, dependencyIds);
          await replaceTaskDependencies(trx, current, dependencyIds);
        }
        if (input.requiredCapabilities !== undefined) {
          await replaceTaskCapabilities(trx, current.id, [...new Set(input.requiredCapabilities)]);
        }
        const fields = Object.keys(input);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'task-updated',
          actor: toPrincipalReference(principal),
          taskId: current.id,
          summary: `${prefix}-${current.number} updated (${fields.join(', ') || 'no fields'})`,
          data: { key: `${prefix}-${current.number}`, fields },
          at: now,
        });
        return hydrateOne(trx, { ...current, ...changes });
      });
    },

    /**
     * Replaces the assignee list. Assigning an inbox task moves it to assigned; removing the last
     * assignee of an assigned task sends it back to the inbox; work in progress or in review
     * keeps at least one assignee.
     */
    async assignTask(principal: Principal, reference: string, input: AssignTaskInput): Promise<Task> {
      assertCan(principal, 'work:write');
      const assignees = uniqueAssignees(input.assignees);
      await assertAssigneesExist(principal, assignees);
      const prefix = await prefixOf(principal.workspaceId);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await requireTaskRow(trx, principal, reference);
        const before = (await loadTaskRelations(trx, [current.id])).assignees.get(current.id) ?? [];
        const currentStatus = current.status;
        let status = currentStatus;
        if (assignees.length > 0 && currentStatus === 'inbox') status = 'assigned';
        if (assignees.length === 0 && currentStatus === 'assigned') status = 'inbox';
        if (assignees.length === 0 && statusesNeedingAssignee.includes(status)) {
          throw new AppError('TASK_ASSIGNEE_REQUIRED', `A task in ${status} needs at least one assignee. Move it back to the inbox first.`);
        }
        await replaceTaskAssignees(trx, current, assignees, now.toISOString());
        await updateTaskRow(trx, current.id, { status, updated_at: now.toISOString() });
        const actor = toPrincipalReference(principal);
        const key = `${prefix}-${current.number}`;
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'task-assigned',
          actor,
          taskId: current.id,
          summary:
            assignees.length > 0
              ? `${key} assigned to ${assignees.length === 1 ? 'one assignee' : `${assignees.length} assignees`}`
              : `${key} unassigned`,
          data: { key, assignees, previousAssignees: before },
          at: now,
        });
        if (status !== currentStatus) {
          await appendTaskStatusChanged(trx, {
            workspaceId: principal.workspaceId,
            actor,
            taskId: current.id,
            key,
            from: currentStatus,
            to: status,
            at: now,
          });
        }
        const added = assignees.filter((assignee) => !before.some((old) => old.kind === assignee.kind && old.id === assignee.id));
        await dependencies.notifications.notifyInTransaction(
          trx,
          principal.workspaceId,
          actor,
          assignmentNotifications(current, prefix, added),
        );
        return hydrateOne(trx, { ...current, status, updated_at: now.toISOString() });
      });
    },

    async changeTaskStatus(principal: Principal, reference: string, input: ChangeTaskStatusInput): Promise<Task> {
      assertCan(principal, 'work:write');
      const prefix = await prefixOf(principal.workspaceId);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await requireTaskRow(trx, principal, reference);
        const from = current.status;
        const to = input.status;
        const key = `${prefix}-${current.number}`;
        const lease = checkLeaseForChange(principal, current, input.leaseToken, key, now.toISOString());
        if (from === to) return hydrateOne(trx, current);
        if (!canTransitionTask(from, to)) {
          throw new AppError('TASK_INVALID_TRANSITION', `${key} cannot move from ${from} to ${to}.`, { from, to });
        }
        if (statusesNeedingAssignee.includes(to)) {
          const assignees = (await loadTaskRelations(trx, [current.id])).assignees.get(current.id) ?? [];
          if (assignees.length === 0) {
            throw new AppError('TASK_ASSIGNEE_REQUIRED', `Assign ${key} to someone before moving it to ${to}.`);
          }
        }
        if (to === 'in_progress' || to === 'review' || to === 'done') await assertDependenciesDone(trx, principal, current, prefix);
        // Work that leaves in_progress is no longer held; a person moving claimed work breaks the lease.
        const releaseLease = lease !== 'none' && (to !== 'in_progress' || lease === 'overridden');
        const changes = {
          status: to,
          updated_at: now.toISOString(),
          completed_at: to === 'done' ? now.toISOString() : null,
          ...(releaseLease
            ? { lease_token: null, lease_holder_kind: null, lease_holder_id: null, lease_expires_at: null, lease_seconds: null }
            : {}),
        };
        await updateTaskRow(trx, current.id, changes);
        await appendTaskStatusChanged(trx, {
          workspaceId: principal.workspaceId,
          actor: toPrincipalReference(principal),
          taskId: current.id,
          key,
          from,
          to,
          reason: input.reason,
          at: now,
        });
        return hydrateOne(trx, { ...current, ...changes });
      });
    },

    async deleteTask(principal: Principal, reference: string): Promise<void> {
      assertCan(principal, 'task:delete');
      const prefix = await prefixOf(principal.workspaceId);
      await db.transaction().execute(async (trx) => {
        const current = await requireTaskRow(trx, principal, reference);
        await deleteTaskRow(trx, current.id);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'task-deleted',
          actor: toPrincipalReference(principal),
          taskId: current.id,
          summary: `${prefix}-${current.number} deleted: ${current.title}`,
          data: { key: `${prefix}-${current.number}`, title: current.title },
          at: clock.now(),
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'task.deleted',
          targetKind: 'task',
          targetId: current.id,
          summary: `${prefix}-${current.number} deleted: ${current.title}`,
          before: { key: `${prefix}-${current.number}`, title: current.title, status: current.status },
        });
      });
    },
  };
}
