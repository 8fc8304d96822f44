import {
  type ChangeTaskStatusInput,
  type ClaimResult,
  endpoints,
  type PrincipalReference,
  type ReleaseTaskInput,
  type Task,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of `tasks.list`: the query of `GET /api/v1/tasks` without the cursor. */
export type ListTasksOptions = Omit<z.input<typeof endpoints.listTasks.query>, 'cursor'>;

/** Options of a claim. */
export type ClaimOptions = z.input<typeof endpoints.claimTask.body>;

/** The task board: tasks, assignment, status, claims and leases (`/tasks`). Tasks are addressed by id or key (`TASK-7`). */
export class TasksResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.tasks`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists tasks: `for await` over all of them, or `.page()` for one page. */
  list(options: ListTasksOptions = {}): PageIterator<Task> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listTasks, { query: { ...options, cursor } }));
  }

  /** Creates a task (in the inbox, or assigned when assignees are given). */
  create(input: z.input<typeof endpoints.createTask.body>): Promise<Task> {
    return this.context.transport.call(endpoints.createTask, { body: input });
  }

  /** Fetches one task by id or key. */
  get(taskReference: string): Promise<Task> {
    return this.context.transport.call(endpoints.getTask, { params: { id: taskReference } });
  }

  /** Changes some of a task's fields: title, description, priority, parent, dependencies, capabilities or due date. */
  update(taskReference: string, input: z.input<typeof endpoints.updateTask.body>): Promise<Task> {
    return this.context.transport.call(endpoints.updateTask, { params: { id: taskReference }, body: input });
  }

  /** Replaces every editable field of a task; fields left out take their defaults. */
  replace(taskReference: string, input: z.input<typeof endpoints.replaceTask.body>): Promise<Task> {
    return this.context.transport.call(endpoints.replaceTask, { params: { id: taskReference }, body: input });
  }

  /** Deletes a task and its thread. */
  async delete(taskReference: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteTask, { params: { id: taskReference } });
  }

  /** Replaces the task's assignees. */
  assign(taskReference: string, assignees: PrincipalReference[]): Promise<Task> {
    return this.context.transport.call(endpoints.assignTask, { params: { id: taskReference }, body: { assignees } });
  }

  /** Moves a task to another status; agents holding a claim pass its lease token. */
  updateStatus(taskReference: string, input: ChangeTaskStatusInput): Promise<Task> {
    return this.context.transport.call(endpoints.changeTaskStatus, { params: { id: taskReference }, body: input });
  }

  /** Claims a task: exactly one concurrent claimer wins a lease (token + expiry). */
  claim(taskReference: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    return this.context.transport.call(endpoints.claimTask, { params: { id: taskReference }, body: options });
  }

  /** Claims the calling agent's best next task, or answers null when nothing is waiting. */
  async claimNext(options: ClaimOptions = {}): Promise<ClaimResult | null> {
    return (await this.context.transport.call(endpoints.claimNextTask, { body: options })) ?? null;
  }

  /** Gives a claimed task back (to assigned, inbox, blocked or failed) with its lease token. */
  release(taskReference: string, input: ReleaseTaskInput): Promise<Task> {
    return this.context.transport.call(endpoints.releaseTask, { params: { id: taskReference }, body: input });
  }
}
