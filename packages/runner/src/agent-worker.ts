import type { Activity, Agent, HeartbeatResponse, Runner, RunnerAdapter } from '@mission-control/contracts';
import { isMissionControlError, MissionControl, type Unsubscribe } from '@mission-control/sdk';
import { type Adapter, adapters, findExecutable } from './adapters/index.js';
import type { RunnerAgentOptions, RunnerOptions } from './runner-options.js';
import { TaskWork, type TaskWorkResult } from './task-work.js';

/** What an agent's worker shares with the runner that holds it. */
export interface WorkerHost {
  options: RunnerOptions;
  repository: string;
  toolEnvironment: Record<string, string>;
  runnerId(): string;
  /** Whether the runner has room for one more run (its concurrency across agents). */
  hasRoom(): boolean;
  /** Something changed: look for work now rather than at the next poll. */
  wake(): void;
  log(line: string): void;
}

const maxBackoffMs = 30 * 60_000;
const budgetPauseMs = 60_000;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One agent of a runner: its key, its claims and the work running on them. */
export class AgentWorker {
  readonly client: MissionControl;
  readonly adapter: Adapter;
  agent: Agent | undefined;
  readonly active = new Map<string, TaskWork>();
  /** Claims made by this worker (for --once). */
  claims = 0;
  private failures = 0;
  private pausedUntil = 0;
  private unsubscribe: Unsubscribe | undefined;
  private nothingWaiting = false;

  constructor(
    private readonly host: WorkerHost,
    readonly settings: RunnerAgentOptions,
  ) {
    this.client = new MissionControl({ baseUrl: host.options.serverUrl, apiKey: settings.apiKey });
    this.adapter = adapters[settings.adapter];
  }

  private log(line: string): void {
    this.host.log(`[${this.agent?.name ?? this.settings.agent ?? 'agent'}] ${line}`);
  }

  /** Checks the key, the agent it belongs to and that the adapter's CLI can be found. */
  async prepare(): Promise<Agent> {
    const me = await this.client.auth.me();
    if (me.kind !== 'agent') throw new Error('The runner needs an agent API key (mc_…), not a person’s credential.');
    const agent = await this.client.agents.get(me.agent.id);
    const wanted = this.settings.agent;
    if (wanted && wanted !== agent.id && wanted.toLowerCase() !== agent.name.toLowerCase()) {
      throw new Error(`The API key belongs to agent ${agent.name}, not to "${wanted}". Give that agent's key.`);
    }
    const executable = this.settings.command?.[0] ?? (this.adapter.name === 'process' ? undefined : this.adapter.executable);
    if (!executable) throw new Error(`The process adapter of ${agent.name} needs --command "<program> <arguments>…".`);
    if (!findExecutable(executable, this.host.options.environment.PATH ?? '')) {
      throw new Error(`${executable} is not on the PATH: install ${this.adapter.name}'s CLI or pass --command with its full path.`);
    }
    this.agent = agent;
    return agent;
  }

  /** Registers this agent with the runner (the runner key groups the agents). */
  register(runnerKey: string, name: string, host: string, found: RunnerAdapter[]): Promise<Runner> {
    return this.client.runners.register({
      runnerKey,
      name,
      host,
      version: this.host.options.version,
      adapters: found,
      concurrency: this.host.options.concurrency,
      heartbeatIntervalSeconds: this.host.options.heartbeatIntervalSeconds,
      adapter: this.adapter.name,
    });
  }

  /** Follows the agent's stream: cancels reach the run at once, and news wakes the claim loop. */
  subscribe(): void {
    const agent = this.agent;
    if (!agent) return;
    this.unsubscribe = this.client.events.subscribe({
      agentId: agent.id,
      onEvent: (activity: Activity) => {
        if (activity.type === 'run-cancel-requested') {
          this.cancelRun(activity.data.runId);
          return;
        }
        if (activity.type === 'task-status-changed' || activity.type === 'task-assigned' || activity.type === 'message-posted') {
          this.nothingWaiting = false;
          this.host.wake();
        }
      },
      onError: (error, state) => {
        if (!state.willReconnect) this.log(`the event stream stopped: ${error.message}`);
      },
    });
  }

  /** Stops a run of this worker, if it is one. */
  cancelRun(runId: string): boolean {
    for (const work of this.active.values()) {
      if (work.runId === runId) {
        this.log(`cancel requested for run ${runId}`);
        work.abort('cancelled');
        return true;
      }
    }
    return false;
  }

