import { type AgentRun, type AgentRunDetail, endpoints, type RecordRunStepsResult } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `runs.create` takes. */
export type CreateRunOptions = z.input<typeof endpoints.createRun.body>;

/** One step as `runs.recordSteps` takes it. */
export type RunStepOptions = z.input<typeof endpoints.recordRunSteps.body>['steps'][number];

/** What `runs.finish` takes. */
export type FinishRunOptions = z.input<typeof endpoints.finishRun.body>;

/** Filters and page size of `runs.list`. */
export type ListRunsOptions = Omit<z.input<typeof endpoints.listRuns.query>, 'cursor'>;

/** Runs of agents: built-in turns and runner runs, with transcripts and cancellation (`/runs`). */
export class RunsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.runs`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Starts a runner run on a task the calling agent holds (pass its lease token). */
  create(input: CreateRunOptions): Promise<AgentRun> {
    return this.context.transport.call(endpoints.createRun, { body: input });
  }

  /** Appends steps to a running run; answers whether a cancel was asked for. */
  recordSteps(runId: string, steps: RunStepOptions[]): Promise<RecordRunStepsResult> {
    return this.context.transport.call(endpoints.recordRunSteps, { params: { id: runId }, body: { steps } });
  }

  /** Records how a run ended, with its usage, cost, session, branch and commit. */
  finish(runId: string, input: FinishRunOptions): Promise<AgentRun> {
    return this.context.transport.call(endpoints.finishRun, { params: { id: runId }, body: input });
  }

  /** Asks the runner to stop a run. */
  cancel(runId: string): Promise<AgentRun> {
    return this.context.transport.call(endpoints.cancelRun, { params: { id: runId } });
  }

  /** One run with its prompt and transcript. */
  get(runId: string): Promise<AgentRunDetail> {
    return this.context.transport.call(endpoints.getRun, { params: { id: runId } });
  }

  /** The workspace's runs, newest first, narrowed by agent, task, runner or status. */
  list(options: ListRunsOptions = {}): PageIterator<AgentRun> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listRuns, { query: { ...options, cursor } }));
  }
}
