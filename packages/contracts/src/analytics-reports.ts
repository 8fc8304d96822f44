import { z } from 'zod';
import { budgetSchema } from './agent-runs.js';
import { analyticsTimeZoneSchema } from './analytics.js';
import { idSchema, timestampSchema } from './common.js';

const rangeShape = {
  from: timestampSchema.optional().describe('Start of the range (inclusive); 30 days before `to` by default'),
  to: timestampSchema.optional().describe('End of the range (exclusive); now by default; at most 366 days after from'),
  timeZone: analyticsTimeZoneSchema.default('UTC'),
};

export const costsQuerySchema = z.strictObject({
  ...rangeShape,
  groupBy: z
    .enum(['agent', 'task', 'model', 'day'])
    .default('agent')
    .describe('One row per agent, task, model (provider/model) or local day and agent'),
});
export type CostsQuery = z.infer<typeof costsQuerySchema>;

const spendShape = {
  runs: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costMicroDollars: z.number().int(),
};

export const costRowSchema = z.object({
  agentId: idSchema.optional().describe('With groupBy=agent or day'),
  taskId: idSchema.nullable().optional().describe('With groupBy=task; null for runs not about a task'),
  provider: z.string().optional().describe('With groupBy=model'),
  model: z.string().optional().describe('With groupBy=model'),
  periodStart: timestampSchema.optional().describe('With groupBy=day: local midnight in the time zone'),
  ...spendShape,
});
export type CostRow = z.infer<typeof costRowSchema>;

export const costsSchema = z
  .object({
    from: timestampSchema,
    to: timestampSchema,
    timeZone: z.string(),
    groupBy: z.enum(['agent', 'task', 'model', 'day']),
    total: z.object(spendShape),
    data: z.array(costRowSchema),
    budgets: z.array(budgetSchema).describe("The workspace's monthly budgets and what this month used of them"),
  })
  .meta({ id: 'Costs' });
export type Costs = z.infer<typeof costsSchema>;

export const agentAnalyticsQuerySchema = z.strictObject(rangeShape);
export type AgentAnalyticsQuery = z.infer<typeof agentAnalyticsQuerySchema>;

export const agentAnalyticsRowSchema = z.object({
  agentId: idSchema,
  tasksDone: z.number().int().describe('Moves into done the agent made'),
  tasksFailed: z.number().int().describe('Moves into failed the agent made'),
  successRate: z.number().nullable().describe('done / (done + failed), 0 to 1; null with neither'),
  runs: z.number().int(),
  medianRunDurationMs: z.number().nullable(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costMicroDollars: z.number().int(),
  costPerDoneTaskMicroDollars: z.number().int().nullable(),
});
export type AgentAnalyticsRow = z.infer<typeof agentAnalyticsRowSchema>;

export const agentAnalyticsSchema = z
  .object({ from: timestampSchema, to: timestampSchema, data: z.array(agentAnalyticsRowSchema) })
  .meta({ id: 'AgentAnalytics' });
export type AgentAnalytics = z.infer<typeof agentAnalyticsSchema>;
