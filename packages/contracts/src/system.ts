import { z } from 'zod';
import { timestampSchema } from './common.js';

/** One reading of one instance: averages over the 5-minute bucket for rows older than a day. */
export const systemSampleSchema = z
  .object({
    instanceId: z.string().describe('MISSION_INSTANCE_ID, else hostname:port'),
    sampledAt: timestampSchema,
    resolutionSeconds: z.number().int().describe('10 for raw samples (kept a day), 300 for 5-minute averages (kept 7 days)'),
    cpuPercent: z.number().describe('Process CPU time over wall time since the previous sample; 100 is one core busy'),
    rssBytes: z.number(),
    heapUsedBytes: z.number(),
    heapTotalBytes: z.number(),
    diskFreeBytes: z.number().nullable().describe('Free space of the data directory’s file system for the server’s user'),
    diskTotalBytes: z.number().nullable(),
    eventLoopDelayMs: z.number().describe('Mean event-loop delay since the previous sample'),
    eventLoopDelayP99Ms: z.number(),
    websocketClients: z.number().describe('Live event-stream subscriptions'),
    dbPoolTotal: z.number().nullable().describe('PostgreSQL connections open (null on SQLite)'),
    dbPoolIdle: z.number().nullable(),
    dbPoolWaiting: z.number().nullable().describe('Queries waiting for a connection'),
  })
  .meta({ id: 'SystemSample' });
export type SystemSample = z.infer<typeof systemSampleSchema>;

export const systemInstanceSchema = z.object({
  instanceId: z.string(),
  hostname: z.string(),
  lastSeenAt: timestampSchema,
  status: z.enum(['up', 'down']).describe('Up when it sampled itself within the last 30 seconds'),
});
export type SystemInstance = z.infer<typeof systemInstanceSchema>;

export const systemMetricsQuerySchema = z.strictObject({
  from: timestampSchema.optional().describe('Start of the range (inclusive); an hour before `to` by default'),
  to: timestampSchema.optional().describe('End of the range (exclusive); now by default. At most 7 days after from'),
});
export type SystemMetricsQuery = z.infer<typeof systemMetricsQuerySchema>;

export const systemMetricsSchema = z
  .object({
    from: timestampSchema,
    to: timestampSchema,
    instances: z.array(systemInstanceSchema).describe('Every instance that sampled itself in the last 7 days, newest first'),
    samples: z.array(systemSampleSchema).describe('Oldest first'),
  })
  .meta({ id: 'SystemMetrics' });
export type SystemMetrics = z.infer<typeof systemMetricsSchema>;

const componentSchema = z.object({
  status: z.enum(['up', 'down']),
  checkedAt: timestampSchema.nullable().describe('The latest health sample this comes from'),
});

export const statusDaySchema = z.object({
  day: z.string().describe('The UTC date, YYYY-MM-DD'),
  uptimePercent: z
    .number()
    .nullable()
    .describe('Minutes with an instance answering, over the minutes of the day since sampling began (null before it began)'),
  p50LatencyMs: z.number().nullable().describe('Of the once-a-minute probes of GET /api/health through the HTTP stack'),
  p95LatencyMs: z.number().nullable(),
  samples: z.number().int(),
});
export type StatusDay = z.infer<typeof statusDaySchema>;

export const statusSchema = z
  .object({
    status: z.enum(['operational', 'degraded', 'down']),
    asOf: timestampSchema,
    components: z.object({
      api: componentSchema,
      eventStream: componentSchema,
      database: componentSchema,
      redis: componentSchema.optional().describe('Present when REDIS_URL is set'),
    }),
    uptimePercent90Days: z.number().nullable(),
    days: z.array(statusDaySchema).describe('The last 90 UTC days, oldest first'),
  })
  .meta({ id: 'Status' });
export type Status = z.infer<typeof statusSchema>;
