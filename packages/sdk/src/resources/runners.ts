import { endpoints, type Runner, type RunnerHeartbeatResponse } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `runners.register` takes. */
export type RegisterRunnerOptions = z.input<typeof endpoints.registerRunner.body>;

/** Filters and page size of `runners.list`. */
export type ListRunnersOptions = Omit<z.input<typeof endpoints.listRunners.query>, 'cursor'>;

/** `mission runner` processes: registration, heartbeats, live state (`/runners`). */
export class RunnersResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.runners`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Registers the calling agent with a runner (created on its first registration). */
  register(input: RegisterRunnerOptions): Promise<Runner> {
    return this.context.transport.call(endpoints.registerRunner, { body: input });
  }

  /** Keeps a runner online; answers the runs to cancel. */
  heartbeat(runnerId: string, input: z.input<typeof endpoints.heartbeatRunner.body> = {}): Promise<RunnerHeartbeatResponse> {
    return this.context.transport.call(endpoints.heartbeatRunner, { params: { id: runnerId }, body: input });
  }

  /** Lists the runners, newest first. */
  list(options: ListRunnersOptions = {}): PageIterator<Runner> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listRunners, { query: { ...options, cursor } }));
  }

  /** One runner with its agents and active runs. */
  get(runnerId: string): Promise<Runner> {
    return this.context.transport.call(endpoints.getRunner, { params: { id: runnerId } });
  }

  /** Forgets a runner (its running runs are asked to cancel). */
  async delete(runnerId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteRunner, { params: { id: runnerId } });
  }
}
