import { randomUUID } from 'node:crypto';
import type {
  Task as A2aTask,
  ListTaskPushNotificationConfigsResponse,
  ListTasksRequest,
  ListTasksResponse,
  SendMessageRequest,
  StreamResponse,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import { RequestMalformedError, TaskNotCancelableError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import {
  type Agent,
  changeTaskStatusSchema,
  createTaskSchema,
  listDocumentsQuerySchema,
  listMessagesQuerySchema,
  postMessageSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
import { type Principal, systemPrincipal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { findLatestEventSeq } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { DocumentService } from '../documents/document.service.js';
import type { OutboundService } from '../integrations/outbound/outbound.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { TaskService } from '../tasks/task.service.js';
import {
  type A2aTaskView,
  isInterruptedState,
  isTerminalState,
  textOfParts,
  toA2aArtifacts,
  toA2aStatus,
  toA2aTask,
} from './a2a-mapping.js';
import {
  type A2aPushConfigRow,
  deleteA2aPushConfig,
  findA2aPushConfig,
  listA2aPushConfigs,
  upsertA2aPushConfig,
} from './a2a-push.repository.js';
import { type A2aTaskRow, findA2aTask, findA2aTaskByMessage, insertA2aTask, listA2aTasks } from './a2a-task.repository.js';
import { type TaskActivitySource, waitForTaskActivity } from './task-activity.js';

/** Who an A2A request is for: one published agent, or the workspace (its lead routes the work). */
export interface A2aTarget {
  workspaceId: string;
  agent: Agent | undefined;
}

export interface A2aServiceDependencies {
  tasks: Pick<TaskService, 'checkTaskAssignees' | 'createTaskInTransaction' | 'getTask' | 'changeTaskStatus'>;
  messages: Pick<MessageService, 'listMessages' | 'postMessage'>;
  documents: Pick<DocumentService, 'listDocuments' | 'getDocument'>;
  outbound: Pick<OutboundService, 'checkTarget' | 'sealSecret'>;
}

/** A stored push config as A2A shows it: the token and credentials were given once and are not shown again. */
function toPushConfig(row: A2aPushConfigRow): TaskPushNotificationConfig {
  return {
    tenant: '',
    id: row.client_config_id,
    taskId: row.task_id,
    url: row.url,
    token: '',
    authentication: row.authentication_scheme ? { scheme: row.authentication_scheme, credentials: '' } : undefined,
  };
}

const defaultListPageSize = 50;
const maxListPageSize = 100;
/** The longest title a task gets from the first line of a message; the rest is in the description. */
const titleLength = 120;

const pageTokenSchema = z.object({ createdAt: z.string(), taskId: z.string() });

function encodePageToken(row: A2aTaskRow): string {
  return Buffer.from(JSON.stringify({ createdAt: row.created_at, taskId: row.task_id })).toString('base64url');
}

function decodePageToken(token: string): { createdAt: string; taskId: string } | undefined {
  if (!token) return undefined;
  try {
    return pageTokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new RequestMalformedError(
      'The pageToken is not one this server gave out. Pass the nextPageToken of the page before, or leave it out.',
    );
  }
}

function titleOf(text: string): string {
  const firstLine =
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'A message over A2A';
  const plain = firstLine.replace(/^#+\s*/, '');
  return plain.length <= titleLength ? plain : `${plain.slice(0, titleLength - 1)}…`;
}

/**
 * The Agent2Agent protocol over the board: a message becomes a task, the task's column its A2A
 * state, its documents and the squad's final message its artifacts, its thread its history.
 */
export class A2aService {
  /** The instance's event tailer; until it is followed nothing can be streamed. */
  private activity: TaskActivitySource | undefined;

  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: A2aServiceDependencies,
  ) {}

  /** Streams follow this instance's event tailer (the app calls it when it has one). */
  followEvents(source: TaskActivitySource): void {
    this.activity = source;
  }

  /** Whether streaming (message/stream, tasks/subscribe) is available on this instance. */
  get canStream(): boolean {
    return this.activity !== undefined;
  }

  /**
   * A new message creates a task for the target; a message naming its task is the requester's
   * answer, posted on the thread for the assignee. The same message id sent twice (a retry)
   * answers the task the first one created.
   */
  async sendMessage(principal: Principal, target: A2aTarget, request: SendMessageRequest): Promise<A2aTask> {
    const message = request.message;
    if (!message) throw new RequestMalformedError('Send a message with at least one text part.');
    const text = textOfParts(message.parts);
    if (text === '') throw new RequestMalformedError('The message has no text. Send at least one text, data or URL part.');
    const push = request.configuration?.taskPushNotificationConfig;
    if (push?.url) await this.dependencies.outbound.checkTarget(push.url);
    if (message.taskId) {
      const answered = await this.answerTask(principal, target, message.taskId, text);
      if (push?.url) await this.setPushConfig(target, { ...push, taskId: answered.id });
      return answered;
    }
    const { db, clock } = this.context;
    if (message.messageId) {
      const earlier = await findA2aTaskByMessage(db, target.workspaceId, message.messageId);
      if (earlier) return toA2aTask(await this.viewOf(principal, earlier));
    }
    const contextId = message.contextId || randomUUID();
    const assignees = target.agent ? [{ kind: 'agent' as const, id: target.agent.id }] : [];
    await this.dependencies.tasks.checkTaskAssignees(principal, assignees);
    const input = createTaskSchema.parse({
      title: titleOf(text),
      description: `${text}\n\n---\nSent over the Agent2Agent protocol (context ${contextId}). Answers on this thread go back to the sender.`,
      assignees,
    });
    const record = await db.transaction().execute(async (trx) => {
      const task = await this.dependencies.tasks.createTaskInTransaction(trx, principal, input);
      const row: A2aTaskRow = {
        task_id: task.id,
        workspace_id: target.workspaceId,
        agent_id: target.agent?.id ?? null,
        context_id: contextId,
        message_id: message.messageId || null,
        requester_kind: principal.kind,
        requester_id: principal.id,
        created_at: clock.now().toISOString(),
      };
      await insertA2aTask(trx, row);
      return row;
    });
    if (push?.url) await this.setPushConfig(target, { ...push, taskId: record.task_id });
    return toA2aTask(await this.viewOf(principal, record));
  }

  async getTask(principal: Principal, target: A2aTarget, taskId: string, historyLength?: number): Promise<A2aTask> {
    const record = await this.requireRecord(target, taskId);
    return toA2aTask(await this.viewOf(principal, record), historyLength);
  }

  /** The target's A2A tasks, newest first, optionally of one context or in one state. */
  async listTasks(principal: Principal, target: A2aTarget, request: ListTasksRequest): Promise<ListTasksResponse> {
    const pageSize = Math.min(Math.max(request.pageSize ?? defaultListPageSize, 1), maxListPageSize);
    const rows = await listA2aTasks(this.context.db, {
      workspaceId: target.workspaceId,
      agentId: target.agent?.id,
      contextId: request.contextId || undefined,
      after: decodePageToken(request.pageToken),
      limit: pageSize + 1,
    });
    const page = rows.slice(0, pageSize);
    const tasks: A2aTask[] = [];
    for (const row of page) {
      const task = toA2aTask(await this.viewOf(principal, row), request.historyLength ?? 0);
      if (request.status && task.status?.state !== request.status) continue;
      if (request.statusTimestampAfter && (task.status?.timestamp ?? '') <= request.statusTimestampAfter) continue;
      tasks.push(request.includeArtifacts ? task : { ...task, artifacts: [] });
    }
    const last = page.at(-1);
    return {
      tasks,
      nextPageToken: rows.length > pageSize && last ? encodePageToken(last) : '',
      pageSize,
      totalSize: tasks.length,
    };
  }

  async cancelTask(principal: Principal, target: A2aTarget, taskId: string): Promise<A2aTask> {
    const record = await this.requireRecord(target, taskId);
    const current = toA2aTask(await this.viewOf(principal, record), 0);
    if (current.status && isTerminalState(current.status.state)) {
      throw new TaskNotCancelableError(
        `The task has already ended (${String(current.metadata?.boardStatus)}); there is nothing to cancel.`,
      );
    }
    try {
      await this.dependencies.tasks.changeTaskStatus(
        principal,
        record.task_id,
        changeTaskStatusSchema.parse({ status: 'cancelled', reason: 'Cancelled by the sender over the Agent2Agent protocol' }),
      );
    } catch (error) {
      if (error instanceof AppError && error.code !== 'FORBIDDEN') throw new TaskNotCancelableError(error.message);
      throw error;
    }
    return toA2aTask(await this.viewOf(principal, record));
  }

  /**
   * The task now, then each change of its state, until it ends or waits on the requester: the
   * artifacts come just before the last status, so a client has them when the stream closes.
   */
  async *followTask(principal: Principal, target: A2aTarget, taskId: string, signal: AbortSignal): AsyncGenerator<StreamResponse> {
    const activity = this.activity;
    if (!activity) throw new RequestMalformedError('This server streams no tasks. Poll tasks/get instead.');
    const record = await this.requireRecord(target, taskId);
    // Listening starts before the first read, so a change between the read and the wait is not missed.
    const changes = waitForTaskActivity(activity, target.workspaceId, record.task_id, signal);
    try {
      let view = await this.viewOf(principal, record);
      let status = toA2aStatus(view);
      yield { payload: { $case: 'task', value: toA2aTask(view) } };
      while (!isTerminalState(status.state) && !isInterruptedState(status.state)) {
        if (!(await changes.next())) return;
        view = await this.viewOf(principal, record);
        const next = toA2aStatus(view);
        if (next.state === status.state) continue;
        status = next;
        if (isTerminalState(status.state)) {
          for (const artifact of toA2aArtifacts(view)) {
            yield {
              payload: {
                $case: 'artifactUpdate',
                value: {
                  taskId: record.task_id,
                  contextId: record.context_id,
                  artifact,
                  append: false,
                  lastChunk: true,
                  metadata: undefined,
                },
              },
            };
          }
        }
        yield {
          payload: { $case: 'statusUpdate', value: { taskId: record.task_id, contextId: record.context_id, status, metadata: undefined } },
        };
      }
    } finally {
      changes.stop();
    }
  }

  /**
   * Registers (or replaces, by its id) where a task's updates are pushed. The URL must be one the
   * outbound sender may call; the token and credentials are sealed and never shown again.
   */
  async setPushConfig(target: A2aTarget, config: TaskPushNotificationConfig): Promise<TaskPushNotificationConfig> {
    const record = await this.requireRecord(target, config.taskId);
    if (!config.url) throw new RequestMalformedError('A push notification config needs the url to post updates to.');
    await this.dependencies.outbound.checkTarget(config.url);
    const { db, clock } = this.context;
    const { sealSecret } = this.dependencies.outbound;
    const clientConfigId = config.id || createId();
    const scheme = config.authentication?.scheme || null;
    await upsertA2aPushConfig(db, {
      id: createId(),
      task_id: record.task_id,
      workspace_id: target.workspaceId,
      client_config_id: clientConfigId,
      url: config.url,
      sealed_token: config.token ? sealSecret(config.token) : null,
      authentication_scheme: scheme,
      sealed_credentials: scheme && config.authentication?.credentials ? sealSecret(config.authentication.credentials) : null,
      // Updates from now on: what happened before is in tasks/get.
      cursor_seq: await findLatestEventSeq(db),
      created_at: clock.now().toISOString(),
    });
    return this.getPushConfig(target, record.task_id, clientConfigId);
  }

  async getPushConfig(target: A2aTarget, taskId: string, configId: string): Promise<TaskPushNotificationConfig> {
    const record = await this.requireRecord(target, taskId);
    const row = await findA2aPushConfig(this.context.db, record.task_id, configId);
    if (!row)
      throw new TaskNotFoundError(
        `Task ${taskId} has no push notification config ${configId}. List them with ListTaskPushNotificationConfigs.`,
      );
    return toPushConfig(row);
  }

  async listPushConfigs(target: A2aTarget, taskId: string): Promise<ListTaskPushNotificationConfigsResponse> {
    const record = await this.requireRecord(target, taskId);
    const rows = await listA2aPushConfigs(this.context.db, record.task_id);
    return { configs: rows.map(toPushConfig), nextPageToken: '' };
  }

  async deletePushConfig(target: A2aTarget, taskId: string, configId: string): Promise<void> {
    const record = await this.requireRecord(target, taskId);
    if (!(await deleteA2aPushConfig(this.context.db, record.task_id, configId))) {
      throw new TaskNotFoundError(`Task ${taskId} has no push notification config ${configId}.`);
    }
  }

  /** A task as A2A shows it, read as the platform (for push notifications, where no caller waits). */
  async viewOfTask(workspaceId: string, taskId: string): Promise<A2aTaskView | undefined> {
    const record = await findA2aTask(this.context.db, workspaceId, taskId);
    return record ? this.viewOf(systemPrincipal(workspaceId), record) : undefined;
  }

  private async answerTask(principal: Principal, target: A2aTarget, taskId: string, text: string): Promise<A2aTask> {
    const record = await this.requireRecord(target, taskId);
    const view = await this.viewOf(principal, record);
    if (isTerminalState(toA2aStatus(view).state)) {
      throw new RequestMalformedError(
        `Task ${view.task.key} has ended (${view.task.status}); send a new message without taskId to start new work.`,
      );
    }
    // Mentioning the agent notifies it that the requester answered.
    const content = target.agent ? `@${target.agent.name} ${text}` : text;
    await this.dependencies.messages.postMessage(
      principal,
      record.task_id,
      postMessageSchema.parse({ content, type: view.task.status === 'blocked' ? 'answer' : 'comment' }),
    );
    return toA2aTask(await this.viewOf(principal, record));
  }

  private async requireRecord(target: A2aTarget, taskId: string): Promise<A2aTaskRow> {
    const record = await findA2aTask(this.context.db, target.workspaceId, taskId);
    if (!record || record.agent_id !== (target.agent?.id ?? null)) {
      throw new TaskNotFoundError(`No A2A task ${taskId} here. Tasks are found at the endpoint they were sent to.`);
    }
    return record;
  }

  private async viewOf(principal: Principal, record: A2aTaskRow): Promise<A2aTaskView> {
    const { tasks, messages, documents } = this.dependencies;
    const task = await tasks.getTask(principal, record.task_id);
    const thread = await messages.listMessages(principal, record.task_id, listMessagesQuerySchema.parse({ limit: 200 }));
    const linked = await documents.listDocuments(principal, listDocumentsQuerySchema.parse({ taskId: record.task_id, limit: 50 }));
    const contents = [];
    for (const summary of linked.data) contents.push(await documents.getDocument(principal, summary.id));
    return {
      task,
      contextId: record.context_id,
      requester: { kind: record.requester_kind, id: record.requester_id },
      messages: thread.data,
      documents: contents,
    };
  }
}
