import { type AgentTool, createAgentTools, LeaseStore } from '@mission-control/mcp';
import type { MissionControl } from '@mission-control/sdk';
import { generateText, type LanguageModel, stepCountIs, type TelemetrySettings, type ToolSet, tool } from 'ai';
import { z } from 'zod';
import { loadAgentContext, renderTurnPrompt } from './agent-context.js';
import type { FetchUrlOptions } from './fetch-url.js';
import { createFetchUrlTool } from './fetch-url-tool.js';
import { costInMicroDollars, findModelPricing, type ModelPricing } from './pricing.js';
import { createReadOpenApiTool } from './read-openapi-tool.js';
import { createRoleTools } from './role-tools.js';
import { createTaskWorkspace, type TaskWorkspace, type TaskWorkspaceOptions, type WorkspaceTask } from './workspace/task-workspace.js';
import { agentCommitAuthor } from './workspace/worktree.js';

/** One entry of a turn's transcript: a model answer, or a tool call with its arguments and result. */
export type TurnStep =
  | { kind: 'model'; index: number; text: string; finishReason: string; tokensIn: number; tokensOut: number; at: string }
  | { kind: 'tool-call'; index: number; toolName: string; arguments: unknown; result: string; isError: boolean; at: string };

export type TurnOutcome = 'completed' | 'step-limit' | 'failed';

/** Everything a turn did, for the run record. */
export interface TurnRecord {
  provider: string;
  model: string;
  prompt: { system: string; prompt: string };
  output: string;
  steps: TurnStep[];
  tokensIn: number;
  tokensOut: number;
  costMicroDollars: number;
  durationMs: number;
  /** How many times the model was called (one per step, and the failed call if any). */
  modelCalls: number;
  outcome: TurnOutcome;
  error: string | null;
  /** The task the turn was about (the one asked for, else the agent's task in progress), for usage per task. */
  focusTaskId: string | null;
  /** The task worktree the turn used, and what was committed there; absent without a workspace. */
  workspace?: TurnWorkspaceRecord | null;
}

/** What a turn did in its task's worktree. */
export interface TurnWorkspaceRecord {
  worktreePath: string;
  branch: string;
  /** The commit made at the end of the turn; null when nothing changed (or the commit failed). */
  commit: string | null;
  diffStat: string | null;
  error: string | null;
}

/** A repository the turn works in: the settings and the environment of its commands (the task and the author come from the turn). */
export type TurnWorkspaceOptions = Omit<TaskWorkspaceOptions, 'findTask' | 'author'>;

export interface AgentTurnOptions {
  /** An SDK client holding the agent's own API key: the turn has the agent's permissions, no more. */
  client: MissionControl;
  agentId: string;
  model: LanguageModel;
  /** Names for the record (the provider and model id). */
  provider: string;
  modelName: string;
  instructions?: string | null;
  temperature?: number | null;
  /** Model calls in one turn at most. */
  stepLimit: number;
  /** Why the turn runs (schedule, wake, a notification), shown to the model and recorded. */
  trigger: string;
  taskId?: string | null;
  /** Tools beyond the shared set (the lead's and reviewer's). */
  extraTools?: (leases: LeaseStore) => AgentTool[];
  /** fetch_url limits; false leaves the tool out. */
  fetchUrl?: FetchUrlOptions | false;
  pricing?: ModelPricing | null;
  /** Called as each step finishes, so progress can be streamed as it happens. */
  onStep?: (step: TurnStep) => void | Promise<void>;
  now?: () => Date;
  abortSignal?: AbortSignal;
  /** OpenTelemetry spans of the model calls (the server's tracing); none when left out. */
  telemetry?: TelemetrySettings;
  /** Retries of a failed model call inside the turn (0 by default: the scheduler retries whole turns with backoff). */
  maxRetries?: number;
  /** A repository to work in: file, patch and command tools over the task's worktree, and run_javascript. */
  workspace?: TurnWorkspaceOptions | null;
}

