import { z } from 'zod';
import { idSchema, pageQuerySchema, pageSchema, principalReferenceSchema, timestampSchema } from './common.js';

/** What the anomaly detector watches. */
export const alertKindSchema = z
  .enum(['stalled-agent', 'error-rate-spike', 'cost-spike', 'stuck-workflow-run', 'event-stream-lag', 'disk-almost-full'])
  .meta({ id: 'AlertKind' });
export type AlertKind = z.infer<typeof alertKindSchema>;

export const alertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']).meta({ id: 'AlertStatus' });
export type AlertStatus = z.infer<typeof alertStatusSchema>;

/** What an alert is about, by name: an agent, a workflow run, the workspace or this instance. */
export const alertSubjectSchema = z
  .object({
    kind: z.enum(['agent', 'workflow-run', 'workspace', 'instance']),
    id: z.string().nullable().describe('The agent or workflow run id; null for the workspace or the instance'),
    name: z.string().describe('A name a person recognises: the agent name, the workflow name, the data directory'),
  })
  .meta({ id: 'AlertSubject' });
export type AlertSubject = z.infer<typeof alertSubjectSchema>;

export const alertSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    kind: alertKindSchema,
    status: alertStatusSchema,
    dedupeKey: z.string().describe('The condition instance: one open or acknowledged alert per key at a time'),
    subject: alertSubjectSchema,
    summary: z.string().describe('One plain sentence: what is wrong and what to look at'),
    measurements: z.record(z.string(), z.number()).describe('The numbers the detector compared (observed, threshold, median, …)'),
    raisedAt: timestampSchema,
    acknowledgedAt: timestampSchema.nullable(),
    acknowledgedBy: principalReferenceSchema.nullable(),
    resolvedAt: timestampSchema.nullable(),
    resolvedBy: principalReferenceSchema.nullable().describe('Who resolved it; null when the detector saw the condition clear'),
  })
  .meta({ id: 'Alert' });
export type Alert = z.infer<typeof alertSchema>;

export const listAlertsQuerySchema = pageQuerySchema.extend({
  status: alertStatusSchema.optional().describe('Only alerts in this state'),
  kind: alertKindSchema.optional().describe('Only alerts of this kind'),
});
export type ListAlertsQuery = z.infer<typeof listAlertsQuerySchema>;

export const alertsPageSchema = pageSchema(alertSchema).extend({
  openCount: z.number().int().describe('Alerts not yet resolved (open or acknowledged), whatever the filters'),
});

export const alertParamsSchema = z.strictObject({ id: idSchema });

const minutes = (max: number) => z.number().int().min(1).max(max);

/** The detector's thresholds of one workspace. */
export const alertSettingsSchema = z
  .object({
    stalledAgentMedianMultiple: z
      .number()
      .min(1)
      .max(100)
      .describe('A claim with no progress for this many times the agent’s median run is stalled'),
    stalledAgentFloorMinutes: minutes(1440).describe('Never stalled before this many minutes without progress, whatever the median'),
    errorRateMultiple: z
      .number()
      .min(1)
      .max(100)
      .describe(
        'Failures (failed runs, and tasks moved to failed without a failed run) in the last hour above this many times the trailing hourly median',
      ),
    errorRateMinimumFailures: z.number().int().min(1).max(10_000).describe('Fewer failures than this in the last hour never raise'),
    costSpikeMultiple: z.number().min(1).max(100).describe('Spend in the last hour above this many times the trailing hourly median'),
    costSpikeMinimumMicroDollars: z.number().int().min(0).max(1_000_000_000_000).describe('Spend below this in the last hour never raises'),
    stuckWorkflowRunMinutes: minutes(10_080).describe('A running workflow run with no step progress for this long is stuck'),
    eventStreamLagSeconds: z.number().int().min(1).max(86_400).describe('This instance reading the event stream this far behind'),
    diskFreePercentBelow: z.number().min(0).max(100).describe('The data directory’s disk with less free space than this'),
  })
  .meta({ id: 'AlertSettings' });
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export const defaultAlertSettings: AlertSettings = {
  stalledAgentMedianMultiple: 3,
  stalledAgentFloorMinutes: 30,
  errorRateMultiple: 3,
  errorRateMinimumFailures: 3,
  costSpikeMultiple: 3,
  costSpikeMinimumMicroDollars: 1_000_000,
  stuckWorkflowRunMinutes: 60,
  eventStreamLagSeconds: 60,
  diskFreePercentBelow: 10,
};

export const updateAlertSettingsSchema = z.strictObject(
  Object.fromEntries(Object.entries(alertSettingsSchema.shape).map(([key, schema]) => [key, schema.optional()])) as {
    [Key in keyof AlertSettings]: z.ZodOptional<(typeof alertSettingsSchema.shape)[Key]>;
  },
);
export type UpdateAlertSettingsInput = z.infer<typeof updateAlertSettingsSchema>;

/** For one agent: a cheaper model that did as well on the same capabilities. */
export const modelRecommendationSchema = z
  .object({
    agentId: idSchema,
    agentName: z.string(),
    capabilities: z.array(z.string()),
    currentModel: z.string().describe('provider/model the agent spent most on'),
    currentCostPerRunMicroDollars: z.number().int(),
    currentSuccessRate: z.number().describe('Completed runs / finished runs, 0 to 1'),
    recommendedModel: z.string(),
    recommendedCostPerRunMicroDollars: z.number().int(),
    recommendedSuccessRate: z.number().describe('Of runs on the same capabilities by any agent'),
    runsCompared: z.number().int().describe('Finished runs of the recommended model on these capabilities'),
  })
  .meta({ id: 'ModelRecommendation' });
export type ModelRecommendation = z.infer<typeof modelRecommendationSchema>;

/** A task that cost far more than the median task of its capability. */
export const costlyTaskSchema = z
  .object({
    taskId: idSchema,
    taskKey: z.string(),
    title: z.string(),
    capability: z.string(),
    costMicroDollars: z.number().int(),
    medianCostMicroDollars: z.number().int().describe('Median cost of the tasks with this capability'),
    multiple: z.number().describe('costMicroDollars / medianCostMicroDollars'),
  })
  .meta({ id: 'CostlyTask' });
export type CostlyTask = z.infer<typeof costlyTaskSchema>;

export const recommendationsQuerySchema = z.strictObject({
  from: timestampSchema.optional().describe('Runs started at or after this instant (30 days before `to` by default)'),
  to: timestampSchema.optional().describe('Runs started before this instant (now by default)'),
  costlyTaskMultiple: z.coerce
    .number<number | string>()
    .min(1)
    .max(1000)
    .default(3)
    .describe('A task is costly above this many times its capability’s median'),
});
export type RecommendationsQuery = z.infer<typeof recommendationsQuerySchema>;

export const recommendationsSchema = z
  .object({
    from: timestampSchema,
    to: timestampSchema,
    models: z.array(modelRecommendationSchema),
    costlyTasks: z.array(costlyTaskSchema),
  })
  .meta({ id: 'Recommendations' });
export type Recommendations = z.infer<typeof recommendationsSchema>;
