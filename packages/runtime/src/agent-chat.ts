import { createAgentTools, LeaseStore } from '@mission-control/mcp';
import type { MissionControl } from '@mission-control/sdk';
import { type LanguageModel, type ModelMessage, stepCountIs, streamText } from 'ai';
import { renderTurnPrompt } from './agent-context.js';
import { createStepRecorder, describeError, type TurnRecord, type TurnStep, toModelTools } from './agent-turn.js';
import type { FetchUrlOptions } from './fetch-url.js';
import { createFetchUrlTool } from './fetch-url-tool.js';
import { costInMicroDollars, findModelPricing, type ModelPricing } from './pricing.js';
import { createRoleTools } from './role-tools.js';

export interface AgentChatOptions {
  /** The agent's own client: in a chat the agent can act, with its own permissions. */
  client: MissionControl;
  agentId: string;
  model: LanguageModel;
  provider: string;
  modelName: string;
  instructions?: string | null;
  temperature?: number | null;
  stepLimit: number;
  /** Earlier messages of this conversation, oldest first. */
  history: { role: 'user' | 'assistant'; content: string }[];
  message: string;
  /** Who is talking, shown to the agent. */
  speaker: string;
  fetchUrl?: FetchUrlOptions | false;
  pricing?: ModelPricing | null;
  onStep?: (step: TurnStep) => void | Promise<void>;
  now?: () => Date;
  abortSignal?: AbortSignal;
}

/**
 * A chat turn, streamed: the answer's text arrives piece by piece as the model writes it, and the
 * record (tokens, cost, tool calls) is ready when the stream ends. The agent keeps its tools, so
 * "please open a task for this" works.
 */
export async function* streamAgentChat(options: AgentChatOptions): AsyncGenerator<string, TurnRecord> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().getTime();
  const agent = await options.client.agents.get(options.agentId);
  const { system } = renderTurnPrompt(
    {
      agent,
      notifications: [],
      assignedTasks: [],
      focus: null,
      inbox: [],
      blocked: [],
      review: [],
      workingMarkdown: '',
      recalledMemories: [],
    },
    { instructions: options.instructions ?? null, trigger: 'chat' },
  );
  const chatSystem = `${system}\n\nYou are now chatting directly with ${options.speaker}, a person in your workspace. Answer in plain prose; use tools only when asked to act or when you need facts from the board.`;
  const leases = new LeaseStore();
  const tools = [
    ...createAgentTools({ client: options.client, leases }),
    ...createRoleTools(options.client, agent.kind),
    ...(options.fetchUrl === false ? [] : [createFetchUrlTool(options.fetchUrl ?? {}, options.client)]),
  ];
  const toolErrors = new Map<string, boolean>();
  const recorder = createStepRecorder(toolErrors, now, options.onStep);
  const messages: ModelMessage[] = [
    ...options.history.map((entry) => ({ role: entry.role, content: entry.content }) as ModelMessage),
    { role: 'user', content: options.message },
  ];
  let output = '';
  let error: string | null = null;
  try {
    const result = streamText({
      model: options.model,
      system: chatSystem,
      messages,
      tools: toModelTools(tools, toolErrors),
      stopWhen: stepCountIs(options.stepLimit),
      maxRetries: 0,
      ...(options.temperature === null || options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      onStepFinish: (step) => recorder.onStepFinish(step),
      // Errors arrive in the stream itself and are recorded there; the default would also print them.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        output += part.text;
        yield part.text;
      } else if (part.type === 'error') {
        throw part.error;
      }
    }
  } catch (caught) {
    if (recorder.modelCalls === 0) recorder.modelCalls = 1;
    error = describeError(caught);
  }
  const pricing = findModelPricing(options.modelName, options.pricing);
  return {
    provider: options.provider,
    model: options.modelName,
    prompt: { system: chatSystem, prompt: options.message },
    output,
    steps: recorder.steps,
    tokensIn: recorder.tokensIn,
    tokensOut: recorder.tokensOut,
    costMicroDollars: costInMicroDollars(pricing, recorder.tokensIn, recorder.tokensOut),
    durationMs: Math.max(0, now().getTime() - startedAt),
    modelCalls: recorder.modelCalls,
    outcome: error ? 'failed' : 'completed',
    error,
    focusTaskId: null,
  };
}
