import { z } from 'zod';

/** How one dependency of the server is doing. */
export const healthDependencySchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});
export type HealthDependency = z.infer<typeof healthDependencySchema>;

/** The server's health report: the same body whether it answers 200 or 503. */
export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    uptimeSeconds: z.number(),
    database: healthDependencySchema.extend({ engine: z.enum(['sqlite', 'postgres']) }),
    redis: healthDependencySchema.optional().describe('Present when REDIS_URL is set'),
    eventStream: healthDependencySchema
      .extend({
        listening: z.boolean().nullable().describe('The LISTEN connection for commits of other instances (null on SQLite)'),
        latestSeq: z.number().describe('The last event handed to this instance’s sockets'),
        lagEvents: z.number().optional().describe('Events committed that this instance has not read yet'),
        lastReadAt: z.string().nullable(),
      })
      .optional(),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof healthSchema>;
