import {
  type AgentRun,
  type AgentRunDetail,
  type AgentRuntime,
  type AssignmentCandidate,
  type Budget,
  type ChatMessage,
  type ChatStreamEvent,
  endpoints,
  type Task,
  type Usage,
  type WorkspaceRuntimeSettings,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { MissionControlError } from '../errors.js';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `runtime.updateAgentRuntime` takes: fields left out keep their value. */
export type UpdateAgentRuntimeOptions = z.input<typeof endpoints.updateAgentRuntime.body>;

/** What `runtime.wake` takes. */
export type WakeAgentOptions = z.input<typeof endpoints.wakeAgent.body>;

/** Page size of `runtime.listRuns`. */
export type ListAgentRunsOptions = Omit<z.input<typeof endpoints.listAgentRuns.query>, 'cursor'>;

/** The period and scope of `runtime.usage`. */
export type UsageOptions = z.input<typeof endpoints.getUsage.query>;

/** What `runtime.chat` takes beside the message. */
export interface ChatOptions {
  /** Stops the answer: the stream is closed and iteration throws the abort reason. */
  signal?: AbortSignal | undefined;
}

/** Built-in agents and coordination: runtime settings, wake now, runs, usage, budgets, assignment, escalation, review, chat. */
export class RuntimeResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.runtime`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** An agent's runtime settings and scheduler state. */
  getAgentRuntime(agentId: string): Promise<AgentRuntime> {
    return this.context.transport.call(endpoints.getAgentRuntime, { params: { id: agentId } });
  }

  /** Makes an agent built-in or external and sets its model. */
  updateAgentRuntime(agentId: string, input: UpdateAgentRuntimeOptions): Promise<AgentRuntime> {
    return this.context.transport.call(endpoints.updateAgentRuntime, { params: { id: agentId }, body: input });
  }

  /** Runs a built-in agent's turn now. */
  wake(agentId: string, input: WakeAgentOptions = {}): Promise<AgentRuntime> {
    return this.context.transport.call(endpoints.wakeAgent, { params: { id: agentId }, body: input });
  }

  /** An agent's runs, newest first. */
  listRuns(agentId: string, options: ListAgentRunsOptions = {}): PageIterator<AgentRun> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listAgentRuns, { params: { id: agentId }, query: { ...options, cursor } }),
    );
  }

  /** One run with its prompt and transcript. */
  getRun(runId: string): Promise<AgentRunDetail> {
    return this.context.transport.call(endpoints.getRun, { params: { id: runId } });
  }

  /** Tokens and cost per workspace, agent or task. */
  usage(query: UsageOptions = {}): Promise<Usage> {
    return this.context.transport.call(endpoints.getUsage, { query });
  }

  /** Every budget of the workspace with what is used this month. */
  async listBudgets(): Promise<Budget[]> {
    return (await this.context.transport.call(endpoints.listBudgets)).data;
  }

  /** Sets a monthly token and/or cost limit for an agent or (without agentId) the workspace. */
  createBudget(input: z.input<typeof endpoints.createBudget.body>): Promise<Budget> {
    return this.context.transport.call(endpoints.createBudget, { body: input });
  }

  /** Changes a budget's limits (null removes one; at least one stays). */
  updateBudget(budgetId: string, input: z.input<typeof endpoints.updateBudget.body>): Promise<Budget> {
    return this.context.transport.call(endpoints.updateBudget, { params: { id: budgetId }, body: input });
  }

  /** Removes a budget. */
  async deleteBudget(budgetId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteBudget, { params: { id: budgetId } });
  }

  /** Every agent scored for a task, best first, with the reasons. */
  async assignmentCandidates(taskReference: string): Promise<AssignmentCandidate[]> {
    return (await this.context.transport.call(endpoints.listAssignmentCandidates, { params: { id: taskReference } })).data;
  }

  /** Assigns a task to the best eligible agent. */
  assignBest(taskReference: string): Promise<{ task: Task; chosen: AssignmentCandidate | null }> {
    return this.context.transport.call(endpoints.assignBestAgent, { params: { id: taskReference } });
  }

  /** Hands a task to a person: blocked, with the owners notified. */
  escalate(taskReference: string, reason: string): Promise<Task> {
    return this.context.transport.call(endpoints.escalateTask, { params: { id: taskReference }, body: { reason } });
  }

  /** Sends work in review back to its assignees with a comment. */
  sendBack(taskReference: string, comment: string): Promise<Task> {
    return this.context.transport.call(endpoints.sendBackTask, { params: { id: taskReference }, body: { comment } });
  }

  /** The workspace's runtime settings (auto-assignment). */
  getWorkspaceSettings(): Promise<WorkspaceRuntimeSettings> {
    return this.context.transport.call(endpoints.getWorkspaceRuntimeSettings);
  }

  /** Turns auto-assignment of new inbox tasks on or off. */
  updateWorkspaceSettings(input: z.input<typeof endpoints.updateWorkspaceRuntimeSettings.body>): Promise<WorkspaceRuntimeSettings> {
    return this.context.transport.call(endpoints.updateWorkspaceRuntimeSettings, { body: input });
  }

  /**
   * Sends a person's message to a built-in agent and yields the answer as it is written: `delta`
   * events, then exactly one `done` (the stored answer and what the turn cost) or `error` (the
   * model failed: send again). Refusals before the answer (AGENT_NOT_BUILTIN, MODEL_NOT_CONFIGURED,
   * BUDGET_EXHAUSTED) throw MissionControlError; so does an answer that stops before its end.
   */
  async *chat(agentId: string, content: string, options: ChatOptions = {}): AsyncGenerator<ChatStreamEvent, void, undefined> {
    const events = this.context.transport.callForEvents(endpoints.sendChatMessage, {
      params: { id: agentId },
      body: { content },
      signal: options.signal,
    });
    for await (const event of events) {
      yield event;
      if (event.type !== 'delta') return;
    }
    throw new MissionControlError('NETWORK_ERROR', 'The answer stopped before it was complete; send the message again.');
  }

  /** The caller's chat history with an agent, oldest first. */
  async chatHistory(agentId: string): Promise<ChatMessage[]> {
    return (await this.context.transport.call(endpoints.listChatMessages, { params: { id: agentId } })).data;
  }
}
