import {
  assignmentCandidateSchema,
  errorBodySchema,
  escalateTaskSchema,
  sendBackTaskSchema,
  taskParamsSchema,
  taskSchema,
  updateWorkspaceRuntimeSettingsSchema,
  workspaceRuntimeSettingsSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoordinationService } from './coordination.service.js';

const tags = ['coordination'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** Assignment suggestions and auto-assignment, escalation to people, review send-backs. */
export const coordinationRoutes: FastifyPluginAsyncZod<{ coordination: CoordinationService }> = async (app, { coordination }) => {
  app.get(
    '/tasks/:id/assignment-candidates',
    {
      schema: {
        tags,
        summary: 'Every agent scored for the task (capabilities, load, record on similar tasks), best first',
        params: taskParamsSchema,
        response: { 200: z.object({ data: z.array(assignmentCandidateSchema) }), ...errors },
      },
    },
    async (request) => ({ data: await coordination.suggestAssignees(request.principal, request.params.id) }),
  );

  app.post(
    '/tasks/:id/assign-best',
    {
      schema: {
        tags,
        summary: 'Assign the task to the best eligible agent',
        params: taskParamsSchema,
        response: { 200: z.object({ task: taskSchema, chosen: assignmentCandidateSchema.nullable() }), ...errors },
      },
    },
    async (request) => coordination.assignBest(request.principal, request.params.id),
  );

  app.post(
    '/tasks/:id/escalate',
    {
      schema: {
        tags,
        summary: 'Hand blocked or stale work to a person: the task shows blocked and the owners are notified',
        params: taskParamsSchema,
        body: escalateTaskSchema,
        response: { 200: taskSchema, ...errors },
      },
    },
    async (request) => coordination.escalateTask(request.principal, request.params.id, request.body),
  );

  app.post(
    '/tasks/:id/send-back',
    {
      schema: {
        tags,
        summary: 'Send work in review back to its assignees with a comment',
        params: taskParamsSchema,
        body: sendBackTaskSchema,
        response: { 200: taskSchema, ...errors },
      },
    },
    async (request) => coordination.sendBackTask(request.principal, request.params.id, request.body),
  );

  app.get(
    '/workspace/runtime-settings',
    {
      schema: {
        tags,
        summary: 'Runtime settings of the workspace (auto-assignment)',
        response: { 200: workspaceRuntimeSettingsSchema, ...errors },
      },
    },
    async (request) => coordination.getSettings(request.principal),
  );

  app.put(
    '/workspace/runtime-settings',
    {
      schema: {
        tags,
        summary: 'Turn auto-assignment of new inbox tasks on or off',
        body: updateWorkspaceRuntimeSettingsSchema,
        response: { 200: workspaceRuntimeSettingsSchema, ...errors },
      },
    },
    async (request) => coordination.updateSettings(request.principal, request.body),
  );
};
