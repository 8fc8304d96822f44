import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../../../core/service-context.js';
import { acquireDueDeliveries, insertAttempt, type OutboundDeliveryRow, settleDelivery } from './outbound.repository.js';
import {
  nextRetryDelay,
  type OutboundSettings,
  type OutboundTransport,
  type Settlement,
  type TransportResult,
} from './outbound-transport.js';

export interface OutboundSenderOptions {
  context: ServiceContext;
  transports: ReadonlyMap<string, OutboundTransport>;
  settings: OutboundSettings;
  /** Names this instance in delivery leases. */
  instanceId?: string;
  random?: () => number;
  onError?: (error: unknown, deliveryId: string | null) => void;
}

/** What one sender did since it started. */
export interface OutboundSenderStats {
  ticks: number;
  attempts: number;
  succeeded: number;
  failed: number;
  dead: number;
}

/**
 * Sends what is queued in outbound_deliveries. Each tick leases the due deliveries (a conditional
 * update with an expiry, so on several instances each delivery is sent by one at a time), sends
 * them with a bounded concurrency, and writes every attempt and the new state in one transaction
 * together with the channel's own bookkeeping. Next attempt times live in the database and are
 * read against the injected clock: restarts lose nothing and tests move time instead of sleeping.
 */
export class OutboundSender {
  readonly stats: OutboundSenderStats = { ticks: 0, attempts: 0, succeeded: 0, failed: 0, dead: 0 };
  readonly instanceId: string;
  private readonly running = new Set<Promise<void>>();
  private ticking: Promise<number> | undefined;

  constructor(private readonly options: OutboundSenderOptions) {
    this.instanceId = options.instanceId ?? `sender-${randomUUID()}`;
  }

  private now(): Date {
    return this.options.context.clock.now();
  }

  /** Leases and starts every due delivery (up to the batch size); answers how many. Never overlaps itself. */
  tick(): Promise<number> {
    this.ticking ??= this.tickOnce().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Ticks, then waits for the attempts it started: what tests and the maintenance loop call. */
  async tickAndDrain(): Promise<number> {
    const started = await this.tick();
    await this.drain();
    return started;
  }

  /** Waits for every attempt in flight. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async tickOnce(): Promise<number> {
    this.stats.ticks += 1;
    const { settings } = this.options;
    const room = settings.concurrency - this.running.size;
    if (room <= 0) return 0;
    const now = this.now();
    const leased = await acquireDueDeliveries(
      this.options.context.db,
      this.instanceId,
      now.toISOString(),
      new Date(now.getTime() + settings.leaseMs).toISOString(),
      Math.min(room, settings.batchSize),
    );
    for (const delivery of leased) {
      const attempt = this.attemptInOrder(delivery)
        .catch((error: unknown) => this.options.onError?.(error, delivery.id))
        .finally(() => this.running.delete(attempt));
      this.running.add(attempt);
    }
    return leased.length;
  }

  /**
   * Attempts a delivery, and while its ordering key's queue moves on (the attempt succeeded or the
   * delivery died), goes straight on with the next one of the same key in the same slot: an
   * endpoint's backlog drains at the pace of its answers, not one delivery per tick.
   */
  private async attemptInOrder(first: OutboundDeliveryRow): Promise<void> {
    let delivery: OutboundDeliveryRow | undefined = first;
    for (let chained = 0; delivery && chained < this.options.settings.batchSize; chained += 1) {
      const status = await this.attempt(delivery);
      if (!delivery.ordering_key || status === 'failed' || status === undefined) return;
      const now = this.now();
      [delivery] = await acquireDueDeliveries(
        this.options.context.db,
        this.instanceId,
        now.toISOString(),
        new Date(now.getTime() + this.options.settings.leaseMs).toISOString(),
        1,
        delivery.ordering_key,
      );
    }
  }

  /** One attempt; answers how the delivery stands after it (undefined when the settlement was not this instance's to write). */
  private async attempt(delivery: OutboundDeliveryRow): Promise<Settlement['status'] | undefined> {
    const transport = this.options.transports.get(delivery.channel);
    const startedAt = this.now();
    const started = performance.now();
    let result: TransportResult;
    if (!transport) {
      result = { outcome: 'cancelled', error: `No transport for the ${delivery.channel} channel on this server.` };
    } else {
      try {
        result = await transport.send(delivery, { at: startedAt, timeoutMs: this.options.settings.timeoutMs });
      } catch (error) {
        result = {
          outcome: 'failed',
          statusCode: null,
          responseExcerpt: '',
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }
    const durationMs = Math.round(performance.now() - started);
    return this.settle(delivery, transport, result, startedAt, durationMs);
  }

  private async settle(
    delivery: OutboundDeliveryRow,
    transport: OutboundTransport | undefined,
    result: TransportResult,
    startedAt: Date,
    durationMs: number,
  ): Promise<Settlement['status'] | undefined> {
    const { db } = this.options.context;
    const settledAt = this.now();
    const at = settledAt.toISOString();
    if (result.outcome === 'cancelled') {
      const settled = await settleDelivery(db, delivery.id, this.instanceId, {
        status: 'dead',
        next_attempt_at: null,
        last_error: result.error,
        updated_at: at,
      });
      if (!settled) return undefined;
      this.stats.dead += 1;
      return 'dead';
    }
    this.stats.attempts += 1;
    const roundAttempts = delivery.round_attempts + 1;
    const attemptNumber = delivery.attempt_count + 1;
    const delay = result.outcome === 'failed' ? nextRetryDelay(this.options.settings.retryScheduleMs, roundAttempts, this.random()) : null;
    const status: Settlement['status'] = result.outcome === 'succeeded' ? 'succeeded' : delay === null ? 'dead' : 'failed';
    const nextAttemptAt = delay === null ? null : new Date(settledAt.getTime() + delay);
    const outcome = await db.transaction().execute(async (trx) => {
      await insertAttempt(trx, {
        delivery_id: delivery.id,
        attempt_number: attemptNumber,
        workspace_id: delivery.workspace_id,
        started_at: startedAt.toISOString(),
        duration_ms: durationMs,
        status_code: result.statusCode,
        response_excerpt: result.responseExcerpt,
        error: result.error,
      });
      const settled = await settleDelivery(trx, delivery.id, this.instanceId, {
        status,
        attempt_count: attemptNumber,
        round_attempts: roundAttempts,
        next_attempt_at: nextAttemptAt?.toISOString() ?? null,
        last_status_code: result.statusCode,
        last_error: result.error,
        updated_at: at,
      });
      // Lost the lease (it expired and another instance took over) or the delivery was cancelled: the attempt stays logged.
      if (!settled) return undefined;
      this.stats[status] += 1;
      const followUp = await transport?.onSettled?.(trx, delivery, {
        status,
        gone: result.outcome === 'gone',
        statusCode: result.statusCode,
        at: settledAt,
        roundAttempts,
        nextAttemptAt,
      });
      return { followUp };
    });
    await outcome?.followUp?.();
    return outcome ? status : undefined;
  }

  private random(): () => number {
    return this.options.random ?? Math.random;
  }
}