/** Turns a shared tool definition into an AI SDK tool that runs it and answers its text. */
export function toModelTools(tools: AgentTool[], errors: Map<string, boolean>): ToolSet {
  const set: ToolSet = {};
  for (const agentTool of tools) {
    set[agentTool.name] = tool({
      description: agentTool.description,
      inputSchema: z.object(agentTool.inputSchema),
      execute: async (input: Record<string, unknown>, { toolCallId }) => {
        const result = await agentTool.run(input);
        errors.set(toolCallId, result.isError === true);
        return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
      },
    });
  }
  return set;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = Reflect.get(error, 'statusCode');
    return `${error.name}${typeof status === 'number' ? ` ${status}` : ''}: ${error.message}`.slice(0, 2_000);
  }
  return String(error).slice(0, 2_000);
}

/** What the AI SDK reports of one finished step, as much as the recorder reads. */
interface FinishedStep {
  text: string;
  finishReason: string;
  usage: { inputTokens: number | undefined; outputTokens: number | undefined };
  toolCalls: { toolCallId: string; toolName: string; input: unknown }[];
  toolResults: { toolCallId: string; output: unknown }[];
  content: readonly { type: string }[];
}

/** Turns the model's finished steps into transcript entries and token counts; shared by turns and chats. */
export function createStepRecorder(toolErrors: Map<string, boolean>, now: () => Date, onStep?: (step: TurnStep) => void | Promise<void>) {
  const recorder = {
    steps: [] as TurnStep[],
    tokensIn: 0,
    tokensOut: 0,
    modelCalls: 0,
    lastFinishReason: '',
    async onStepFinish(step: FinishedStep) {
      recorder.modelCalls += 1;
      const stepIn = step.usage.inputTokens ?? 0;
      const stepOut = step.usage.outputTokens ?? 0;
      recorder.tokensIn += stepIn;
      recorder.tokensOut += stepOut;
      recorder.lastFinishReason = step.finishReason;
      const at = now().toISOString();
      const record = async (entry: TurnStep) => {
        recorder.steps.push(entry);
        await onStep?.(entry);
      };
      await record({
        kind: 'model',
        index: recorder.steps.length,
        text: step.text,
        finishReason: step.finishReason,
        tokensIn: stepIn,
        tokensOut: stepOut,
        at,
      });
      for (const call of step.toolCalls) {
        const answer = step.toolResults.find((candidate) => candidate.toolCallId === call.toolCallId);
        const errorPart = step.content.find(
          (part): part is { type: 'tool-error'; toolCallId: string; error: unknown } =>
            part.type === 'tool-error' && Reflect.get(part, 'toolCallId') === call.toolCallId,
        );
        const resultText = answer ? String(answer.output) : errorPart ? `error: ${describeError(errorPart.error)}` : '';
        await record({
          kind: 'tool-call',
          index: recorder.steps.length,
          toolName: call.toolName,
          arguments: call.input,
          result: resultText,
          isError: Boolean(errorPart) || toolErrors.get(call.toolCallId) === true,
          at,
        });
      }
    },
  };
  return recorder;
}

/**
 * One agent turn: read the agent's context through the API, call the model with the platform's
 * tools, run the tool calls through the API, and loop until the model stops calling tools or
 * the step limit is reached. Never throws for a model failure: the record says what happened.
 */
