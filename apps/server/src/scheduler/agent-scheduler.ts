import { randomUUID } from 'node:crypto';
import type { RunTrigger } from '@mission-control/contracts';
import type { AgentTool } from '@mission-control/mcp';
import { createLanguageModel, runAgentTurn, type TurnRecord } from '@mission-control/runtime';
import { type FetchFunction, MissionControl } from '@mission-control/sdk';
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../core/service-context.js';
import { inProcessOrigin } from '../http/inject-fetch.js';
import type { AgentRunService } from '../modules/agent-runtime/agent-run.service.js';
import type { AgentRuntimeRow, AgentRuntimeSettingsService } from '../modules/agent-runtime/agent-runtime-settings.service.js';
import type { AgentUsageService } from '../modules/agent-runtime/agent-usage.service.js';
import { type ModelSettings, resolveModelConnection } from '../modules/agent-runtime/model-connections.js';
import type { AgentService } from '../modules/agents/agent.service.js';
import type { HeartbeatService } from '../modules/heartbeats/heartbeat.service.js';
import type { Tracing } from '../tracing/tracing.js';
import { fingerprintWork, type SchedulerSettings, schedulerDefaults } from './agent-scheduler-settings.js';

export interface AgentSchedulerOptions {
  context: ServiceContext;
  heartbeats: HeartbeatService;
  agents: AgentService;
  agentRuntimeSettings: AgentRuntimeSettingsService;
  agentRuns: AgentRunService;
  agentUsage: AgentUsageService;
  /** Answers the API in-process (createInjectFetch); built-in agents go through the same routes as everyone. */
  apiFetch: FetchFunction;
  models: ModelSettings;
  /** Names this instance in runner leases. */
  instanceId?: string;
  /** The providers' HTTP calls (tests point them at a scripted server; the global fetch by default). */
  modelFetch?: typeof globalThis.fetch;
  /** Tools beyond the shared set, by agent kind (the lead's and the reviewer's). */
  extraTools?: (client: MissionControl, agent: { id: string; kind: string }) => AgentTool[];
  fetchAllowedHosts?: readonly string[];
  random?: () => number;
  onError?: (error: unknown, agentId: string | null) => void;
  settings?: Partial<SchedulerSettings>;
  /** A span per turn, with the model calls under it, when tracing is on. */
  tracing?: Tracing | undefined;
}

/** What one scheduler did since it started; modelCalls is what an idle squad must keep at zero. */
export interface SchedulerStats {
  ticks: number;
  checks: number;
  turns: number;
  modelCalls: number;
  /** Ticks whose heartbeat showed work the last turn had already seen. */
  unchangedWork: number;
}

/**
 * Wakes built-in agents. Each tick takes the agents whose next run is due, performs their
 * heartbeat (no model involved) and runs a turn only when the answer shows work the agent has not
 * already had a turn for, or when someone pressed "wake now". Safe on several instances: an
 * agent is handled only under its runner lease (a conditional update with an expiry), so two
 * turns of one agent never overlap. The next run time lives in the database, so restarts lose
 * nothing, and missed ticks coalesce into one (the next run is set from now, not from the missed time).
 */
export class AgentScheduler {
  readonly stats: SchedulerStats = { ticks: 0, checks: 0, turns: 0, modelCalls: 0, unchangedWork: 0 };
  readonly instanceId: string;
  private readonly settings: SchedulerSettings;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | undefined;

  constructor(private readonly options: AgentSchedulerOptions) {
    this.instanceId = options.instanceId ?? `instance-${randomUUID()}`;
    this.settings = { ...schedulerDefaults, ...options.settings };
  }

  private now(): Date {
    return this.options.context.clock.now();
  }

  private at(offsetMs: number): string {
    return new Date(this.now().getTime() + offsetMs).toISOString();
  }

