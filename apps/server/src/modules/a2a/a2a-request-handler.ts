import type {
  AgentCard,
  CancelTaskRequest,
  DeleteTaskPushNotificationConfigRequest,
  GetTaskPushNotificationConfigRequest,
  GetTaskRequest,
  ListTaskPushNotificationConfigsRequest,
  ListTaskPushNotificationConfigsResponse,
  ListTasksRequest,
  ListTasksResponse,
  Message,
  SendMessageRequest,
  StreamResponse,
  SubscribeToTaskRequest,
  Task,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import { A2AError, ExtendedAgentCardNotConfiguredError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import type { Principal } from '../../auth/principal.js';
import { AppError } from '../../http/app-error.js';
import type { A2aService, A2aTarget } from './a2a.service.js';

/**
 * Our errors in A2A's terms: what was not found is TaskNotFound; other refusals keep their
 * message; anything unexpected is logged and answered without its details.
 */
function toA2aError(error: unknown, log: (error: unknown) => void): Error {
  if (error instanceof A2AError) return error;
  if (error instanceof AppError) return error.code.endsWith('_NOT_FOUND') ? new TaskNotFoundError(error.message) : new Error(error.message);
  log(error);
  return new Error('Something went wrong on the server. Try again; if it keeps failing, the server log has the details.');
}

/** One request's A2A handler: the caller and the agent (or workspace) it addressed, over the A2A service. */
export class BoardA2aRequestHandler implements A2ARequestHandler {
  constructor(
    private readonly service: A2aService,
    private readonly principal: Principal,
    private readonly target: A2aTarget,
    private readonly card: AgentCard,
    /** Aborted when the client goes away, which ends its streams. */
    private readonly signal: AbortSignal,
    private readonly log: (error: unknown) => void,
  ) {}

  async getAgentCard(): Promise<AgentCard> {
    return this.card;
  }

  async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    throw new ExtendedAgentCardNotConfiguredError('This agent has no extended card; its public card says everything.');
  }

  async sendMessage(params: SendMessageRequest): Promise<Message | Task> {
    return this.guard(() => this.service.sendMessage(this.principal, this.target, params));
  }

  async *sendMessageStream(params: SendMessageRequest): AsyncGenerator<StreamResponse, void, undefined> {
    const task = await this.guard(() => this.service.sendMessage(this.principal, this.target, params));
    yield* this.follow(task.id);
  }

  async getTask(params: GetTaskRequest): Promise<Task> {
    return this.guard(() => this.service.getTask(this.principal, this.target, params.id, params.historyLength));
  }

  async listTasks(params: ListTasksRequest): Promise<ListTasksResponse> {
    return this.guard(() => this.service.listTasks(this.principal, this.target, params));
  }

  async cancelTask(params: CancelTaskRequest): Promise<Task> {
    return this.guard(() => this.service.cancelTask(this.principal, this.target, params.id));
  }

  async *resubscribe(params: SubscribeToTaskRequest): AsyncGenerator<StreamResponse, void, undefined> {
    yield* this.follow(params.id);
  }

  async createTaskPushNotificationConfig(params: TaskPushNotificationConfig): Promise<TaskPushNotificationConfig> {
    return this.guard(() => this.service.setPushConfig(this.target, params));
  }

  async getTaskPushNotificationConfig(params: GetTaskPushNotificationConfigRequest): Promise<TaskPushNotificationConfig> {
    return this.guard(() => this.service.getPushConfig(this.target, params.taskId, params.id));
  }

  async listTaskPushNotificationConfigs(params: ListTaskPushNotificationConfigsRequest): Promise<ListTaskPushNotificationConfigsResponse> {
    return this.guard(() => this.service.listPushConfigs(this.target, params.taskId));
  }

  async deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest): Promise<void> {
    return this.guard(() => this.service.deletePushConfig(this.target, params.taskId, params.id));
  }

  private async *follow(taskId: string): AsyncGenerator<StreamResponse, void, undefined> {
    try {
      yield* this.service.followTask(this.principal, this.target, taskId, this.signal);
    } catch (error) {
      throw toA2aError(error, this.log);
    }
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toA2aError(error, this.log);
    }
  }
}
