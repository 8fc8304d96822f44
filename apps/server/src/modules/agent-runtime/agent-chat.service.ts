import type { ChatMessage, ChatRole, ErrorCode } from '@mission-control/contracts';
import { createLanguageModel, streamAgentChat, type TurnRecord } from '@mission-control/runtime';
import { type FetchFunction, MissionControl } from '@mission-control/sdk';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { inProcessOrigin } from '../../http/inject-fetch.js';
import type { AgentService } from '../agents/agent.service.js';
import {
  deleteChatMessagesOfPerson,
  insertChatMessage,
  listChatMessagesOfPerson,
  listLatestChatMessages,
  toChatMessage,
} from './agent-chat.repository.js';
import type { AgentRunService } from './agent-run.service.js';
import type { AgentRuntimeSettingsService } from './agent-runtime-settings.service.js';
import type { AgentUsageService } from './agent-usage.service.js';
import { type ModelSettings, resolveModelConnection } from './model-connections.js';

/** What a chat stream sends: pieces of the answer, then the stored answer (or the error). */
export type ChatStreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; message: ChatMessage; runId: string; tokensIn: number; tokensOut: number; costMicroDollars: number }
  | { type: 'error'; message: string; code?: ErrorCode };

/** Why a chat answer was stopped before its end (the person signed out, was removed): given to `abort`. */
export class ChatStopped extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Messages of one conversation kept for the model at most; older ones stay stored but are not resent. */
const historyForModel = 40;

export interface AgentChatServiceDependencies {
  agents: AgentService;
  agentRuntimeSettings: AgentRuntimeSettingsService;
  agentRuns: AgentRunService;
  agentUsage: AgentUsageService;
}

export type AgentChatService = ReturnType<typeof createAgentChatService>;

