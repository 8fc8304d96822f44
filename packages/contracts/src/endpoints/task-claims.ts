import { claimResultSchema, claimTaskSchema, releaseTaskSchema, taskParamsSchema, taskSchema } from '../tasks.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'tasks';

export const claimNextTask = defineEndpoint({
  operationId: 'claimNextTask',
  method: 'POST',
  path: '/api/v1/tasks/next',
  tag,
  auth: 'agent',
  summary: "Claim the calling agent's best next task",
  description:
    'Assigned work first, then inbox tasks whose required capabilities the agent has; by priority, due date and age, with dependencies done, within the agent’s concurrency limit. Answers 204 when nothing is waiting.',
  body: claimTaskSchema,
  responses: {
    200: { description: 'The claimed task and its lease', schema: claimResultSchema },
    204: { description: 'Nothing is waiting for this agent' },
  },
  errors: ['AGENT_NOT_FOUND', 'AGENT_AT_CAPACITY'],
});

export const claimTask = defineEndpoint({
  operationId: 'claimTask',
  method: 'POST',
  path: '/api/v1/tasks/{id}/claim',
  tag,
  auth: 'any',
  summary: 'Claim a task with a lease',
  description:
    'Of concurrent claimers exactly one wins and gets a lease `{ token, expiresAt }`; the others get 409 TASK_ALREADY_CLAIMED. Present the token with status changes, progress messages and release.',
  params: taskParamsSchema,
  body: claimTaskSchema,
  responses: { 200: { description: 'The claimed task and its lease', schema: claimResultSchema } },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'TASK_ALREADY_CLAIMED', 'TASK_NOT_CLAIMABLE', 'AGENT_AT_CAPACITY'],
});

export const releaseTask = defineEndpoint({
  operationId: 'releaseTask',
  method: 'POST',
  path: '/api/v1/tasks/{id}/release',
  tag,
  auth: 'any',
  summary: 'Give a claimed task back',
  description:
    'With the lease token: the task goes to assigned (or the inbox when nobody is assigned) unless another status is given (inbox, assigned, blocked or failed).',
  params: taskParamsSchema,
  body: releaseTaskSchema,
  responses: { 200: { description: 'The task as it is now', schema: taskSchema } },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'LEASE_CONFLICT', 'LEASE_EXPIRED', 'TASK_INVALID_TRANSITION'],
});
