import { z } from 'zod';
import { idSchema, markdownSchema, pageQuerySchema, taskReferenceSchema, textSchema, timestampSchema } from './common.js';
import { errorCodeSchema } from './errors.js';
import { leaseTokenSchema } from './tasks.js';

/** external: the agent runs elsewhere and connects with its key. builtin: the platform runs its model loop. */
export const agentRuntimeKindSchema = z.enum(['external', 'builtin']);
export type AgentRuntimeKind = z.infer<typeof agentRuntimeKindSchema>;

export const modelProviderSchema = z.enum(['openai-compatible', 'anthropic', 'openai']);
export type ModelProviderName = z.infer<typeof modelProviderSchema>;

/** Where a built-in agent's scheduler stands. */
export const runtimeStateSchema = z.enum(['idle', 'running', 'backing-off', 'failing', 'budget-exhausted', 'unconfigured']);
export type RuntimeState = z.infer<typeof runtimeStateSchema>;

/**
 * Where a built-in agent works on code: a git repository on the server's machine in which each
 * task gets its own worktree, the programs its commands may start, and the limits of a command.
 */
export const agentWorkspaceSchema = z
  .object({
    repositoryPath: textSchema()
      .min(1)
      .max(1_000)
      .refine((value) => value.startsWith('/'), {
        message: 'give an absolute path on the server, starting with /, such as /srv/repos/app',
      })
      .describe("The top folder of a git repository on the server's machine; each task gets a worktree in .mission/worktrees/<TASK-KEY>"),
    allowedCommands: z
      .array(textSchema().trim().min(1).max(200))
      .max(50)
      .describe(
        'Program names (npm) or exact command prefixes (npm test) that run_command may start; everything else is refused. A program such as node, npm or sh can run any code as the server user.',
      ),
    commandTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(3_600)
      .describe('A command still running after this is killed with its process group'),
    outputLimitBytes: z
      .number()
      .int()
      .min(1_024)
      .max(10 * 1_024 * 1_024)
      .describe("A command's output beyond this is cut (the start and the end are kept)"),
  })
  .meta({ id: 'AgentWorkspace' });
export type AgentWorkspace = z.infer<typeof agentWorkspaceSchema>;

/** What PUT /runtime takes for the workspace: the limits have defaults. */
export const updateAgentWorkspaceSchema = z.strictObject({
  repositoryPath: agentWorkspaceSchema.shape.repositoryPath,
  allowedCommands: agentWorkspaceSchema.shape.allowedCommands.default([]),
  commandTimeoutSeconds: agentWorkspaceSchema.shape.commandTimeoutSeconds.default(120),
  outputLimitBytes: agentWorkspaceSchema.shape.outputLimitBytes.default(64 * 1_024),
});
export type UpdateAgentWorkspaceInput = z.input<typeof updateAgentWorkspaceSchema>;

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
    workspace: agentWorkspaceSchema.nullable().describe('null: the agent has no repository to work in'),
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
  model: textSchema().trim().min(1).max(200).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  stepLimit: z.number().int().min(1).max(100).optional(),
  instructions: markdownSchema.optional(),
  workspace: updateAgentWorkspaceSchema
    .nullable()
    .optional()
    .describe('A repository the agent works in through file and command tools; null removes it. Only owners and admins set it.'),
});
export type UpdateAgentRuntimeInput = z.infer<typeof updateAgentRuntimeSchema>;

