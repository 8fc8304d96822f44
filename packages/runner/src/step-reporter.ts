import { isMissionControlError, type MissionControl, type RunStepOptions } from '@mission-control/sdk';

const batchSize = 50;
const flushDelayMs = 250;

/**
 * Sends a run's steps in batches, in order, while the CLI runs; tells when the server says a
 * cancel was asked for (the answer of every batch carries it).
 */
export class StepReporter {
  private queue: RunStepOptions[] = [];
  private sending: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Steps sent so far. */
  sent = 0;

  constructor(
    private readonly client: MissionControl,
    private readonly runId: string,
    private readonly onCancelRequested: () => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Queues steps; they go out within a quarter second, or at once past a full batch. */
  add(...steps: RunStepOptions[]): void {
    if (this.closed || steps.length === 0) return;
    this.queue.push(...steps.map((step) => ({ ...step, at: step.at ?? new Date().toISOString() })));
    if (this.queue.length >= batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), flushDelayMs);
  }

  /** Sends everything queued; resolves once it is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.sending = this.sending.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, batchSize);
        try {
          const answer = await this.client.runs.recordSteps(this.runId, batch);
          this.sent += batch.length;
          if (answer.cancelRequested) this.onCancelRequested();
        } catch (error) {
          this.log(
            `could not record ${batch.length} step(s) of run ${this.runId}: ${error instanceof Error ? error.message : String(error)}`,
          );
          if (isMissionControlError(error) && (error.code === 'RUN_ALREADY_FINISHED' || error.code === 'RUN_NOT_FOUND')) {
            this.closed = true;
            this.queue = [];
            this.onCancelRequested();
          }
        }
      }
    });
    return this.sending;
  }

  /** Sends what is left and takes no more. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
