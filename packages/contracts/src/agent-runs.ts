import { z } from 'zod';
import { idSchema, markdownSchema, pageQuerySchema, timestampSchema } from './common.js';
import { errorCodeSchema } from './errors.js';

/** external: the agent runs elsewhere and connects with its key. builtin: the platform runs its model loop. */
export const agentRuntimeKindSchema = z.enum(['external', 'builtin']);
export type AgentRuntimeKind = z.infer<typeof agentRuntimeKindSchema>;

export const modelProviderSchema = z.enum(['openai-compatible', 'anthropic', 'openai']);
export type ModelProviderName = z.infer<typeof modelProviderSchema>;

/** Where a built-in agent's scheduler stands. */
export const runtimeStateSchema = z.enum(['idle', 'running', 'backing-off', 'failing', 'budget-exhausted', 'unconfigured']);
export type RuntimeState = z.infer<typeof runtimeStateSchema>;

/** An agent's runtime settings and, for built-in agents, its scheduler state. API keys are never part of it. */
export const agentRuntimeSchema = z
  .object({
    agentId: idSchema,
    runtime: agentRuntimeKindSchema,
    provider: modelProviderSchema.nullable().describe('null: the workspace default (MISSION_LLM_*)'),
    model: z.string().nullable().describe('null: the workspace default model'),
    temperature: z.number().nullable(),
    stepLimit: z.number().int().describe('Model calls in one turn at most'),
    instructions: z.string(),
    state: runtimeStateSchema,
    nextRunAt: timestampSchema.nullable(),
    lastRunAt: timestampSchema.nullable(),
    failures: z.number().int().describe('Failed turns in a row'),
    backoffUntil: timestampSchema.nullable(),
    lastError: z.string().nullable(),
    wakeRequestedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'AgentRuntime' });
export type AgentRuntime = z.infer<typeof agentRuntimeSchema>;

export const updateAgentRuntimeSchema = z.strictObject({
  runtime: agentRuntimeKindSchema.optional(),
  provider: modelProviderSchema.nullable().optional(),
  model: z.string().trim().min(1).max(200).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  stepLimit: z.number().int().min(1).max(100).optional(),
  instructions: markdownSchema.optional(),
});
export type UpdateAgentRuntimeInput = z.infer<typeof updateAgentRuntimeSchema>;

