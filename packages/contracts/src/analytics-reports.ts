import { z } from 'zod';
import { budgetSchema } from './agent-runs.js';
import { analyticsTimeZoneSchema } from './analytics.js';
import { idSchema, timestampSchema } from './common.js';
import { taskStatusSchema } from './tasks.js';

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
  tasksSentBack: z
    .number()
    .int()
    .describe('Tasks the agent had put in review that were sent back to work (review → in_progress or todo) in the range'),
  successRate: z.number().nullable().describe('done / (done + failed + sent back), 0 to 1; null with none of them'),
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

export const cycleTimeQuerySchema = z.strictObject({
  ...rangeShape,
  interval: z.enum(['day', 'week']).default('week').describe('The periods tasks are counted in, by the local day or week they were done'),
  groupBy: z.enum(['agent']).optional().describe('Also split by the agent that moved each task into done'),
});
export type CycleTimeQuery = z.infer<typeof cycleTimeQuerySchema>;

const percentilesSchema = z.object({ p50Ms: z.number().int(), p90Ms: z.number().int() });

export const cycleTimeSummarySchema = z.object({
  tasks: z.number().int().describe('Tasks done in the period'),
  leadTime: percentilesSchema.nullable().describe('From created to done; null with no task'),
  columns: z
    .array(percentilesSchema.extend({ status: taskStatusSchema, tasks: z.number().int().describe('Tasks that spent time in the column') }))
    .describe('Time in each column before done, every visit of a task that bounced added up'),
});
export type CycleTimeSummary = z.infer<typeof cycleTimeSummarySchema>;

export const cycleTimeSchema = z
  .object({
    from: timestampSchema,
    to: timestampSchema,
    interval: z.enum(['day', 'week']),
    timeZone: z.string(),
    overall: cycleTimeSummarySchema,
    periods: z.array(cycleTimeSummarySchema.extend({ periodStart: timestampSchema })),
    agents: z
      .array(cycleTimeSummarySchema.extend({ agentId: idSchema.nullable().describe('null: moved into done by a person') }))
      .optional()
      .describe('With groupBy=agent'),
  })
  .meta({ id: 'CycleTime' });
export type CycleTime = z.infer<typeof cycleTimeSchema>;

export const workflowAnalyticsQuerySchema = z.strictObject({ ...rangeShape });
export type WorkflowAnalyticsQuery = z.infer<typeof workflowAnalyticsQuerySchema>;

export const workflowAnalyticsRowSchema = z.object({
  workflowId: idSchema,
  workflowName: z.string(),
  version: z.number().int(),
  runs: z.number().int().describe('Runs started in the range'),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  active: z.number().int().describe('Still running or waiting'),
  successRate: z.number().nullable().describe('completed / (completed + failed + cancelled); null before any run finished'),
  duration: z
    .object({ p50Ms: z.number().int(), p90Ms: z.number().int() })
    .nullable()
    .describe('Nearest-rank percentiles of started → finished over the finished runs'),
});
export type WorkflowAnalyticsRow = z.infer<typeof workflowAnalyticsRowSchema>;

export const workflowAnalyticsSchema = z
  .object({ from: timestampSchema, to: timestampSchema, data: z.array(workflowAnalyticsRowSchema) })
  .meta({ id: 'WorkflowAnalytics' });
export type WorkflowAnalytics = z.infer<typeof workflowAnalyticsSchema>;
