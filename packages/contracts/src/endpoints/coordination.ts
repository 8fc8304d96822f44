import { z } from 'zod';
import {
  assignmentCandidateSchema,
  escalateTaskSchema,
  sendBackTaskSchema,
  updateWorkspaceRuntimeSettingsSchema,
  workspaceRuntimeSettingsSchema,
} from '../agent-runs.js';
import { taskParamsSchema, taskSchema } from '../tasks.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'tasks';
const theTask = { 200: { description: 'The task as it is now', schema: taskSchema } } as const;
const theSettings = { 200: { description: 'The runtime settings of the workspace', schema: workspaceRuntimeSettingsSchema } } as const;

export const listAssignmentCandidates = defineEndpoint({
  operationId: 'listAssignmentCandidates',
  method: 'GET',
  path: '/api/v1/tasks/{id}/assignment-candidates',
  tag,
  auth: 'any',
  summary: 'Score every agent for a task, best first',
  description:
    'Each agent gets a score from its capabilities against the required ones, its open work and its record on similar tasks over the last 30 days, with the reasons; agents that cannot take the task are marked not eligible. The scoring is deterministic, so the same board gives the same order.',
  params: taskParamsSchema,
  responses: {
    200: {
      description: 'Every agent with its score and reasons, best first',
      schema: z.object({ data: z.array(assignmentCandidateSchema) }),
    },
  },
  errors: ['TASK_NOT_FOUND'],
});

export const assignBestAgent = defineEndpoint({
  operationId: 'assignBestAgent',
  method: 'POST',
  path: '/api/v1/tasks/{id}/assign-best',
  tag,
  auth: 'any',
  summary: 'Assign a task to the best eligible agent',
  description:
    'The best eligible candidate becomes the only assignee, as with assigning the task (an inbox task moves to assigned, the agent is notified). When no agent is eligible nothing changes and `chosen` is null. Viewers cannot assign.',
  params: taskParamsSchema,
  responses: {
    200: {
      description: 'The task as it is now and the agent chosen, or null when none fits',
      schema: z.object({ task: taskSchema, chosen: assignmentCandidateSchema.nullable() }),
    },
  },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'AGENT_NOT_FOUND'],
});

export const escalateTask = defineEndpoint({
  operationId: 'escalateTask',
  method: 'POST',
  path: '/api/v1/tasks/{id}/escalate',
  tag,
  auth: 'any',
  summary: 'Hand blocked or stale work to a person',
  description:
    'The task moves to blocked (unless it is already) with the reason, the workspace owners are notified and a `task-escalated` event is appended. A task that cannot move to blocked (done, failed, cancelled) answers 409 TASK_INVALID_TRANSITION; an agent escalating a task someone holds a live claim on answers 409 LEASE_REQUIRED.',
  params: taskParamsSchema,
  body: escalateTaskSchema,
  responses: theTask,
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'TASK_INVALID_TRANSITION', 'LEASE_REQUIRED'],
});

export const sendBackTask = defineEndpoint({
  operationId: 'sendBackTask',
  method: 'POST',
  path: '/api/v1/tasks/{id}/send-back',
  tag,
  auth: 'any',
  summary: 'Send work in review back to its assignees with a comment',
  description:
    "Only a task in review can be sent back (409 TASK_INVALID_TRANSITION otherwise). The comment is posted on the task's thread mentioning its assigned agents, and the task moves back to in_progress.",
  params: taskParamsSchema,
  body: sendBackTaskSchema,
  responses: theTask,
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'TASK_INVALID_TRANSITION', 'TASK_ASSIGNEE_REQUIRED'],
});

export const getWorkspaceRuntimeSettings = defineEndpoint({
  operationId: 'getWorkspaceRuntimeSettings',
  method: 'GET',
  path: '/api/v1/workspace/runtime-settings',
  tag: 'workspaces',
  auth: 'any',
  summary: 'Get the runtime settings of the workspace',
  description: 'Whether new inbox tasks without assignees are assigned to the best agent as they are created (auto-assignment).',
  responses: theSettings,
  errors: [],
});

export const updateWorkspaceRuntimeSettings = defineEndpoint({
  operationId: 'updateWorkspaceRuntimeSettings',
  method: 'PUT',
  path: '/api/v1/workspace/runtime-settings',
  tag: 'workspaces',
  auth: 'user',
  summary: 'Turn auto-assignment of new inbox tasks, and review by people, on or off',
  description:
    'With auto-assignment on, each new inbox task without assignees goes to the best eligible agent as it is created; tasks created before are left alone. With `humanReview` off and no reviewer agent in the workspace, a runner moves finished work straight to done instead of review. A setting left out keeps its value. Only owners, admins and members change them.',
  body: updateWorkspaceRuntimeSettingsSchema,
  responses: theSettings,
  errors: [],
});