export const runStatusSchema = z.enum(['running', 'completed', 'step-limit', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Why a turn ran: its schedule found work, someone pressed "wake now", or a person chatted with the agent. */
export const runTriggerSchema = z.enum(['schedule', 'wake', 'chat']);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

/** What a turn sent the model: the system prompt and the prompt. */
export const runPromptSchema = z.object({ system: z.string(), prompt: z.string() });
export type RunPrompt = z.infer<typeof runPromptSchema>;

/** One agent turn as recorded: who, why, which model, what it cost and how it ended. */
export const agentRunSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    agentId: idSchema,
    taskId: idSchema.nullable(),
    trigger: runTriggerSchema,
    status: runStatusSchema,
    provider: z.string(),
    model: z.string(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costMicroDollars: z.number().int().describe('Millionths of a US dollar'),
    modelCalls: z.number().int(),
    durationMs: z.number().int().nullable(),
    output: z.string(),
    error: z.string().nullable(),
    startedAt: timestampSchema,
    finishedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'AgentRun' });
export type AgentRun = z.infer<typeof agentRunSchema>;

/** One step of a run's transcript: a model answer, or a tool call with its arguments and result. */
export const runStepSchema = z
  .object({
    index: z.number().int(),
    kind: z.enum(['model', 'tool-call']),
    text: z.string().optional(),
    finishReason: z.string().optional(),
    tokensIn: z.number().int().optional(),
    tokensOut: z.number().int().optional(),
    toolName: z.string().optional(),
    arguments: z.unknown().optional(),
    result: z.string().optional(),
    isError: z.boolean().optional(),
    at: timestampSchema,
  })
  .meta({ id: 'RunStep' });
export type RunStep = z.infer<typeof runStepSchema>;

export const agentRunDetailSchema = agentRunSchema
  .extend({
    prompt: runPromptSchema,
    steps: z.array(runStepSchema),
  })
  .meta({ id: 'AgentRunDetail' });
export type AgentRunDetail = z.infer<typeof agentRunDetailSchema>;

export const listRunsQuerySchema = pageQuerySchema;

export const usageQuerySchema = z.object({
  agentId: idSchema.optional(),
  taskId: idSchema.optional(),
  from: timestampSchema.optional().describe('Start of the period; the start of this month (UTC) by default'),
  to: timestampSchema.optional().describe('End of the period (exclusive); now by default'),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

const usageTotalsSchema = z.object({
  runs: z.number().int(),
  modelCalls: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costMicroDollars: z.number().int(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

export const usageSchema = z
  .object({
    from: timestampSchema,
    to: timestampSchema,
    total: usageTotalsSchema,
    byAgent: z.array(usageTotalsSchema.extend({ agentId: idSchema })),
  })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof usageSchema>;

/** A monthly limit on tokens and/or cost, for one agent or (agentId null) the whole workspace. */
export const budgetSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    agentId: idSchema.nullable(),
    monthlyTokenLimit: z.number().int().nullable(),
    monthlyCostLimitMicroDollars: z.number().int().nullable(),
    usedTokens: z.number().int().describe('Tokens in and out this month'),
    usedCostMicroDollars: z.number().int(),
    /** The larger of the two shares used, in percent. */
    percentUsed: z.number(),
    status: z.enum(['ok', 'warning', 'exhausted']),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Budget' });
export type Budget = z.infer<typeof budgetSchema>;

const limitsSchema = {
  monthlyTokenLimit: z.number().int().min(1).nullable().optional(),
  monthlyCostLimitMicroDollars: z.number().int().min(1).nullable().optional(),
};

export const createBudgetSchema = z
  .strictObject({ agentId: idSchema.nullable().default(null).describe('Leave out for the workspace budget'), ...limitsSchema })
  .refine((input) => input.monthlyTokenLimit != null || input.monthlyCostLimitMicroDollars != null, {
    message: 'give monthlyTokenLimit, monthlyCostLimitMicroDollars or both',
  });
export type CreateBudgetInput = z.infer<typeof createBudgetSchema>;

export const updateBudgetSchema = z.strictObject(limitsSchema);
export type UpdateBudgetInput = z.infer<typeof updateBudgetSchema>;

export const wakeAgentSchema = z.strictObject({
  taskId: idSchema.optional().describe('The task the turn should focus on'),
});

/** Who wrote a chat message: the person, or the agent answering. */
export const chatRoleSchema = z.enum(['user', 'assistant']);
export type ChatRole = z.infer<typeof chatRoleSchema>;

export const chatMessageSchema = z
  .object({
    id: idSchema,
    agentId: idSchema,
    role: chatRoleSchema,
    authorId: idSchema.nullable(),
    content: z.string(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const sendChatMessageSchema = z.strictObject({ content: z.string().trim().min(1).max(20_000) });

/**
 * One server-sent event of a chat answer (its `data`, as JSON; the SSE event name is its `type`):
 * pieces of the answer as they are written, then exactly one `done` or `error`.
 */
export const chatStreamEventSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('delta'), text: z.string().describe('The next piece of the answer') }).meta({ id: 'ChatStreamDelta' }),
    z
      .object({
        type: z.literal('done'),
        message: chatMessageSchema.describe('The whole answer, as stored in the conversation'),
        runId: idSchema.describe('The run that recorded this turn'),
        tokensIn: z.number().int(),
        tokensOut: z.number().int(),
        costMicroDollars: z.number().int().describe('Millionths of a US dollar'),
      })
      .meta({ id: 'ChatStreamDone' }),
    z
      .object({
        type: z.literal('error'),
        message: z.string().describe('Why the answer failed; send the message again'),
        code: errorCodeSchema
          .optional()
          .describe('Set when the answer stopped because your credential stopped giving access (signed out, removed): sign in again'),
      })
      .meta({ id: 'ChatStreamError' }),
  ])
  .meta({ id: 'ChatStreamEvent' });
export type ChatStreamEvent = z.infer<typeof chatStreamEventSchema>;

/** Per-workspace settings of the built-in runtime. */
export const workspaceRuntimeSettingsSchema = z
  .object({ autoAssign: z.boolean().describe('Assign new inbox tasks to the best agent as they are created') })
  .meta({ id: 'WorkspaceRuntimeSettings' });
export type WorkspaceRuntimeSettings = z.infer<typeof workspaceRuntimeSettingsSchema>;
export const updateWorkspaceRuntimeSettingsSchema = z.strictObject({ autoAssign: z.boolean() });

/** One agent's score for a task: the parts add up to the total, so the choice can be explained. */
export const assignmentCandidateSchema = z
  .object({
    agentId: idSchema,
    name: z.string(),
    eligible: z.boolean(),
    score: z.number(),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'AssignmentCandidate' });
export type AssignmentCandidate = z.infer<typeof assignmentCandidateSchema>;

export const escalateTaskSchema = z.strictObject({
  reason: z.string().trim().min(1).max(2_000).describe('What a person must decide or unblock'),
});
export const sendBackTaskSchema = z.strictObject({ comment: z.string().trim().min(1).max(10_000).describe('What to change') });
