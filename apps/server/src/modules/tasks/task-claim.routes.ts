import {
  claimResultSchema,
  claimTaskSchema,
  errorBodySchema,
  optionalBody,
  releaseTaskSchema,
  taskParamsSchema,
  taskSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TaskClaimService } from './task-claim.service.js';

const tags = ['tasks'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const taskClaimRoutes: FastifyPluginAsyncZod<{ claims: TaskClaimService }> = async (app, { claims }) => {
  app.post(
    '/tasks/next',
    {
      schema: {
        tags,
        summary: "Claim the calling agent's best next task (204 when there is none)",
        description:
          'Assigned work first, then inbox tasks whose required capabilities the agent has; by priority, due date and age, with dependencies done, within the concurrency limit.',
        body: optionalBody(claimTaskSchema),
        response: { 200: claimResultSchema, 204: z.undefined(), ...errors },
      },
    },
    async (request, reply) => {
      const claimed = await claims.claimNextTask(request.principal, request.body);
      return claimed ? claimed : reply.status(204).send();
    },
  );

  app.post(
    '/tasks/:id/claim',
    {
      schema: {
        tags,
        summary: 'Claim a task: exactly one concurrent claimer wins a lease',
        params: taskParamsSchema,
        body: optionalBody(claimTaskSchema),
        response: { 200: claimResultSchema, ...errors },
      },
    },
    async (request) => claims.claimTask(request.principal, request.params.id, request.body),
  );

  app.post(
    '/tasks/:id/release',
    {
      schema: {
        tags,
        summary: 'Give a claimed task back (with the lease token)',
        params: taskParamsSchema,
        body: releaseTaskSchema,
        response: { 200: taskSchema, ...errors },
      },
    },
    async (request) => claims.releaseTask(request.principal, request.params.id, request.body),
  );
};
