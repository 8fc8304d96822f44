import {
  type ChangeTaskStatusInput,
  type ClaimResult,
  claimResultSchema,
  type createTaskSchema,
  type PrincipalReference,
  pageSchema,
  type ReleaseTaskInput,
  type Task,
  type TaskPriority,
  type TaskStatus,
  taskSchema,
  type updateTaskSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of `tasks.list`. */
export interface ListTasksOptions {
  /** One status or several. */
  status?: TaskStatus | readonly TaskStatus[];
  priority?: TaskPriority | readonly TaskPriority[];
  /** Tasks assigned to this agent or user. */
  assigneeId?: string;
  /** Subtasks of this task (id or key). */
  parentId?: string;
  /** Text to find in the title or description. */
  q?: string;
  /** Items per page (1–200). */
  limit?: number;
}

/** Options of a claim. */
export interface ClaimOptions {
  /** How long the lease lasts without a heartbeat renewing it (30–3600 s, 300 by default). */
  leaseSeconds?: number;
}

const path = (taskReference: string) => `/tasks/${encodeURIComponent(taskReference)}`;

/** The task board: tasks, assignment, status, claims and leases (`/tasks`). Tasks are addressed by id or key (`TASK-7`). */
export class TasksResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.tasks`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists tasks: `for await` over all of them, or `.page()` for one page. */
  list(options: ListTasksOptions = {}): PageIterator<Task> {
    return new PageIterator((cursor) =>
      this.context.transport.request({ method: 'GET', path: '/tasks', query: { ...options, cursor }, schema: pageSchema(taskSchema) }),
    );
  }

  /** Creates a task (in the inbox, or assigned when assignees are given). */
  create(input: z.input<typeof createTaskSchema>): Promise<Task> {
    return this.context.transport.request({ method: 'POST', path: '/tasks', body: input, schema: taskSchema });
  }

  /** Fetches one task by id or key. */
  get(taskReference: string): Promise<Task> {
    return this.context.transport.request({ method: 'GET', path: path(taskReference), schema: taskSchema });
  }

  /** Changes a task's title, description, priority, parent, dependencies, capabilities or due date. */
  update(taskReference: string, input: z.input<typeof updateTaskSchema>): Promise<Task> {
    return this.context.transport.request({ method: 'PATCH', path: path(taskReference), body: input, schema: taskSchema });
  }

  /** Deletes a task and its thread. */
  async delete(taskReference: string): Promise<void> {
    await this.context.transport.request({ method: 'DELETE', path: path(taskReference), schema: z.undefined(), allowNoContent: true });
  }

  /** Replaces the task's assignees. */
  assign(taskReference: string, assignees: PrincipalReference[]): Promise<Task> {
    return this.context.transport.request({
      method: 'POST',
      path: `${path(taskReference)}/assign`,
      body: { assignees },
      schema: taskSchema,
    });
  }

  /** Moves a task to another status; agents holding a claim pass its lease token. */
  updateStatus(taskReference: string, input: ChangeTaskStatusInput): Promise<Task> {
    return this.context.transport.request({ method: 'POST', path: `${path(taskReference)}/status`, body: input, schema: taskSchema });
  }

  /** Claims a task: exactly one concurrent claimer wins a lease (token + expiry). */
  claim(taskReference: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    return this.context.transport.request({
      method: 'POST',
      path: `${path(taskReference)}/claim`,
      body: options,
      schema: claimResultSchema,
    });
  }

  /** Claims the calling agent's best next task, or answers null when nothing is waiting. */
  async claimNext(options: ClaimOptions = {}): Promise<ClaimResult | null> {
    const claimed = await this.context.transport.request({
      method: 'POST',
      path: '/tasks/next',
      body: options,
      schema: claimResultSchema.optional(),
      allowNoContent: true,
    });
    return claimed ?? null;
  }

  /** Gives a claimed task back (to assigned, inbox, blocked or failed) with its lease token. */
  release(taskReference: string, input: ReleaseTaskInput): Promise<Task> {
    return this.context.transport.request({ method: 'POST', path: `${path(taskReference)}/release`, body: input, schema: taskSchema });
  }
}
