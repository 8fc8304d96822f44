import { createLanguageModel, type MemoryToSummarise, summariseMemories } from '@mission-control/runtime';
import type { ServiceContext } from '../../core/service-context.js';
import type { AgentService } from '../agents/agent.service.js';
import type { AgentRunService } from './agent-run.service.js';
import type { AgentRuntimeSettingsService } from './agent-runtime-settings.service.js';
import type { AgentUsageService } from './agent-usage.service.js';
import { type ModelSettings, resolveModelConnection } from './model-connections.js';

export interface MemorySummarizerDependencies {
  agents: AgentService;
  agentRuntimeSettings: AgentRuntimeSettingsService;
  agentRuns: AgentRunService;
  agentUsage: AgentUsageService;
}

export type MemorySummarizerService = ReturnType<typeof createMemorySummarizerService>;

/**
 * Summaries of an agent's old memories by the agent's own model (built-in agents with a usable
 * model and budget left). Each call is recorded as a run, so its tokens and cost count against
 * the agent's usage and budgets like a turn.
 */
export function createMemorySummarizerService(context: ServiceContext, dependencies: MemorySummarizerDependencies) {
  const { clock } = context;
  let settings: { models: ModelSettings; modelFetch?: typeof globalThis.fetch } = {
    models: { defaultEndpoint: undefined, anthropic: undefined, openai: undefined, defaultModel: undefined },
  };

  return {
    /** The models summaries may call (from the configuration; tests point them at a scripted server). */
    useModels(next: { models: ModelSettings; modelFetch?: typeof globalThis.fetch }) {
      settings = next;
    },

    /**
     * The model's summary of the memories; null, without any model call, when the agent has no
     * model (not built in, nothing configured, budget used up) or when the call failed.
     */
    async summarise(workspaceId: string, agentId: string, memories: readonly MemoryToSummarise[]): Promise<string | null> {
      const runtime = await dependencies.agentRuntimeSettings.findRuntimeSettings(workspaceId, agentId);
      if (runtime?.runtime !== 'builtin') return null;
      const connection = resolveModelConnection(runtime, settings.models, settings.modelFetch);
      if (!connection) return null;
      const agent = await dependencies.agents.findLiveAgent(workspaceId, agentId);
      if (!agent) return null;
      if (await dependencies.agentUsage.findBudgetStop(workspaceId, agentId)) return null;
      const { agentRuns, agentUsage } = dependencies;
      const runId = await agentRuns.startRun({
        workspaceId,
        agentId,
        agentName: agent.name,
        taskId: null,
        trigger: 'schedule',
        provider: connection.provider,
        model: connection.model,
      });
      const record = await summariseMemories({
        model: createLanguageModel(connection),
        provider: connection.provider,
        modelName: connection.model,
        agentName: agent.name,
        memories,
        now: () => clock.now(),
      });
      await agentRuns.finishRun({ id: runId, workspaceId, agentId, agentName: agent.name, taskId: null }, record);
      await agentUsage.announceBudgets(workspaceId, agentId);
      return record.outcome === 'failed' ? null : record.output;
    },
  };
}
