import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Runner } from '@mission-control/contracts';
import { z } from 'zod';
import { detectAdapters } from './adapters/index.js';
import { AgentWorker, type WorkerHost } from './agent-worker.js';
import { buildToolEnvironment } from './cli-environment.js';
import { excludeMissionDirectory, findRepositoryRoot } from './git.js';
import type { RunnerOptions } from './runner-options.js';

const stateFileSchema = z.object({ runnerKey: z.string().min(16) });

/** The runner's key, generated once and kept in its state directory, so a restart is the same runner. */
function loadRunnerKey(directory: string): string {
  const file = path.join(directory, 'runner.json');
  try {
    const parsed = stateFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data.runnerKey;
  } catch {
    // first start, or an unreadable file: make a new key
  }
  const runnerKey = randomBytes(24).toString('base64url');
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ runnerKey }, null, 2)}\n`, { mode: 0o600 });
  return runnerKey;
}

/**
 * `mission runner`: registers its agents, heartbeats as them, claims their work, and drives the
 * agent CLIs on it until stopped (or, with `once`, until each agent finished one task).
 */
export class MissionRunner {
  readonly workers: AgentWorker[];
  runner: Runner | undefined;
  /** Resolves when the runner has stopped (after `stop`, or by itself with `once`). */
  readonly finished: Promise<void>;
  private resolveFinished: () => void = () => undefined;
  private stopping = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private looking = false;
  private lookAgain = false;
  private repository = '';
  private readonly host: WorkerHost;

  constructor(readonly options: RunnerOptions) {
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    const toolEnvironment = buildToolEnvironment(options.environment, options.passEnvironment);
    this.host = {
      options,
      repository: '',
      toolEnvironment,
      runnerId: () => this.runner?.id ?? '',
      hasRoom: () => !this.stopping && this.activeCount() < options.concurrency,
      wake: () => this.lookForWork(),
      log: options.log,
    };
    this.workers = options.agents.map((agent) => new AgentWorker(this.host, agent));
  }

  /** Runs started and not finished, across agents. */
  activeCount(): number {
    return this.workers.reduce((sum, worker) => sum + worker.active.size, 0);
  }

  /** Checks the repository, the keys and the CLIs, registers, then starts heartbeats and claims. */
  async start(): Promise<Runner> {
    const toolEnvironment = this.host.toolEnvironment;
    this.repository = await findRepositoryRoot(this.options.workdir, toolEnvironment).catch(() => {
      throw new Error(`${this.options.workdir} is not a git repository: pass --workdir with the repository the agents work on.`);
    });
    this.host.repository = this.repository;
    await excludeMissionDirectory(this.repository, toolEnvironment);
    const agents = [];
    for (const worker of this.workers) agents.push(await worker.prepare());
    const runnerKey = loadRunnerKey(this.options.stateDirectory ?? path.join(this.repository, '.mission'));
    const found = await detectAdapters(
      Object.fromEntries(Object.entries(this.options.environment).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    );
    const name = this.options.name ?? `${os.hostname()}: ${path.basename(this.repository)}`;
    for (const worker of this.workers) this.runner = await worker.register(runnerKey, name, os.hostname(), found);
    const runner = this.runner;
    if (!runner) throw new Error('The runner has no agent: give --agent and --adapter, or agents in mission-runner.yaml.');
    this.options.log(
      `runner ${runner.name} (${runner.id}) works for ${agents.map((agent) => agent.name).join(', ')} in ${this.repository}; adapters: ${found.map((adapter) => `${adapter.name}${adapter.version ? ` ${adapter.version}` : ''}`).join(', ')}`,
    );
    for (const worker of this.workers) worker.subscribe();
    await this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.heartbeatIntervalMs());
    this.pollTimer = setInterval(() => {
      for (const worker of this.workers) worker.forgetIdle();
      this.lookForWork();
    }, this.options.pollIntervalMs);
    this.lookForWork();
    return runner;
  }

  /** Heartbeats often enough to renew leases at half term and to hear cancels within the interval. */
  private heartbeatIntervalMs(): number {
    const agentIntervals = this.workers.map((worker) => (worker.agent?.heartbeatIntervalSeconds ?? 60) * 1000);
    return Math.max(500, Math.min(this.options.heartbeatIntervalSeconds * 1000, (this.options.leaseSeconds * 1000) / 3, ...agentIntervals));
  }

  private async heartbeat(): Promise<void> {
    if (this.stopping) return;
    await Promise.all(this.workers.map((worker) => worker.heartbeat()));
    const runner = this.runner;
    const first = this.workers[0];
    if (!runner || !first) return;
    const runningRunIds = this.workers
      .flatMap((worker) => [...worker.active.values()].map((work) => work.runId))
      .filter((id): id is string => id !== null);
    try {
      const answer = await first.client.runners.heartbeat(runner.id, { runningRunIds });
      for (const runId of answer.cancelRunIds) for (const worker of this.workers) worker.cancelRun(runId);
    } catch (error) {
      this.options.log(`runner heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Claims for every agent with room, one claim at a time; with `once`, finishes when all is done. */
  lookForWork(): void {
    if (this.stopping) return;
    if (this.looking) {
      this.lookAgain = true;
      return;
    }
    this.looking = true;
    void (async () => {
      try {
        do {
          this.lookAgain = false;
          for (const worker of this.workers) {
            while (!this.stopping && (await worker.claimNext())) {
              // claimed one; see whether there is room for another
            }
          }
        } while (this.lookAgain && !this.stopping);
      } finally {
        this.looking = false;
      }
      if (this.options.once && this.activeCount() === 0 && this.workers.every((worker) => worker.isDoneOnce())) {
        await this.stop('done');
      }
    })();
  }

  /**
   * Stops: no more claims, running CLIs are killed and their runs recorded cancelled, and their
   * leases released so the tasks go back to the board at once.
   */
  async stop(reason = 'stopped'): Promise<void> {
    if (this.stopping) return this.finished;
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearInterval(this.heartbeatTimer);
    const works = this.workers.flatMap((worker) => [...worker.active.values()]);
    if (works.length > 0) this.options.log(`stopping (${reason}): cancelling ${works.length} run(s) and releasing their tasks`);
    for (const work of works) work.abort('shutdown');
    await Promise.all(works.map((work) => work.done));
    for (const worker of this.workers) worker.close();
    this.resolveFinished();
    return this.finished;
  }
}