/** cancelled: a person or the agent stopped a runner's run (POST /runs/{id}/cancel). */
export const runStatusSchema = z.enum(['running', 'completed', 'step-limit', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/**
 * Why a turn ran: its schedule found work, someone pressed "wake now", a person chatted with the
 * agent, or a `mission runner` started an agent CLI on a claimed task.
 */
export const runTriggerSchema = z.enum(['schedule', 'wake', 'chat', 'runner']);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

/** What a turn sent the model: the system prompt and the prompt. */
export const runPromptSchema = z.object({ system: z.string(), prompt: z.string() });
export type RunPrompt = z.infer<typeof runPromptSchema>;

/** The test gate's verdict on a runner's run: the command, its exit code and whether it passed. */
export const runTestResultSchema = z
  .object({
    command: textSchema(),
    exitCode: z.number().int().nullable().describe('null when the command was killed (timeout)'),
    passed: z.boolean(),
    outputTail: textSchema().describe('The last lines of its output'),
  })
  .meta({ id: 'RunTestResult' });
export type RunTestResult = z.infer<typeof runTestResultSchema>;

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
    adapter: z
      .string()
      .nullable()
      .describe("Runner runs: the agent CLI's adapter (claude-code, codex, gemini, opencode, process); null for built-in turns"),
    runnerId: idSchema.nullable().describe('Runner runs: the runner that drives the CLI'),
    sessionId: z.string().nullable().describe("The CLI's session (or thread) id, which a follow-up run resumes"),
    branch: z.string().nullable().describe('The git branch the run worked on, such as mission/task-7'),
    commit: z.string().nullable().describe('The commit the run made on its branch, if it changed anything'),
    cancelRequestedAt: timestampSchema
      .nullable()
      .describe('When a cancel was asked for; the runner stops the CLI and records the run cancelled'),
    testResult: runTestResultSchema.nullable().describe('The test gate (`mission runner --test`), when it ran'),
  })
  .meta({ id: 'AgentRun' });
export type AgentRun = z.infer<typeof agentRunSchema>;

/**
 * What a transcript step is: a model answer, a tool call (with its result when known), a tool's
 * result reported apart from its call (agent CLIs stream them separately), a line of a CLI's plain
 * output, the test gate's result, or a line of CLI output that could not be parsed.
 */
export const runStepKindSchema = z.enum(['model', 'tool-call', 'tool-result', 'output', 'test', 'parse-error']);
export type RunStepKind = z.infer<typeof runStepKindSchema>;

