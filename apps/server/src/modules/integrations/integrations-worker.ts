import type { OutboundSender } from './outbound/outbound-sender.js';

/** One step of the worker: a feed or a flush that queues deliveries. */
export interface IntegrationsStep {
  name: string;
  run(): Promise<unknown>;
}

/**
 * What every instance runs once a second (a maintenance job): the feeds that turn events into
 * deliveries (webhooks, notification channels, digests), then the sender. Each step is safe on
 * several instances at once; a failing step is reported and the others still run.
 */
export class IntegrationsWorker {
  constructor(
    readonly sender: OutboundSender,
    private readonly steps: readonly IntegrationsStep[],
    private readonly onError: (step: string, error: unknown) => void = () => {},
  ) {}

  /** Feeds, then sends what is due and waits for those attempts; answers how many were leased (tests step with it). */
  async tick(): Promise<number> {
    await this.runSteps();
    return this.sender.tickAndDrain();
  }

  /**
   * Feeds, then starts what is due without waiting for it: what the maintenance loop runs every
   * second, so a slow endpoint holds its own slot and never the next tick (which fills free slots).
   */
  async pulse(): Promise<number> {
    await this.runSteps();
    return this.sender.tick();
  }

  /** Waits for the attempts in flight (before the database closes). */
  drain(): Promise<void> {
    return this.sender.drain();
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps) {
      try {
        await step.run();
      } catch (error) {
        this.onError(step.name, error);
      }
    }
  }
}
