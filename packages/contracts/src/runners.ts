import { z } from 'zod';
import { runnerAdapterNameSchema } from './agent-runs.js';
import { idSchema, pageQuerySchema, textSchema, timestampSchema } from './common.js';

/** An agent CLI a runner found on its PATH, with the version it printed. */
export const runnerAdapterSchema = z
  .object({
    name: runnerAdapterNameSchema,
    version: textSchema().max(200).nullable().describe('What `<cli> --version` printed; null when it could not tell'),
  })
  .meta({ id: 'RunnerAdapter' });
export type RunnerAdapter = z.infer<typeof runnerAdapterSchema>;

/** online: heard from within three heartbeat intervals; offline: silent longer (its running runs were closed). */
export const runnerStatusSchema = z.enum(['online', 'offline']);
export type RunnerStatus = z.infer<typeof runnerStatusSchema>;

/** One agent a runner works for, and the adapter it drives for that agent. */
export const runnerAgentSchema = z
  .object({ agentId: idSchema, adapter: runnerAdapterNameSchema, registeredAt: timestampSchema })
  .meta({ id: 'RunnerAgent' });
export type RunnerAgent = z.infer<typeof runnerAgentSchema>;

/** A run the runner is driving right now. */
export const runnerActiveRunSchema = z
  .object({
    runId: idSchema,
    agentId: idSchema,
    taskId: idSchema.nullable(),
    adapter: textSchema().nullable(),
    startedAt: timestampSchema,
    cancelRequestedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'RunnerActiveRun' });
export type RunnerActiveRun = z.infer<typeof runnerActiveRunSchema>;

/** A `mission runner` process: where it runs, what it can drive, for whom, and what it is doing now. */
export const runnerSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    name: textSchema(),
    host: textSchema(),
    version: textSchema().describe('The runner’s own version'),
    adapters: z.array(runnerAdapterSchema).describe('Agent CLIs found on its PATH'),
    concurrency: z.number().int().describe('Runs it drives at once at most'),
    heartbeatIntervalSeconds: z.number().int(),
    agents: z.array(runnerAgentSchema),
    status: runnerStatusSchema,
    activeRuns: z.array(runnerActiveRunSchema),
    lastHeartbeatAt: timestampSchema,
    registeredAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Runner' });
export type Runner = z.infer<typeof runnerSchema>;

/**
 * What a runner sends when it starts, once per agent key it holds: the same `runnerKey` from every
 * agent maps them all to one runner.
 */
export const registerRunnerSchema = z.strictObject({
  runnerKey: textSchema()
    .min(16)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'the runner key is letters, digits, dash and underscore' })
    .describe('A random key the runner generates once and keeps; it groups the agents of one runner'),
  name: textSchema().trim().min(1).max(120).describe('A name people recognise, such as the host and the repository'),
  host: textSchema().trim().min(1).max(255),
  version: textSchema().trim().min(1).max(64),
  adapters: z.array(runnerAdapterSchema).max(20).default([]),
  concurrency: z.number().int().min(1).max(100).default(1),
  heartbeatIntervalSeconds: z.number().int().min(1).max(3_600).default(15),
  adapter: runnerAdapterNameSchema.describe('The adapter the runner drives for the calling agent'),
});
export type RegisterRunnerInput = z.infer<typeof registerRunnerSchema>;

export const runnerHeartbeatSchema = z.strictObject({
  runningRunIds: z.array(idSchema).max(200).default([]).describe('The runs the runner is driving right now'),
});
export type RunnerHeartbeatInput = z.infer<typeof runnerHeartbeatSchema>;

/** What a runner's heartbeat answers: which of its runs to stop. */
export const runnerHeartbeatResponseSchema = z
  .object({
    runner: runnerSchema,
    cancelRunIds: z.array(idSchema).describe('Runs of this runner someone asked to cancel: kill their CLI and finish them cancelled'),
    nextHeartbeatDueAt: timestampSchema,
  })
  .meta({ id: 'RunnerHeartbeatResponse' });
export type RunnerHeartbeatResponse = z.infer<typeof runnerHeartbeatResponseSchema>;

export const listRunnersQuerySchema = pageQuerySchema.extend({
  status: runnerStatusSchema.optional(),
  agentId: idSchema.optional().describe('Runners that work for this agent'),
});
export type ListRunnersQuery = z.infer<typeof listRunnersQuerySchema>;