  /** Handles every due agent once; answers how many it checked. Never overlaps itself. */
  tick(): Promise<number> {
    this.ticking ??= this.tickOnce().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async tickOnce(): Promise<number> {
    this.stats.ticks += 1;
    const { agentRuntimeSettings } = this.options;
    const tickStart = this.now();
    // One statement leases every due agent; the quiet ones are given back together at the end.
    const leased = await agentRuntimeSettings.acquireDueRunnerLeases(
      this.instanceId,
      tickStart.toISOString(),
      this.at(this.settings.checkLeaseMs),
      this.settings.batchSize,
    );
    const quiet = new Map<string, { nextRunAt: string; clearFingerprint: boolean; agentIds: string[] }>();
    for (const row of leased) {
      this.stats.checks += 1;
      try {
        const outcome = await this.checkAgent(row);
        if (outcome) {
          const nextRunAt = new Date(tickStart.getTime() + outcome.intervalMs).toISOString();
          const key = `${nextRunAt}|${outcome.clearFingerprint}`;
          const group = quiet.get(key) ?? { nextRunAt, clearFingerprint: outcome.clearFingerprint, agentIds: [] };
          group.agentIds.push(row.agent_id);
          quiet.set(key, group);
        }
      } catch (error) {
        this.options.onError?.(error, row.agent_id);
      }
    }
    for (const group of quiet.values()) {
      await agentRuntimeSettings.releaseRunnerLeases(group.agentIds, this.instanceId, {
        next_run_at: group.nextRunAt,
        updated_at: tickStart.toISOString(),
        ...(group.clearFingerprint ? { work_fingerprint: null } : {}),
      });
    }
    return leased.length;
  }

  /** Waits for every turn in progress. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /**
   * Checks one leased agent. Answers how to give the lease back when the agent is quiet (batched by
   * the tick), or null when the lease was already given back or passed to a turn.
   */
  private async checkAgent(row: AgentRuntimeRow): Promise<{ intervalMs: number; clearFingerprint: boolean } | null> {
    const { agentRuntimeSettings, agentUsage } = this.options;
    const holder = this.instanceId;
    const { workspace_id: workspaceId, agent_id: agentId } = row;
    let interval = 60_000;
    try {
      const principal: Principal = { kind: 'agent', id: agentId, workspaceId, role: 'agent', sessionId: null };
      const beat = await this.options.heartbeats.heartbeat(principal, agentId, {});
      interval = beat.agent.heartbeatIntervalSeconds * 1_000;
      const woken = row.wake_requested_at !== null;
      const fingerprint = fingerprintWork(beat);
      const idle = { next_run_at: this.at(interval), updated_at: this.now().toISOString() };
      if (!woken && !beat.hasWork) {
        // A budget stop shows until the limit is raised or the month turns, work or not.
        const stillStopped = row.state === 'budget-exhausted' && (await agentUsage.findBudgetStop(workspaceId, agentId)) !== null;
        const settled = stillStopped
          ? 'budget-exhausted'
          : row.state === 'running' || row.state === 'budget-exhausted' || row.state === 'unconfigured'
            ? 'idle'
            : row.state;
        if (settled === row.state) return { intervalMs: interval, clearFingerprint: row.work_fingerprint !== null };
        await agentRuntimeSettings.releaseRunnerLease(agentId, holder, { ...idle, work_fingerprint: null, state: settled });
        return null;
      }
      if (!woken && fingerprint === row.work_fingerprint) {
        this.stats.unchangedWork += 1;
        return { intervalMs: interval, clearFingerprint: false };
      }
      if (this.running.size >= this.settings.maxConcurrentTurns) {
        // Stays due: the next tick (here or on another instance) takes it.
        await agentRuntimeSettings.releaseRunnerLease(agentId, holder, {});
        return null;
      }
      const budgetStop = await agentUsage.findBudgetStop(workspaceId, agentId);
      if (budgetStop) {
        await agentRuntimeSettings.releaseRunnerLease(agentId, holder, {
          ...idle,
          state: 'budget-exhausted',
          last_error: budgetStop,
          wake_requested_at: null,
        });
        return null;
      }
      const connection = resolveModelConnection(row, this.options.models, this.options.modelFetch);
      if (!connection) {
        await agentRuntimeSettings.releaseRunnerLease(agentId, holder, {
          ...idle,
          state: 'unconfigured',
          last_error: "No model is configured: set MISSION_LLM_BASE_URL and MISSION_LLM_MODEL, or a provider key and the agent's model.",
          wake_requested_at: null,
        });
        return null;
      }
      await agentRuntimeSettings.startTurnUnderLease(agentId, holder, this.at(this.settings.turnLeaseMs));
      const trigger = woken ? 'wake' : 'schedule';
      const turn = {
        workspaceId,
        agentId,
        agentName: beat.agent.name,
        agentKind: beat.agent.kind,
        interval,
        trigger,
        taskId: row.wake_task_id,
        row,
        connection,
      } as const;
      const tracing = this.options.tracing;
      const run = (tracing ? tracing.traceAgentTurn(turn, () => this.runTurn(turn)) : this.runTurn(turn))
        .catch((error: unknown) => this.options.onError?.(error, agentId))
        .finally(() => this.running.delete(run));
      this.running.add(run);
      return null;
    } catch (error) {
      await agentRuntimeSettings
        .releaseRunnerLease(agentId, holder, {
          next_run_at: this.at(interval),
          last_error: error instanceof Error ? error.message.slice(0, 2_000) : String(error),
        })
        .catch(() => {});
      throw error;
    }
  }

  private async runTurn(turn: {
    workspaceId: string;
    agentId: string;
    agentName: string;
    agentKind: string;
    interval: number;
    trigger: RunTrigger;
    taskId: string | null;
    row: AgentRuntimeRow;
    connection: NonNullable<ReturnType<typeof resolveModelConnection>>;
  }): Promise<void> {
    const { agentRuntimeSettings, agentRuns, agentUsage } = this.options;
    const holder = this.instanceId;
    this.stats.turns += 1;
    let record: TurnRecord | undefined;
    let leaseRenewedAt = this.now().getTime();
    try {
      const credential = await agentRuntimeSettings.obtainAgentCredential(turn.workspaceId, turn.agentId);
      const client = new MissionControl({
        baseUrl: inProcessOrigin,
        apiKey: credential,
        fetch: this.options.apiFetch,
        retry: { retries: 0 },
      });
      const runId = await agentRuns.startRun({
        workspaceId: turn.workspaceId,
        agentId: turn.agentId,
        agentName: turn.agentName,
        taskId: turn.taskId,
        trigger: turn.trigger,
        provider: turn.connection.provider,
        model: turn.connection.model,
      });
      const run = { id: runId, workspaceId: turn.workspaceId, agentId: turn.agentId, agentName: turn.agentName, taskId: turn.taskId };
      // A repository to work in: file and command tools over the task's worktree, committed at the end of the turn.
      const workspace = await agentRuntimeSettings.resolveTurnWorkspace(turn.row);
      record = await runAgentTurn({
        client,
        agentId: turn.agentId,
        model: createLanguageModel(turn.connection),
        provider: turn.connection.provider,
        modelName: turn.connection.model,
        ...(this.options.tracing ? { telemetry: this.options.tracing.modelTelemetry } : {}),
        instructions: turn.row.instructions,
        temperature: turn.row.temperature,
        stepLimit: turn.row.step_limit,
        trigger: turn.trigger,
        taskId: turn.taskId,
        fetchUrl: { allowedPrivateHosts: this.options.fetchAllowedHosts ?? [] },
        workspace,
        ...(this.options.extraTools
          ? { extraTools: () => this.options.extraTools?.(client, { id: turn.agentId, kind: turn.agentKind }) ?? [] }
          : {}),
        now: () => this.now(),
        onStep: async (step) => {
          await agentRuns.recordStep(run, step);
          // A long turn keeps its lease: no other instance may start a second turn of this agent meanwhile.
          if (this.now().getTime() - leaseRenewedAt > this.settings.turnLeaseMs / 3) {
            leaseRenewedAt = this.now().getTime();
            await agentRuntimeSettings.renewRunnerLease(turn.agentId, holder, this.at(this.settings.turnLeaseMs));
          }
        },
      });
      this.stats.modelCalls += record.modelCalls;
      await agentRuns.finishRun(run, record);
      await agentUsage.announceBudgets(turn.workspaceId, turn.agentId);
    } catch (error) {
      record = undefined;
      await this.recordFailure(turn, error instanceof Error ? error.message : String(error));
      throw error;
    }
    if (record.outcome === 'failed') {
      await this.recordFailure(turn, record.error ?? 'the model call failed');
      return;
    }
    // What the agent's work looks like after its turn: the next tick runs another turn only if it changes.
    const principal: Principal = { kind: 'agent', id: turn.agentId, workspaceId: turn.workspaceId, role: 'agent', sessionId: null };
    const after = await this.options.heartbeats.heartbeat(principal, turn.agentId, {});
    const wasFailing = turn.row.failures >= this.settings.failuresBeforeBlocked;
    await agentRuntimeSettings.releaseRunnerLease(turn.agentId, holder, {
      state: 'idle',
      failures: 0,
      backoff_until: null,
      last_error: null,
      last_run_at: this.now().toISOString(),
      next_run_at: this.at(turn.interval),
      // A turn cut by the step limit has more to do: leave the fingerprint empty so it continues.
      work_fingerprint: record.outcome === 'completed' ? fingerprintWork(after) : null,
      updated_at: this.now().toISOString(),
    });
    if (wasFailing) await this.setAgentStatus(turn, 'idle', 'its turns work again');
  }

  /** Backs off exponentially with jitter; after several failures in a row the agent shows as blocked with the error. */
  private async recordFailure(turn: { workspaceId: string; agentId: string; interval: number; row: { failures: number } }, error: string) {
    const failures = turn.row.failures + 1;
    const delay = Math.min(this.settings.backoffBaseMs * 2 ** (failures - 1), this.settings.backoffMaxMs);
    const jittered = Math.round(delay / 2 + (this.options.random ?? Math.random)() * (delay / 2));
    const until = this.at(jittered);
    const failing = failures >= this.settings.failuresBeforeBlocked;
    await this.options.agentRuntimeSettings.releaseRunnerLease(turn.agentId, this.instanceId, {
      failures,
      state: failing ? 'failing' : 'backing-off',
      last_error: error.slice(0, 2_000),
      backoff_until: until,
      next_run_at: until,
      last_run_at: this.now().toISOString(),
      updated_at: this.now().toISOString(),
    });
    if (failures === this.settings.failuresBeforeBlocked)
      await this.setAgentStatus(turn, 'blocked', `its turns keep failing: ${error.slice(0, 200)}`);
  }

  private async setAgentStatus(
    turn: { workspaceId: string; agentId: string; interval: number },
    status: 'idle' | 'blocked',
    reason: string,
  ) {
    const principal: Principal = { kind: 'agent', id: turn.agentId, workspaceId: turn.workspaceId, role: 'agent', sessionId: null };
    const now = this.now();
    await this.options.agents.recordPresence(principal, turn.agentId, {
      status,
      at: now,
      deadline: new Date(now.getTime() + turn.interval * 3),
      reason,
    });
  }

  /** Ticks on a timer until stopped. */
  start(tickMs: number = this.settings.tickMs): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.options.onError?.(error, null));
    }, tickMs);
    this.timer.unref();
  }

  /** Stops ticking and waits for the turns in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.drain();
  }
}

/** Builds the scheduler of a running server from its configuration: the API answers in-process, keys come from config. */
export function createServerAgentScheduler(options: {
  services: Pick<AgentSchedulerOptions, 'heartbeats' | 'agents' | 'agentRuntimeSettings' | 'agentRuns' | 'agentUsage'> & {
    context: ServiceContext;
  };
  apiFetch: FetchFunction;
  config: { models: ModelSettings; scheduler: { tickMs: number; maxConcurrentTurns: number }; fetchAllowedHosts: readonly string[] };
  onError?: AgentSchedulerOptions['onError'];
  extraTools?: AgentSchedulerOptions['extraTools'];
  tracing?: Tracing | undefined;
}): AgentScheduler {
  const { services, config } = options;
  return new AgentScheduler({
    context: services.context,
    heartbeats: services.heartbeats,
    agents: services.agents,
    agentRuntimeSettings: services.agentRuntimeSettings,
    agentRuns: services.agentRuns,
    agentUsage: services.agentUsage,
    apiFetch: options.apiFetch,
    models: config.models,
    fetchAllowedHosts: config.fetchAllowedHosts,
    settings: { tickMs: config.scheduler.tickMs, maxConcurrentTurns: config.scheduler.maxConcurrentTurns },
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.extraTools ? { extraTools: options.extraTools } : {}),
    tracing: options.tracing,
  });
}
