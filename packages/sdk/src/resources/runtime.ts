import {
  type AgentRun,
  type AgentRunDetail,
  type AgentRuntime,
  type AssignmentCandidate,
  agentRunDetailSchema,
  agentRunSchema,
  agentRuntimeSchema,
  assignmentCandidateSchema,
  type Budget,
  budgetSchema,
  type ChatMessage,
  chatMessageSchema,
  type createBudgetSchema,
  pageSchema,
  type Task,
  taskSchema,
  type UpdateAgentRuntimeInput,
  type UpdateBudgetInput,
  type Usage,
  type UsageQuery,
  usageSchema,
  type WorkspaceRuntimeSettings,
  workspaceRuntimeSettingsSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

const agentPath = (agentId: string) => `/agents/${encodeURIComponent(agentId)}`;
const taskPath = (taskReference: string) => `/tasks/${encodeURIComponent(taskReference)}`;

/** Built-in agents and coordination: runtime settings, wake now, runs, usage, budgets, assignment, escalation, review, chat. */
export class RuntimeResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.runtime`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** An agent's runtime settings and scheduler state. */
  getAgentRuntime(agentId: string): Promise<AgentRuntime> {
    return this.context.transport.request({ method: 'GET', path: `${agentPath(agentId)}/runtime`, schema: agentRuntimeSchema });
  }

  /** Makes an agent built-in or external and sets its model. */
  updateAgentRuntime(agentId: string, input: UpdateAgentRuntimeInput): Promise<AgentRuntime> {
    return this.context.transport.request({
      method: 'PUT',
      path: `${agentPath(agentId)}/runtime`,
      body: input,
      schema: agentRuntimeSchema,
    });
  }

  /** Runs a built-in agent's turn now. */
  wake(agentId: string, input: { taskId?: string } = {}): Promise<AgentRuntime> {
    return this.context.transport.request({ method: 'POST', path: `${agentPath(agentId)}/wake`, body: input, schema: agentRuntimeSchema });
  }

  /** An agent's runs, newest first. */
  listRuns(agentId: string, options: { limit?: number } = {}): PageIterator<AgentRun> {
    return new PageIterator((cursor) =>
      this.context.transport.request({
        method: 'GET',
        path: `${agentPath(agentId)}/runs`,
        query: { ...options, cursor },
        schema: pageSchema(agentRunSchema),
      }),
    );
  }

  /** One run with its prompt and transcript. */
  getRun(runId: string): Promise<AgentRunDetail> {
    return this.context.transport.request({ method: 'GET', path: `/runs/${encodeURIComponent(runId)}`, schema: agentRunDetailSchema });
  }

  /** Tokens and cost per workspace, agent or task. */
  usage(query: Partial<UsageQuery> = {}): Promise<Usage> {
    return this.context.transport.request({ method: 'GET', path: '/usage', query, schema: usageSchema });
  }

  async listBudgets(): Promise<Budget[]> {
    return (await this.context.transport.request({ method: 'GET', path: '/budgets', schema: z.object({ data: z.array(budgetSchema) }) }))
      .data;
  }

  createBudget(input: z.input<typeof createBudgetSchema>): Promise<Budget> {
    return this.context.transport.request({ method: 'POST', path: '/budgets', body: input, schema: budgetSchema });
  }

  updateBudget(budgetId: string, input: UpdateBudgetInput): Promise<Budget> {
    return this.context.transport.request({
      method: 'PATCH',
      path: `/budgets/${encodeURIComponent(budgetId)}`,
      body: input,
      schema: budgetSchema,
    });
  }

  /** Every agent scored for a task, best first, with the reasons. */
  async assignmentCandidates(taskReference: string): Promise<AssignmentCandidate[]> {
    const answer = await this.context.transport.request({
      method: 'GET',
      path: `${taskPath(taskReference)}/assignment-candidates`,
      schema: z.object({ data: z.array(assignmentCandidateSchema) }),
    });
    return answer.data;
  }

  /** Assigns a task to the best eligible agent. */
  assignBest(taskReference: string): Promise<{ task: Task; chosen: AssignmentCandidate | null }> {
    return this.context.transport.request({
      method: 'POST',
      path: `${taskPath(taskReference)}/assign-best`,
      schema: z.object({ task: taskSchema, chosen: assignmentCandidateSchema.nullable() }),
    });
  }

  /** Hands a task to a person: blocked, with the owners notified. */
  escalate(taskReference: string, reason: string): Promise<Task> {
    return this.context.transport.request({
      method: 'POST',
      path: `${taskPath(taskReference)}/escalate`,
      body: { reason },
      schema: taskSchema,
    });
  }

  /** Sends work in review back to its assignees with a comment. */
  sendBack(taskReference: string, comment: string): Promise<Task> {
    return this.context.transport.request({
      method: 'POST',
      path: `${taskPath(taskReference)}/send-back`,
      body: { comment },
      schema: taskSchema,
    });
  }

  getWorkspaceSettings(): Promise<WorkspaceRuntimeSettings> {
    return this.context.transport.request({ method: 'GET', path: '/workspace/runtime-settings', schema: workspaceRuntimeSettingsSchema });
  }

  updateWorkspaceSettings(input: WorkspaceRuntimeSettings): Promise<WorkspaceRuntimeSettings> {
    return this.context.transport.request({
      method: 'PUT',
      path: '/workspace/runtime-settings',
      body: input,
      schema: workspaceRuntimeSettingsSchema,
    });
  }

  /** The caller's chat history with an agent, oldest first. */
  async chatHistory(agentId: string): Promise<ChatMessage[]> {
    const answer = await this.context.transport.request({
      method: 'GET',
      path: `${agentPath(agentId)}/chat`,
      schema: z.object({ data: z.array(chatMessageSchema) }),
    });
    return answer.data;
  }
}
