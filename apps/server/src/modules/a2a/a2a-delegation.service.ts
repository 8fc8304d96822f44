import { type Task as A2aTask, AgentCard, Role, TaskState } from '@a2a-js/sdk';
import {
  type Agent,
  type CreateRemoteAgentInput,
  changeTaskStatusSchema,
  createAgentSchema,
  createDocumentSchema,
  listMessagesQuerySchema,
  postMessageSchema,
  type TaskStatus,
} from '@mission-control/contracts';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { systemPrincipal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { parseJsonColumn } from '../../db/database.js';
import type { AgentService } from '../agents/agent.service.js';
import type { DocumentService } from '../documents/document.service.js';
import type { OutboundService } from '../integrations/outbound/outbound.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { TaskService } from '../tasks/task.service.js';
import { textOfParts } from './a2a-mapping.js';
import {
  type A2aDelegationRow,
  findDelegationsByTaskIds,
  findRemoteAgent,
  insertDelegation,
  insertRemoteAgent,
  listDueDelegations,
  listRemoteAgents,
  updateDelegation,
} from './a2a-remote.repository.js';
import { agentNameFromCard, capabilitiesFromCard, clientForRemote, type RemoteCard, readRemoteCard } from './a2a-remote-client.js';

export interface A2aDelegationDependencies {
  agents: Pick<AgentService, 'createAgentInTransaction' | 'findLiveAgent'>;
  tasks: Pick<TaskService, 'listOpenTaskIdsAssignedTo' | 'getTask' | 'changeTaskStatus'>;
  messages: Pick<MessageService, 'listMessages' | 'postMessage'>;
  documents: Pick<DocumentService, 'createDocument'>;
  outbound: Pick<OutboundService, 'policy' | 'sealSecret' | 'openSecret'>;
}

export interface A2aDelegationOptions {
  /** How often a remote task is looked at while it is open (5 s by default). */
  pollIntervalMs?: number;
}

/** A stored card is A2A JSON; the SDK reads its fields. */
const storedCardSchema = z.record(z.string(), z.unknown());

/** How many of the remote task's newest messages each look reads (more than a poll interval brings). */
const historyWindow = 100;

/** The states after which a remote task changes no more. */
const finishedStates = ['TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED', 'TASK_STATE_REJECTED'] as const;

/** The board status a remote state puts the task in. */
const statusOfRemoteState: Partial<Record<TaskState, TaskStatus>> = {
  [TaskState.TASK_STATE_SUBMITTED]: 'in_progress',
  [TaskState.TASK_STATE_WORKING]: 'in_progress',
  [TaskState.TASK_STATE_INPUT_REQUIRED]: 'blocked',
  [TaskState.TASK_STATE_AUTH_REQUIRED]: 'blocked',
  [TaskState.TASK_STATE_COMPLETED]: 'done',
  [TaskState.TASK_STATE_FAILED]: 'failed',
  [TaskState.TASK_STATE_REJECTED]: 'failed',
  [TaskState.TASK_STATE_CANCELED]: 'cancelled',
};

function stateName(state: TaskState | undefined): string {
  return state === undefined ? 'TASK_STATE_UNSPECIFIED' : (TaskState[state] ?? 'TASK_STATE_UNSPECIFIED');
}

/** The remote agent as the principal of what it does on the board (moves, messages, documents). */
function remotePrincipal(row: { agent_id: string; workspace_id: string }): Principal {
  return { kind: 'agent', id: row.agent_id, workspaceId: row.workspace_id, role: 'agent', sessionId: null };
}

/**
 * Remote A2A agents as squad members: registered from their card; a task assigned to one is sent
 * to it as an A2A message, and its remote task's state, question and artifacts are mirrored onto
 * the board, where an answer on the thread goes back over A2A. Safe on several instances: a task
 * is claimed for sending by an insert, and each mirrored change by a conditional update.
 */
export class A2aDelegationService {
  private readonly pollIntervalMs: number;

  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: A2aDelegationDependencies,
    options: A2aDelegationOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
  }

  /**
   * Reads a remote agent's card through the address guard, once the caller is known to be one who
   * may register agents (nobody else makes the server fetch a URL).
   */
  async readRemoteCard(principal: Principal, input: CreateRemoteAgentInput): Promise<RemoteCard> {
    assertCan(principal, 'agent:manage');
    return readRemoteCard(input.a2a.cardUrl, this.dependencies.outbound.policy, input.a2a.apiKey ?? null);
  }

  /** Registers the agent from its card, with its skills as capabilities. */
  async registerRemoteAgent(principal: Principal, input: CreateRemoteAgentInput, remoteCard: RemoteCard): Promise<Agent> {
    const { card, endpointUrl } = remoteCard;
    const { db, clock } = this.context;
    const local = createAgentSchema.parse({
      name: input.name ?? agentNameFromCard(card.name),
      role: input.role ?? (card.description.trim().slice(0, 120) || 'Remote agent'),
      kind: 'specialist',
      capabilities: input.capabilities ?? capabilitiesFromCard(card),
      memoryContext: `Reached over the Agent2Agent protocol at ${endpointUrl} (card: ${input.a2a.cardUrl}).`,
      concurrencyLimit: input.concurrencyLimit,
    });
    const agent = await db.transaction().execute(async (trx) => {
      const created = await this.dependencies.agents.createAgentInTransaction(
        trx,
        principal,
        { ...local, kind: 'remote' },
        { status: 'idle' },
      );
      await insertRemoteAgent(trx, {
        agent_id: created.id,
        workspace_id: principal.workspaceId,
        card_url: input.a2a.cardUrl,
        endpoint_url: endpointUrl,
        card: JSON.stringify(AgentCard.toJSON(card)),
        sealed_api_key: input.a2a.apiKey ? this.dependencies.outbound.sealSecret(input.a2a.apiKey) : null,
        created_at: clock.now().toISOString(),
      });
      return created;
    });
    return agent;
  }

  /** One pass of the worker: send newly assigned tasks, then look at the open remote tasks that are due. */
  async runDelegations(): Promise<number> {
    let changed = 0;
    for (const remote of await listRemoteAgents(this.context.db, 500))
      changed += await this.sendNewTasks(remote.agent_id, remote.workspace_id);
    const now = this.context.clock.now().toISOString();
    for (const delegation of await listDueDelegations(this.context.db, now, finishedStates, 100)) {
      changed += await this.followDelegation(delegation);
    }
    return changed;
  }

  private async sendNewTasks(agentId: string, workspaceId: string): Promise<number> {
    const { tasks } = this.dependencies;
    const reader = systemPrincipal(workspaceId);
    const open = await tasks.listOpenTaskIdsAssignedTo(reader, agentId);
    const known = new Set((await findDelegationsByTaskIds(this.context.db, open)).map((row) => row.task_id));
    let sent = 0;
    for (const taskId of open.filter((id) => !known.has(id))) {
      const task = await tasks.getTask(reader, taskId);
      if (task.status !== 'inbox' && task.status !== 'assigned') continue;
      const now = this.context.clock.now().toISOString();
      const claimed = await insertDelegation(this.context.db, {
        task_id: task.id,
        agent_id: agentId,
        workspace_id: workspaceId,
        remote_task_id: null,
        context_id: task.id,
        remote_state: 'sending',
        last_question_id: null,
        last_message_id: null,
        forwarded_after: now,
        next_poll_at: now,
        failures: 0,
        last_error: null,
        created_at: now,
        updated_at: now,
      });
      if (claimed) sent += 1;
    }
    return sent;
  }

  /** Sends the task when it was not yet, else reads the remote task and mirrors what changed. */
  private async followDelegation(delegation: A2aDelegationRow): Promise<number> {
    const remote = await findRemoteAgent(this.context.db, delegation.agent_id);
    if (!remote) return 0;
    const { outbound } = this.dependencies;
    const apiKey = remote.sealed_api_key ? outbound.openSecret(remote.sealed_api_key) : null;
    try {
      const client = await clientForRemote(
        parseJsonColumn(storedCardSchema, remote.card, 'a2a_remote_agents.card'),
        outbound.policy,
        apiKey,
      );
      if (!delegation.remote_task_id) {
        const task = await this.dependencies.tasks.getTask(systemPrincipal(delegation.workspace_id), delegation.task_id);
        const answer = await client.sendMessage({
          tenant: '',
          message: {
            // The board task's id: a remote server that deduplicates messages creates one task even if we send twice.
            messageId: `mission-control-${delegation.task_id}`,
            contextId: '',
            taskId: '',
            role: Role.ROLE_USER,
            parts: [
              {
                content: { $case: 'text', value: `# ${task.title}\n\n${task.description}`.trim() },
                metadata: undefined,
                filename: '',
                mediaType: 'text/markdown',
              },
            ],
            metadata: { missionControlTaskKey: task.key },
            extensions: [],
            referenceTaskIds: [],
          },
          configuration: {
            acceptedOutputModes: ['text/plain', 'text/markdown'],
            taskPushNotificationConfig: undefined,
            returnImmediately: true,
          },
          metadata: undefined,
        });
        if (!('status' in answer)) {
          // A direct answer, without a task: the work is that message.
          return this.mirror(delegation, {
            id: '',
            contextId: answer.contextId,
            status: { state: TaskState.TASK_STATE_COMPLETED, message: answer, timestamp: undefined },
            artifacts: [],
            history: [],
            metadata: undefined,
          });
        }
        return this.mirror(delegation, answer);
      }
      const remoteTask = await client.getTask({ tenant: '', id: delegation.remote_task_id, historyLength: historyWindow });
      if (remoteTask.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED) await this.forwardAnswers(delegation, remoteTask, client);
      return this.mirror(delegation, remoteTask);
    } catch (error) {
      await this.recordFailure(delegation, error);
      return 0;
    }
  }

  /** Posts the requester-side answers written on the thread since the question to the remote task. */
  private async forwardAnswers(
    delegation: A2aDelegationRow,
    remoteTask: A2aTask,
    client: Awaited<ReturnType<typeof clientForRemote>>,
  ): Promise<void> {
    const thread = await this.dependencies.messages.listMessages(
      systemPrincipal(delegation.workspace_id),
      delegation.task_id,
      listMessagesQuerySchema.parse({ limit: 200 }),
    );
    const after = delegation.forwarded_after ?? '';
    const answers = thread.data.filter(
      (message) => message.createdAt > after && !(message.author.kind === 'agent' && message.author.id === delegation.agent_id),
    );
    const last = answers.at(-1);
    if (!last) return;
    await client.sendMessage({
      tenant: '',
      message: {
        messageId: `mission-control-${last.id}`,
        contextId: remoteTask.contextId,
        taskId: remoteTask.id,
        role: Role.ROLE_USER,
        parts: answers.map((message) => ({
          content: { $case: 'text', value: message.content },
          metadata: undefined,
          filename: '',
          mediaType: 'text/markdown',
        })),
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      },
      configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, returnImmediately: true },
      metadata: undefined,
    });
    await updateDelegation(
      this.context.db,
      delegation.task_id,
      { remoteState: delegation.remote_state, updatedAt: delegation.updated_at },
      { forwarded_after: last.createdAt, updated_at: this.context.clock.now().toISOString() },
    );
    delegation.forwarded_after = last.createdAt;
    delegation.updated_at = this.context.clock.now().toISOString();
    // The question is answered: the board shows the task as being worked on again.
    await this.moveBoardTask(delegation, 'in_progress');
  }

  /** Records the remote state, then brings the board task, its thread and its documents level with it. */
  private async mirror(delegation: A2aDelegationRow, remoteTask: A2aTask): Promise<number> {
    const state = remoteTask.status?.state;
    const now = this.context.clock.now();
    const question = state === TaskState.TASK_STATE_INPUT_REQUIRED ? remoteTask.status?.message : undefined;
    const newQuestion = question && question.messageId !== delegation.last_question_id ? question : undefined;
    // The remote squad's messages since the last look (ours come back as the user's and are skipped).
    const history = remoteTask.history;
    const seen = delegation.last_message_id ? history.findIndex((message) => message.messageId === delegation.last_message_id) : -1;
    const freshMessages = history.slice(seen + 1).filter((message) => message.role === Role.ROLE_AGENT);
    const moved = await updateDelegation(
      this.context.db,
      delegation.task_id,
      { remoteState: delegation.remote_state, updatedAt: delegation.updated_at },
      {
        remote_task_id: remoteTask.id || delegation.remote_task_id || `direct-${delegation.task_id}`,
        context_id: remoteTask.contextId || delegation.context_id,
        remote_state: stateName(state),
        ...(newQuestion ? { last_question_id: newQuestion.messageId, forwarded_after: now.toISOString() } : {}),
        last_message_id: history.at(-1)?.messageId ?? delegation.last_message_id,
        next_poll_at: new Date(now.getTime() + this.pollIntervalMs).toISOString(),
        failures: 0,
        last_error: null,
        updated_at: now.toISOString(),
      },
    );
    // Another instance mirrored this change first.
    if (!moved) return 0;
    const remoteChanged = stateName(state) !== delegation.remote_state;
    const principal = remotePrincipal(delegation);
    const posted: string[] = [];
    const post = async (text: string, type: 'comment' | 'question' | 'status_update') => {
      if (text === '') return;
      await this.dependencies.messages.postMessage(principal, delegation.task_id, postMessageSchema.parse({ content: text, type }));
      posted.push(text);
    };
    for (const message of freshMessages)
      await post(textOfParts(message.parts), message.messageId === newQuestion?.messageId ? 'question' : 'comment');
    if (newQuestion && !freshMessages.some((message) => message.messageId === newQuestion.messageId)) {
      await post(textOfParts(newQuestion.parts) || 'The remote agent needs more information.', 'question');
    }
    if (state === TaskState.TASK_STATE_COMPLETED && remoteChanged) await this.landArtifacts(delegation, remoteTask, posted);
    const status = state === undefined ? undefined : statusOfRemoteState[state];
    if (status && remoteChanged) await this.moveBoardTask(delegation, status);
    return remoteChanged || posted.length > 0 ? 1 : 0;
  }

  /** The remote task's artifacts as documents on the task, and its final message on the thread. */
  private async landArtifacts(delegation: A2aDelegationRow, remoteTask: A2aTask, alreadyPosted: readonly string[]): Promise<void> {
    const principal = remotePrincipal(delegation);
    for (const artifact of remoteTask.artifacts) {
      const content = textOfParts(artifact.parts);
      if (artifact.artifactId === 'final-message' || content === '') continue;
      await this.dependencies.documents.createDocument(
        principal,
        createDocumentSchema.parse({
          title: (artifact.name || 'Result').slice(0, 300),
          content,
          type: 'deliverable',
          taskId: delegation.task_id,
        }),
      );
    }
    const final =
      remoteTask.artifacts.find((artifact) => artifact.artifactId === 'final-message') ??
      (remoteTask.status?.message ? { parts: remoteTask.status.message.parts } : undefined);
    const text = final ? textOfParts(final.parts) : '';
    // A remote that shares its history had its final message mirrored with the rest of it.
    if (text && remoteTask.history.length === 0 && !alreadyPosted.includes(text))
      await this.dependencies.messages.postMessage(
        principal,
        delegation.task_id,
        postMessageSchema.parse({ content: text, type: 'status_update' }),
      );
  }

  /** Moves the board task through the columns it must pass (assigned → in_progress → done). */
  private async moveBoardTask(delegation: A2aDelegationRow, to: TaskStatus): Promise<void> {
    const principal = remotePrincipal(delegation);
    const { tasks } = this.dependencies;
    const current = await tasks.getTask(systemPrincipal(delegation.workspace_id), delegation.task_id);
    if (current.status === to) return;
    const path: TaskStatus[] =
      to === 'done' && current.status !== 'in_progress' && current.status !== 'review' ? ['in_progress', 'done'] : [to];
    for (const status of path) {
      await tasks.changeTaskStatus(
        principal,
        delegation.task_id,
        changeTaskStatusSchema.parse({ status, reason: 'Mirrored from the remote agent’s task over A2A' }),
      );
    }
  }

  private async recordFailure(delegation: A2aDelegationRow, error: unknown): Promise<void> {
    const now = this.context.clock.now();
    // Backs off to at most 10 minutes between tries of a remote agent that keeps failing.
    const wait = Math.min(this.pollIntervalMs * 2 ** delegation.failures, 600_000);
    await updateDelegation(
      this.context.db,
      delegation.task_id,
      { remoteState: delegation.remote_state, updatedAt: delegation.updated_at },
      {
        failures: delegation.failures + 1,
        last_error: (error instanceof Error ? error.message : String(error)).slice(0, 1_000),
        next_poll_at: new Date(now.getTime() + wait).toISOString(),
        updated_at: now.toISOString(),
      },
    );
  }
}