/** People talking to a built-in agent: each person has one conversation per agent, kept, and answered as a stream. */
export function createAgentChatService(context: ServiceContext, dependencies: AgentChatServiceDependencies) {
  const { db, clock } = context;
  let apiFetch: FetchFunction | undefined;
  let settings: { models: ModelSettings; modelFetch?: typeof globalThis.fetch; fetchAllowedHosts: readonly string[] } = {
    models: { defaultEndpoint: undefined, anthropic: undefined, openai: undefined, defaultModel: undefined },
    fetchAllowedHosts: [],
  };

  function requirePerson(principal: Principal) {
    if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'Chat is for people; agents talk in task threads.');
  }

  function loadHistory(workspaceId: string, agentId: string, userId: string, limit: number) {
    return listLatestChatMessages(db, { workspaceId, agentId, userId }, limit);
  }

  async function storeMessage(principal: Principal, agentId: string, role: ChatRole, content: string) {
    const row = {
      id: createId(),
      workspace_id: principal.workspaceId,
      agent_id: agentId,
      user_id: principal.id,
      role,
      author_id: role === 'user' ? principal.id : agentId,
      content,
      created_at: clock.now().toISOString(),
    };
    await insertChatMessage(db, row);
    return toChatMessage(row);
  }

  return {
    /** How chats reach the API in-process; the routes set it once the app exists. */
    useApi(fetch: FetchFunction) {
      apiFetch = fetch;
    },

    /** The models chats may call (from the configuration; tests point them at a scripted server). */
    useModels(next: { models: ModelSettings; modelFetch?: typeof globalThis.fetch; fetchAllowedHosts?: readonly string[] }) {
      settings = { ...next, fetchAllowedHosts: next.fetchAllowedHosts ?? [] };
    },

    /** Every message of a person's chats with built-in agents, in every workspace (their data export). */
    async listChatMessagesOfPerson(userId: string) {
      return (await listChatMessagesOfPerson(context.db, userId)).map((row) => ({ ...toChatMessage(row), workspaceId: row.workspace_id }));
    },

    /** Erasure: deletes a person's chats in one workspace, in the caller's transaction. */
    deleteChatMessagesOfPerson: (executor: DatabaseExecutor, userId: string, workspaceId: string) =>
      deleteChatMessagesOfPerson(executor, userId, workspaceId),

    async listHistory(principal: Principal, agentId: string): Promise<ChatMessage[]> {
      requirePerson(principal);
      const agent = await dependencies.agents.getAgent(principal, agentId);
      return (await loadHistory(principal.workspaceId, agent.id, principal.id, 200)).map(toChatMessage);
    },

    /**
     * Checks everything that can be refused with a plain error (no such agent, not built in, no
     * model, budget used up), stores the person's message, then returns the stream of the answer.
     */
    async startChat(
      principal: Principal,
      agentId: string,
      content: string,
      options: { abortSignal?: AbortSignal } = {},
    ): Promise<AsyncGenerator<ChatStreamEvent>> {
      const { abortSignal } = options;
      requirePerson(principal);
      const agent = await dependencies.agents.getAgent(principal, agentId);
      const runtime = await dependencies.agentRuntimeSettings.findRuntimeSettings(principal.workspaceId, agent.id);
      if (runtime?.runtime !== 'builtin') {
        throw new AppError('AGENT_NOT_BUILTIN', `${agent.name} runs outside Mission Control: talk to it in a task thread.`);
      }
      const connection = resolveModelConnection(runtime, settings.models, settings.modelFetch);
      if (!connection || !apiFetch) {
        throw new AppError(
          'MODEL_NOT_CONFIGURED',
          "No model is configured: set MISSION_LLM_BASE_URL and MISSION_LLM_MODEL (or a provider key and the agent's model).",
        );
      }
      const budgetStop = await dependencies.agentUsage.findBudgetStop(principal.workspaceId, agent.id);
      if (budgetStop) throw new AppError('BUDGET_EXHAUSTED', budgetStop);
      const history = (await loadHistory(principal.workspaceId, agent.id, principal.id, historyForModel)).map((row) => ({
        role: row.role,
        content: row.content,
      }));
      await storeMessage(principal, agent.id, 'user', content);
      const credential = await dependencies.agentRuntimeSettings.obtainAgentCredential(principal.workspaceId, agent.id);
      const client = new MissionControl({ baseUrl: inProcessOrigin, apiKey: credential, fetch: apiFetch, retry: { retries: 0 } });
      const { agentRuns, agentUsage } = dependencies;
      const runId = await agentRuns.startRun({
        workspaceId: principal.workspaceId,
        agentId: agent.id,
        agentName: agent.name,
        taskId: null,
        trigger: 'chat',
        provider: connection.provider,
        model: connection.model,
      });
      const run = { id: runId, workspaceId: principal.workspaceId, agentId: agent.id, agentName: agent.name, taskId: null };
      const speaker = principal.id;

      return (async function* stream(): AsyncGenerator<ChatStreamEvent> {
        const chat = streamAgentChat({
          client,
          agentId: agent.id,
          model: createLanguageModel(connection),
          provider: connection.provider,
          modelName: connection.model,
          instructions: runtime.instructions,
          temperature: runtime.temperature,
          stepLimit: runtime.step_limit,
          history,
          message: content,
          speaker: `a workspace member (${speaker})`,
          fetchUrl: { allowedPrivateHosts: settings.fetchAllowedHosts },
          now: () => clock.now(),
          onStep: (step) => agentRuns.recordStep(run, step),
          ...(abortSignal ? { abortSignal } : {}),
        });
        let record: TurnRecord | undefined;
        for (;;) {
          const next = await chat.next();
          if (next.done) {
            record = next.value;
            break;
          }
          yield { type: 'delta', text: next.value };
        }
        await agentRuns.finishRun(run, record);
        await agentUsage.announceBudgets(principal.workspaceId, agent.id);
        const stopped: unknown = abortSignal?.reason;
        if (abortSignal?.aborted && stopped instanceof ChatStopped) {
          yield { type: 'error', message: stopped.message, code: stopped.code };
          return;
        }
        if (record.outcome === 'failed') {
          yield { type: 'error', message: record.error ?? 'the model call failed' };
          return;
        }
        const message = await storeMessage(principal, agent.id, 'assistant', record.output);
        yield {
          type: 'done',
          message,
          runId,
          tokensIn: record.tokensIn,
          tokensOut: record.tokensOut,
          costMicroDollars: record.costMicroDollars,
        };
      })();
    },
  };
}
