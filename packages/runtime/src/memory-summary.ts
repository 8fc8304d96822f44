import { generateText, type LanguageModel } from 'ai';
import type { TurnRecord } from './agent-turn.js';
import { costInMicroDollars, findModelPricing, type ModelPricing } from './pricing.js';

export interface MemoryToSummarise {
  kind: string;
  content: string;
  tags: readonly string[];
  createdAt: string;
}

export interface SummariseMemoriesOptions {
  model: LanguageModel;
  provider: string;
  modelName: string;
  agentName: string;
  memories: readonly MemoryToSummarise[];
  pricing?: ModelPricing | null;
  now?: () => Date;
}

/**
 * One model call that folds an agent's old, low-importance memories into one summary. Answers a
 * turn record (tokens, cost, outcome) so the call is charged to the agent like a turn; the
 * summary is the record's output, empty when the call failed.
 */
export async function summariseMemories(options: SummariseMemoriesOptions): Promise<TurnRecord> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().getTime();
  const system =
    `You are ${options.agentName}'s memory. Fold the memories below into one short summary that keeps every fact, ` +
    'preference and lesson still useful later (names, numbers, decisions); drop repetition. Answer with the summary text only.';
  const prompt = options.memories
    .map(
      (memory, index) =>
        `${index + 1}. [${memory.kind}, ${memory.createdAt.slice(0, 10)}${memory.tags.length ? `, ${memory.tags.join(' ')}` : ''}] ${memory.content}`,
    )
    .join('\n');
  let output = '';
  let tokensIn = 0;
  let tokensOut = 0;
  let error: string | null = null;
  try {
    const result = await generateText({ model: options.model, system, prompt, maxRetries: 0 });
    output = result.text.trim();
    tokensIn = result.usage.inputTokens ?? 0;
    tokensOut = result.usage.outputTokens ?? 0;
    if (!output) error = 'the model answered an empty summary';
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  return {
    provider: options.provider,
    model: options.modelName,
    prompt: { system, prompt },
    output,
    steps: [],
    tokensIn,
    tokensOut,
    costMicroDollars: costInMicroDollars(findModelPricing(options.modelName, options.pricing), tokensIn, tokensOut),
    durationMs: Math.max(0, now().getTime() - startedAt),
    modelCalls: 1,
    outcome: error ? 'failed' : 'completed',
    error,
    focusTaskId: null,
  };
}