/** One step of a run's transcript: a model answer, or a tool call with its arguments and result. */
export const runStepSchema = z
  .object({
    index: z.number().int(),
    kind: runStepKindSchema,
    text: z.string().optional(),
    finishReason: z.string().optional(),
    tokensIn: z.number().int().optional(),
    tokensOut: z.number().int().optional(),
    toolName: z.string().optional(),
    arguments: z.unknown().optional(),
    result: z.string().optional(),
    isError: z.boolean().optional(),
    toolCallId: z.string().optional().describe('Pairs a tool-result step with its tool-call'),
    command: z.string().optional().describe('Test steps: the command that ran'),
    exitCode: z.number().int().nullable().optional().describe('Test steps: the exit code (null when it was killed)'),
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

/** Filters of `GET /api/v1/runs`: the workspace's runs, newest first. */
export const listWorkspaceRunsQuerySchema = pageQuerySchema.extend({
  agentId: idSchema.optional(),
  taskId: taskReferenceSchema.optional().describe('Runs on this task (id or key)'),
  runnerId: idSchema.optional(),
  status: runStatusSchema.optional(),
});
export type ListWorkspaceRunsQuery = z.infer<typeof listWorkspaceRunsQuerySchema>;

/** The adapters a runner drives an agent CLI through. */
export const runnerAdapterNameSchema = z.enum(['claude-code', 'codex', 'gemini', 'opencode', 'process']);
export type RunnerAdapterName = z.infer<typeof runnerAdapterNameSchema>;

/** What `POST /api/v1/runs` takes: a runner starting an agent CLI on a task its agent holds. */
export const createRunSchema = z.strictObject({
  taskId: taskReferenceSchema.describe('The task the run works on; the calling agent must hold its lease'),
  leaseToken: leaseTokenSchema.describe("The task's current lease token, from the claim"),
  adapter: runnerAdapterNameSchema,
  runnerId: idSchema.describe('The registered runner driving the CLI'),
  prompt: markdownSchema.describe('The prompt given to the CLI'),
  model: textSchema().trim().max(200).default('').describe('The model, when the runner knows it (it can also be given at finish)'),
  sessionId: textSchema().trim().min(1).max(200).nullable().default(null).describe('The CLI session a follow-up run resumes'),
  branch: textSchema().trim().min(1).max(250).nullable().default(null),
});
export type CreateRunInput = z.infer<typeof createRunSchema>;

/** One step as a runner sends it: the server numbers it and stamps the time when `at` is left out. */
export const runStepInputSchema = z.strictObject({
  kind: runStepKindSchema,
  text: textSchema().max(100_000).optional(),
  finishReason: textSchema().max(200).optional(),
  tokensIn: z.number().int().min(0).optional(),
  tokensOut: z.number().int().min(0).optional(),
  toolName: textSchema().max(200).optional(),
  arguments: z.unknown().optional(),
  result: textSchema().max(100_000).optional(),
  isError: z.boolean().optional(),
  toolCallId: textSchema().max(200).optional(),
  command: textSchema().max(2_000).optional(),
  exitCode: z.number().int().nullable().optional(),
  at: timestampSchema.optional(),
});
export type RunStepInput = z.infer<typeof runStepInputSchema>;

export const recordRunStepsSchema = z.strictObject({
  steps: z.array(runStepInputSchema).min(1).max(200).describe('Steps in order; they are numbered after the ones already recorded'),
});
export type RecordRunStepsInput = z.infer<typeof recordRunStepsSchema>;

export const recordRunStepsResultSchema = z
  .object({
    recorded: z.number().int(),
    nextIndex: z.number().int().describe('The index the next step will get'),
    cancelRequested: z.boolean().describe('True once a cancel was asked for: stop the CLI and finish the run as cancelled'),
  })
  .meta({ id: 'RecordRunStepsResult' });
export type RecordRunStepsResult = z.infer<typeof recordRunStepsResultSchema>;

/** What `POST /api/v1/runs/{id}/finish` takes: how the CLI ended and what it used. */
export const finishRunSchema = z.strictObject({
  outcome: z.enum(['completed', 'failed', 'cancelled']),
  tokensIn: z.number().int().min(0).default(0),
  tokensOut: z.number().int().min(0).default(0),
  costMicroDollars: z.number().int().min(0).default(0).describe('Millionths of a US dollar, as the CLI reported it'),
  modelCalls: z.number().int().min(0).default(0).describe('Turns of the CLI (num_turns)'),
  durationMs: z.number().int().min(0).optional().describe('Wall-clock time of the CLI; the time since the run started by default'),
  output: textSchema().max(100_000).default('').describe("The CLI's final answer or summary"),
  error: textSchema().max(20_000).nullable().default(null),
  model: textSchema().trim().max(200).optional(),
  sessionId: textSchema().trim().min(1).max(200).nullable().optional(),
  branch: textSchema().trim().min(1).max(250).nullable().optional(),
  commit: textSchema().trim().min(1).max(100).nullable().optional(),
  testResult: runTestResultSchema.nullable().optional(),
});
export type FinishRunInput = z.infer<typeof finishRunSchema>;

export const usageQuerySchema = z.strictObject({
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
    content: textSchema(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const sendChatMessageSchema = z.strictObject({ content: textSchema().trim().min(1).max(20_000) });

/**
 * One server-sent event of a chat answer (its `data`, as JSON; the SSE event name is its `type`):
 * pieces of the answer as they are written, then exactly one `done` or `error`.
 */
export const chatStreamEventSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('delta'), text: textSchema().describe('The next piece of the answer') }).meta({ id: 'ChatStreamDelta' }),
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
        message: textSchema().describe('Why the answer failed; send the message again'),
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
  .object({
    autoAssign: z.boolean().describe('Assign new inbox tasks to the best agent as they are created'),
    humanReview: z
      .boolean()
      .describe(
        'People review finished work (on by default). When off and no reviewer agent exists, a runner moves finished work straight to done',
      ),
  })
  .meta({ id: 'WorkspaceRuntimeSettings' });
export type WorkspaceRuntimeSettings = z.infer<typeof workspaceRuntimeSettingsSchema>;
export const updateWorkspaceRuntimeSettingsSchema = z
  .strictObject({ autoAssign: z.boolean().optional(), humanReview: z.boolean().optional() })
  .refine((input) => input.autoAssign !== undefined || input.humanReview !== undefined, {
    message: 'give autoAssign, humanReview or both',
  });

/** One agent's score for a task: the parts add up to the total, so the choice can be explained. */
export const assignmentCandidateSchema = z
  .object({
    agentId: idSchema,
    name: textSchema(),
    eligible: z.boolean(),
    score: z.number(),
    reasons: z.array(textSchema()),
  })
  .meta({ id: 'AssignmentCandidate' });
export type AssignmentCandidate = z.infer<typeof assignmentCandidateSchema>;

export const escalateTaskSchema = z.strictObject({
  reason: textSchema().trim().min(1).max(2_000).describe('What a person must decide or unblock'),
});
export const sendBackTaskSchema = z.strictObject({ comment: textSchema().trim().min(1).max(10_000).describe('What to change') });
