import {
  activitySchema,
  errorBodySchema,
  idSchema,
  listActivitiesQuerySchema,
  pageSchema,
  taskReferenceSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ActivityService } from './activity.service.js';

const tags = ['activities'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export const activityRoutes: FastifyPluginAsyncZod<{ activities: ActivityService }> = async (app, { activities }) => {
  app.get(
    '/activities',
    {
      schema: {
        tags,
        summary: "The workspace's activity feed, newest first",
        querystring: listActivitiesQuerySchema,
        response: { 200: pageSchema(activitySchema), ...errors },
      },
    },
    async (request) => activities.listActivities(request.principal, request.query, {}),
  );

  app.get(
    '/activities/agent/:agentId',
    {
      schema: {
        tags,
        summary: 'What an agent did, and what happened to it',
        params: z.object({ agentId: idSchema }),
        querystring: listActivitiesQuerySchema,
        response: { 200: pageSchema(activitySchema), ...errors },
      },
    },
    async (request) => activities.listActivities(request.principal, request.query, { agentId: request.params.agentId }),
  );

  app.get(
    '/activities/task/:taskId',
    {
      schema: {
        tags,
        summary: 'The history of a task',
        params: z.object({ taskId: taskReferenceSchema }),
        querystring: listActivitiesQuerySchema,
        response: { 200: pageSchema(activitySchema), ...errors },
      },
    },
    async (request) => activities.listActivities(request.principal, request.query, { taskReference: request.params.taskId }),
  );
};