export async function runAgentTurn(options: AgentTurnOptions): Promise<TurnRecord> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().getTime();
  const context = await loadAgentContext(options.client, { agentId: options.agentId, taskId: options.taskId ?? null });
  const prompt = renderTurnPrompt(context, { instructions: options.instructions ?? null, trigger: options.trigger });
  const leases = new LeaseStore();
  // The first task claimed in the turn is what the turn was about when no focus was given.
  let claimedTaskId: string | null = null;
  const remember = leases.remember.bind(leases);
  leases.remember = (lease) => {
    claimedTaskId ??= lease.taskId;
    remember(lease);
  };
  const findTask = async (): Promise<WorkspaceTask | null> => {
    const taskId = context.focus?.task.id ?? claimedTaskId;
    if (!taskId) return null;
    const task = context.focus?.task.id === taskId ? context.focus.task : await options.client.tasks.get(taskId);
    const parentKey = task.parentId ? (await options.client.tasks.get(task.parentId)).key : null;
    return { key: task.key, title: task.title, parentKey };
  };
  const workspace = options.workspace
    ? createTaskWorkspace({ ...options.workspace, author: agentCommitAuthor(context.agent), findTask })
    : null;
  if (workspace && options.workspace) prompt.system += `\n${describeWorkspace(options.workspace)}`;
  const tools = [
    ...createAgentTools({ client: options.client, leases }),
    ...createRoleTools(options.client, context.agent.kind),
    ...(options.extraTools?.(leases) ?? []),
    ...(options.fetchUrl === false
      ? []
      : [createFetchUrlTool(options.fetchUrl ?? {}, options.client), createReadOpenApiTool(options.fetchUrl ?? {})]),
    ...(workspace?.tools() ?? []),
  ];
  const toolErrors = new Map<string, boolean>();
  const recorder = createStepRecorder(toolErrors, now, options.onStep);
  let output = '';
  let outcome: TurnOutcome = 'completed';
  let error: string | null = null;

  try {
    const result = await generateText({
      model: options.model,
      system: prompt.system,
      prompt: prompt.prompt,
      tools: toModelTools(tools, toolErrors),
      stopWhen: stepCountIs(options.stepLimit),
      maxRetries: options.maxRetries ?? 0,
      ...(options.temperature === null || options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      ...(options.telemetry ? { experimental_telemetry: options.telemetry } : {}),
      onStepFinish: (step) => recorder.onStepFinish(step),
    });
    output = result.text;
    if (result.steps.length >= options.stepLimit && recorder.lastFinishReason === 'tool-calls') outcome = 'step-limit';
  } catch (caught) {
    // The failed call is a model call too: it is what an idle squad must never make.
    recorder.modelCalls += 1;
    outcome = 'failed';
    error = describeError(caught);
  }

  const workspaceRecord = workspace
    ? await commitTurnWork(workspace, `Work of ${context.agent.name} in a built-in turn (${options.trigger}).`)
    : null;
  if (workspaceRecord?.commit) {
    output += `${output ? '\n\n' : ''}Committed ${workspaceRecord.commit.slice(0, 12)} on branch ${workspaceRecord.branch}:\n${workspaceRecord.diffStat ?? ''}`;
  } else if (workspaceRecord?.error) {
    output += `${output ? '\n\n' : ''}The changes on branch ${workspaceRecord.branch} could not be committed: ${workspaceRecord.error}`;
  }

  const pricing = findModelPricing(options.modelName, options.pricing);
  return {
    provider: options.provider,
    model: options.modelName,
    prompt,
    output,
    steps: recorder.steps,
    tokensIn: recorder.tokensIn,
    tokensOut: recorder.tokensOut,
    costMicroDollars: costInMicroDollars(pricing, recorder.tokensIn, recorder.tokensOut),
    durationMs: Math.max(0, now().getTime() - startedAt),
    modelCalls: recorder.modelCalls,
    outcome,
    error,
    focusTaskId: context.focus?.task.id ?? claimedTaskId,
    ...(workspace ? { workspace: workspaceRecord } : {}),
  };
}

function describeWorkspace(settings: TurnWorkspaceOptions): string {
  const commands = settings.settings.allowedCommands.length ? settings.settings.allowedCommands.join(', ') : 'none';
  return [
    '\n## Workspace',
    `You work on code in a git repository. Your task has its own worktree on branch mission/<task-key>, made when you first use a file tool: ` +
      'list_files, read_file, write_file and apply_patch work inside it, run_command runs a program there, and run_javascript computes in a sealed sandbox.',
    `Commands allowed: ${commands}. What you change is committed on the task branch at the end of your turn; say what you changed in the task thread before you hand it over.`,
  ].join('\n');
}

/** Commits the turn's changes on the task branch; a failed commit is recorded, never thrown. */
async function commitTurnWork(workspace: TaskWorkspace, summary: string): Promise<TurnWorkspaceRecord | null> {
  const worktree = workspace.worktree;
  if (!worktree) return null;
  try {
    const commit = await workspace.commitChanges(summary);
    return {
      worktreePath: worktree.path,
      branch: worktree.branch,
      commit: commit?.commit ?? null,
      diffStat: commit?.diffStat ?? null,
      error: null,
    };
  } catch (error) {
    return { worktreePath: worktree.path, branch: worktree.branch, commit: null, diffStat: null, error: describeError(error) };
  }
}
