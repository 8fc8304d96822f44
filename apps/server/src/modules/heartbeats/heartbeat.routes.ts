import {
  agentIdParamsSchema,
  errorBodySchema,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
  optionalBody,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HeartbeatService } from './heartbeat.service.js';

export const heartbeatRoutes: FastifyPluginAsyncZod<{ heartbeats: HeartbeatService }> = async (app, { heartbeats }) => {
  app.post(
    '/agents/:id/heartbeat',
    {
      schema: {
        tags: ['agents'],
        summary: 'I am alive: renews leases and answers what is waiting (notifications, tasks, triage)',
        params: agentIdParamsSchema,
        body: optionalBody(heartbeatRequestSchema),
        response: { 200: heartbeatResponseSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => heartbeats.heartbeat(request.principal, request.params.id, request.body),
  );
};
