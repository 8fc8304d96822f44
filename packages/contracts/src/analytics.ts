import { z } from 'zod';
import { idSchema, timestampSchema } from './common.js';
import { timeZoneSchema } from './notification-preferences.js';
import { taskStatusSchema } from './tasks.js';

/** Where "today" and "this month" begin, and where period buckets are cut. */
export const analyticsTimeZoneSchema = timeZoneSchema.describe('An IANA time zone (Europe/Paris, America/New_York); UTC by default');

export const analyticsOverviewQuerySchema = z.strictObject({ timeZone: analyticsTimeZoneSchema.default('UTC') });
export type AnalyticsOverviewQuery = z.infer<typeof analyticsOverviewQuerySchema>;

const taskCountsShape = Object.fromEntries(taskStatusSchema.options.map((status) => [status, z.number().int()])) as Record<
  z.infer<typeof taskStatusSchema>,
  z.ZodNumber
>;

export const analyticsOverviewSchema = z
  .object({
    asOf: timestampSchema,
    timeZone: z.string(),
    todayStartsAt: timestampSchema.describe('The start of today in the time zone'),
    monthStartsAt: timestampSchema.describe('The start of this month in the time zone'),
    tasks: z.object({ ...taskCountsShape, total: z.number().int() }).describe('Tasks in each status, every column included'),
    agents: z.object({
      total: z.number().int(),
      online: z.number().int().describe('Agents not offline'),
      idle: z.number().int(),
      active: z.number().int(),
      blocked: z.number().int(),
      offline: z.number().int(),
    }),
    messagesToday: z.number().int(),
    eventsToday: z.number().int(),
    openApprovals: z.number().int().describe('Tasks waiting in review for a reviewer to approve or send back'),
    spend: z.object({
      todayMicroDollars: z.number().int(),
      monthMicroDollars: z.number().int(),
      tokensToday: z.number().int(),
      tokensMonth: z.number().int(),
    }),
  })
  .meta({ id: 'AnalyticsOverview' });
export type AnalyticsOverview = z.infer<typeof analyticsOverviewSchema>;

export const analyticsIntervalSchema = z.enum(['hour', 'day', 'week']);
export type AnalyticsInterval = z.infer<typeof analyticsIntervalSchema>;

export const throughputQuerySchema = z.strictObject({
  from: timestampSchema.describe('Start of the range (inclusive)'),
  to: timestampSchema.describe('End of the range (exclusive); at most 366 days after from'),
  interval: analyticsIntervalSchema.default('day'),
  timeZone: analyticsTimeZoneSchema.default('UTC'),
  groupBy: z
    .enum(['agent', 'capability'])
    .optional()
    .describe('Split each period by the agent that made the move, or by the capabilities the task requires'),
});
export type ThroughputQuery = z.infer<typeof throughputQuerySchema>;

export const throughputPointSchema = z.object({
  periodStart: timestampSchema.describe('Where the bucket starts (local midnight, hour or Monday in the time zone)'),
  agentId: idSchema.nullable().optional().describe('With groupBy=agent: the agent that moved the task (null for people)'),
  capability: z
    .string()
    .nullable()
    .optional()
    .describe('With groupBy=capability: a capability the task requires (a task requiring two counts under each; null for none)'),
  created: z.number().int(),
  started: z.number().int().describe('Moves into in_progress'),
  done: z.number().int(),
  failed: z.number().int(),
});
export type ThroughputPoint = z.infer<typeof throughputPointSchema>;

export const throughputSchema = z
  .object({
    from: timestampSchema,
    to: timestampSchema,
    interval: analyticsIntervalSchema,
    timeZone: z.string(),
    data: z.array(throughputPointSchema),
  })
  .meta({ id: 'Throughput' });
export type Throughput = z.infer<typeof throughputSchema>;
