import { z } from 'zod';
import { activitySchema, listActivitiesQuerySchema } from '../activities.js';
import { idSchema, pageSchema, taskReferenceSchema } from '../common.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'activities';
const aPage = { 200: { description: 'A page of activity, newest first', schema: pageSchema(activitySchema) } } as const;
const paging = 'Cursor-paginated: pass `nextCursor` back as `cursor`; filter by one event `type`.';

export const listActivities = defineEndpoint({
  operationId: 'listActivities',
  method: 'GET',
  path: '/api/v1/activities',
  tag,
  auth: 'any',
  summary: "The workspace's activity feed, newest first",
  description: `Every event of the workspace, the same ones the live stream sends. ${paging}`,
  query: listActivitiesQuerySchema,
  responses: aPage,
  errors: [],
});

export const listAgentActivities = defineEndpoint({
  operationId: 'listAgentActivities',
  method: 'GET',
  path: '/api/v1/activities/agent/{agentId}',
  tag,
  auth: 'any',
  summary: 'What an agent did, and what happened to it',
  description: `Events about one agent of the workspace; an agent of another workspace answers 404 rather than an empty page. ${paging}`,
  params: z.object({ agentId: idSchema }),
  query: listActivitiesQuerySchema,
  responses: aPage,
  errors: ['AGENT_NOT_FOUND'],
});

export const listTaskActivities = defineEndpoint({
  operationId: 'listTaskActivities',
  method: 'GET',
  path: '/api/v1/activities/task/{taskId}',
  tag,
  auth: 'any',
  summary: 'The history of a task',
  description: `Events about one task, addressed by id or key (TASK-7); a task of another workspace answers 404. ${paging}`,
  params: z.object({ taskId: taskReferenceSchema }),
  query: listActivitiesQuerySchema,
  responses: aPage,
  errors: ['TASK_NOT_FOUND'],
});
