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

  /** Feeds, then sends what is due and waits for those attempts; answers how many were attempted. */
  async tick(): Promise<number> {
    for (const step of this.steps) {
      try {
        await step.run();
      } catch (error) {
        this.onError(step.name, error);
      }
    }
    return this.sender.tickAndDrain();
  }
}
