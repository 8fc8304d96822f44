import { pageSchema } from '../common.js';
import {
  assignTaskSchema,
  changeTaskStatusSchema,
  createTaskSchema,
  listTasksQuerySchema,
  replaceTaskSchema,
  taskParamsSchema,
  taskSchema,
  updateTaskSchema,
} from '../tasks.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'tasks';
const theTask = { 200: { description: 'The task as it is now', schema: taskSchema } } as const;

export const listTasks = defineEndpoint({
  operationId: 'listTasks',
  method: 'GET',
  path: '/api/v1/tasks',
  tag,
  auth: 'any',
  summary: 'List tasks, newest first',
  description:
    'Filter by one or several statuses or priorities (comma separated), an assignee, a parent task or text in the title or description. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listTasksQuerySchema,
  responses: { 200: { description: 'A page of tasks', schema: pageSchema(taskSchema) } },
  errors: [],
});

export const createTask = defineEndpoint({
  operationId: 'createTask',
  method: 'POST',
  path: '/api/v1/tasks',
  tag,
  auth: 'any',
  summary: 'Create a task',
  description:
    'The task lands in the inbox, or in assigned when assignees are given. Parent and dependencies may be given by id or key. Assignees are notified; a `task-created` event is appended.',
  body: createTaskSchema,
  responses: { 201: { description: 'The new task, with its short key (TASK-7)', schema: taskSchema } },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'AGENT_NOT_FOUND', 'USER_NOT_FOUND', 'TASK_DEPENDENCY_CYCLE', 'TASK_PARENT_CYCLE'],
});

export const getTask = defineEndpoint({
  operationId: 'getTask',
  method: 'GET',
  path: '/api/v1/tasks/{id}',
  tag,
  auth: 'any',
  summary: 'Get a task by id or key',
  description:
    'Accepts the task id or its short key such as `TASK-7`. The lease shows who holds the task; its token is only given to the holder.',
  params: taskParamsSchema,
  responses: theTask,
  errors: ['TASK_NOT_FOUND'],
});

export const updateTask = defineEndpoint({
  operationId: 'updateTask',
  method: 'PATCH',
  path: '/api/v1/tasks/{id}',
  tag,
  auth: 'any',
  summary: 'Edit some fields of a task',
  description:
    'Changes only the fields sent: title, description, priority, parent, dependencies, required capabilities, due date. Status and assignees have their own endpoints.',
  params: taskParamsSchema,
  body: updateTaskSchema,
  responses: theTask,
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'TASK_DEPENDENCY_CYCLE', 'TASK_PARENT_CYCLE'],
});

export const replaceTask = defineEndpoint({
  operationId: 'replaceTask',
  method: 'PUT',
  path: '/api/v1/tasks/{id}',
  tag,
  auth: 'any',
  summary: 'Replace the editable fields of a task',
  description:
    'A full update: every editable field takes the value sent, and a field left out takes its default (empty description, medium priority, no parent, no dependencies, no required capabilities, no due date). Status and assignees are kept; they have their own endpoints.',
  params: taskParamsSchema,
  body: replaceTaskSchema,
  responses: theTask,
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'TASK_DEPENDENCY_CYCLE', 'TASK_PARENT_CYCLE'],
});

export const deleteTask = defineEndpoint({
  operationId: 'deleteTask',
  method: 'DELETE',
  path: '/api/v1/tasks/{id}',
  tag,
  auth: 'user',
  summary: 'Delete a task and its thread',
  description: 'Only people (owners, admins and members) delete tasks; agents move them to cancelled instead.',
  params: taskParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['TASK_NOT_FOUND'],
});

export const assignTask = defineEndpoint({
  operationId: 'assignTask',
  method: 'POST',
  path: '/api/v1/tasks/{id}/assign',
  tag,
  auth: 'any',
  summary: 'Set the assignees of a task',
  description:
    'Replaces the whole list. An inbox task with assignees moves to assigned, an assigned task without any goes back to the inbox; a task in progress or in review keeps at least one. New assignees are notified.',
  params: taskParamsSchema,
  body: assignTaskSchema,
  responses: theTask,
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'AGENT_NOT_FOUND', 'USER_NOT_FOUND', 'TASK_ASSIGNEE_REQUIRED'],
});

export const changeTaskStatus = defineEndpoint({
  operationId: 'changeTaskStatus',
  method: 'POST',
  path: '/api/v1/tasks/{id}/status',
  tag,
  auth: 'any',
  summary: 'Move a task to another status',
  description:
    'Transitions follow the board (inbox → assigned → in_progress → review → done, one step back, or blocked, failed, cancelled). An agent holding a claim sends its `leaseToken`; leaving in_progress releases the lease. Dependencies must be done before a task is done.',
  params: taskParamsSchema,
  body: changeTaskStatusSchema,
  responses: theTask,
  errors: [
    'FORBIDDEN',
    'TASK_NOT_FOUND',
    'TASK_INVALID_TRANSITION',
    'TASK_ASSIGNEE_REQUIRED',
    'LEASE_REQUIRED',
    'LEASE_CONFLICT',
    'LEASE_EXPIRED',
  ],
});
