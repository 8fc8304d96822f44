import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ServiceContext } from '../../core/service-context.js';

const dependencySchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: dependencySchema.extend({ engine: z.enum(['sqlite', 'postgres']) }),
});

/** Liveness and dependency status, for load balancers and humans. */
export const healthRoutes: FastifyPluginAsyncZod<{ context: ServiceContext; version: string }> = async (app, { context, version }) => {
  const startedAt = Date.now();
  app.get(
    '/api/health',
    { schema: { tags: ['health'], summary: 'Health of the server and its database', response: { 200: healthSchema, 503: healthSchema } } },
    async (_request, reply) => {
      const started = performance.now();
      let database: z.infer<typeof dependencySchema>;
      try {
        await sql`select 1`.execute(context.db);
        database = { status: 'up', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
      } catch (error) {
        database = { status: 'down', error: error instanceof Error ? error.message : String(error) };
      }
      const healthy = database.status === 'up';
      return reply.status(healthy ? 200 : 503).send({
        status: healthy ? 'ok' : 'degraded',
        version,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        database: { ...database, engine: context.engine },
      });
    },
  );
};