  /**
   * The agent's heartbeat: keeps it online and its leases renewed; a task whose lease is no
   * longer listed was lost (expired, or taken back), so its run stops.
   */
  async heartbeat(): Promise<HeartbeatResponse | undefined> {
    const agent = this.agent;
    if (!agent) return undefined;
    const busy = [...this.active.values()][0];
    let answer: HeartbeatResponse;
    try {
      answer = await this.client.agents.heartbeat({
        agentId: agent.id,
        status: busy ? 'active' : 'idle',
        currentTaskId: busy?.taskId ?? null,
      });
    } catch (error) {
      this.log(`heartbeat failed: ${describeError(error)}`);
      return undefined;
    }
    const held = new Set(answer.leases.map((lease) => lease.taskId));
    for (const work of this.active.values()) {
      if (!held.has(work.taskId)) {
        this.log(`lost the lease on task ${work.taskId}; stopping its run`);
        work.abort('lease-lost');
      }
    }
    await this.reopenMentionedReviews(answer);
    return answer;
  }

  /**
   * An @mention on a task of this agent that waits in review is a request for more work: the
   * task goes back to in progress, and the next claim resumes the CLI's session on it.
   */
  private async reopenMentionedReviews(answer: HeartbeatResponse): Promise<void> {
    const inReview = new Map(answer.assignedTasks.filter((task) => task.status === 'review').map((task) => [task.id, task]));
    for (const notification of answer.notifications.latest) {
      if (notification.readAt || notification.reason !== 'mentioned' || !notification.taskId) continue;
      const task = inReview.get(notification.taskId);
      if (!task) continue;
      try {
        await this.client.tasks.updateStatus(task.id, { status: 'in_progress', reason: 'mentioned while in review: a follow-up run' });
        await this.client.notifications.markRead(notification.id);
        inReview.delete(task.id);
        this.nothingWaiting = false;
      } catch (error) {
        this.log(`reopening ${task.key} failed: ${describeError(error)}`);
      }
    }
  }

  /** Whether this worker may claim now: room in the runner, under its agent's limit, not paused, not done (--once). */
  canClaim(): boolean {
    if (!this.agent || Date.now() < this.pausedUntil || !this.host.hasRoom()) return false;
    if (this.active.size >= this.agent.concurrencyLimit) return false;
    if (this.host.options.once && this.claims > 0) return false;
    return !this.nothingWaiting;
  }

  /** Claims the agent's next task (its own first) and starts working on it; false when nothing waits. */
  async claimNext(): Promise<boolean> {
    if (!this.canClaim()) return false;
    let claim: Awaited<ReturnType<MissionControl['tasks']['claimNext']>>;
    try {
      claim = await this.client.tasks.claimNext({ leaseSeconds: this.host.options.leaseSeconds });
    } catch (error) {
      if (isMissionControlError(error) && error.code === 'AGENT_AT_CAPACITY') return false;
      this.log(`claiming failed: ${describeError(error)}`);
      return false;
    }
    if (!claim) {
      // Until an event says otherwise (or the next poll), there is nothing to claim.
      this.nothingWaiting = true;
      return false;
    }
    if (this.active.has(claim.task.id)) return false;
    this.claims += 1;
    this.log(`claimed ${claim.task.key} "${claim.task.title}"`);
    const agent = this.agent;
    if (!agent) return false;
    const work = new TaskWork(
      {
        client: this.client,
        agent,
        agentOptions: this.settings,
        adapter: this.adapter,
        runnerId: this.host.runnerId(),
        options: this.host.options,
        repository: this.host.repository,
        toolEnvironment: this.host.toolEnvironment,
        log: (line) => this.log(line),
      },
      claim,
    );
    this.active.set(claim.task.id, work);
    void work.done.then((result) => this.settle(claim.task.key, claim.task.id, result));
    return true;
  }

  private settle(key: string, taskId: string, result: TaskWorkResult): void {
    this.active.delete(taskId);
    this.log(`${key}: ${result}`);
    if (result === 'failed') {
      // Backoff as for built-in agents: 30 s × 2^(n−1), capped at 30 min, with jitter in [½, 1].
      this.failures += 1;
      const base = Math.min(maxBackoffMs, this.host.options.failureBackoffMs * 2 ** (this.failures - 1));
      this.pausedUntil = Date.now() + base * (0.5 + Math.random() / 2);
    } else if (result === 'budget-exhausted') {
      this.pausedUntil = Date.now() + budgetPauseMs;
    } else if (result !== 'shutdown' && result !== 'lease-lost') {
      this.failures = 0;
    }
    this.nothingWaiting = false;
    this.host.wake();
  }

  /** With --once: this agent claimed its one task and finished it, or found nothing to claim. */
  isDoneOnce(): boolean {
    return this.claims > 0 ? this.active.size === 0 : this.nothingWaiting;
  }

  /** Polls again after the interval even when the stream was quiet. */
  forgetIdle(): void {
    this.nothingWaiting = false;
  }

  /** Stops following the stream. */
  close(): void {
    this.unsubscribe?.();
  }
}
