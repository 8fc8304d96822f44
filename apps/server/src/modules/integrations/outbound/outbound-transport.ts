import type { DatabaseExecutor } from '../../../db/database.js';
import type { OutboundDeliveryRow } from './outbound.repository.js';

/** What one attempt came to. */
export type TransportResult =
  | {
      /** succeeded: a 2xx in time (or the mail server took it); gone: 410, the target asks never to be called again. */
      outcome: 'succeeded' | 'failed' | 'gone';
      statusCode: number | null;
      responseExcerpt: string;
      error: string | null;
    }
  /** Not attempted: the target no longer takes deliveries (its endpoint was disabled or deleted). */
  | { outcome: 'cancelled'; error: string };

/** Work to do once the settlement is committed. */
export type AfterCommit = () => Promise<void>;

/** How a delivery stands after an attempt. */
export interface Settlement {
  status: 'succeeded' | 'failed' | 'dead';
  /** The target answered 410 Gone. */
  gone: boolean;
  statusCode: number | null;
  at: Date;
  /** Attempts made in this round (since it was last queued). */
  roundAttempts: number;
  nextAttemptAt: Date | null;
}

/**
 * One channel of the durable sender (webhook, email, slack, discord; GitHub and A2A push later):
 * how to send a stored delivery, and what to do, in the same transaction, once it is settled.
 */
export interface OutboundTransport {
  send(delivery: OutboundDeliveryRow, attempt: { at: Date; timeoutMs: number }): Promise<TransportResult>;
  /**
   * Runs in the transaction that records the attempt. It may answer a follow-up, run after the
   * commit, for work that reads through other services (which must not run inside a transaction).
   */
  onSettled?(executor: DatabaseExecutor, delivery: OutboundDeliveryRow, settlement: Settlement): Promise<AfterCommit | undefined>;
}

/** The durable sender's defaults; each can be overridden (MISSION_WEBHOOKS_RETRY_SCHEDULE sets the schedule). */
export interface OutboundSettings {
  /** The wait before each retry; after the last one the delivery is dead. 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
  retryScheduleMs: readonly number[];
  /** An answer must come (and be 2xx) within this. */
  timeoutMs: number;
  /** How long an instance holds a delivery while sending it. */
  leaseMs: number;
  /** Deliveries leased per tick at most. */
  batchSize: number;
  /** Attempts in flight at once on one instance. */
  concurrency: number;
}

export const outboundDefaults: OutboundSettings = {
  retryScheduleMs: [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000],
  timeoutMs: 15_000,
  leaseMs: 60_000,
  batchSize: 50,
  concurrency: 8,
};

/** The wait before the next attempt, with ±10 % jitter (random 0.5 gives the schedule exactly); null when none is left. */
export function nextRetryDelay(schedule: readonly number[], roundAttempts: number, random: () => number): number | null {
  const base = schedule[roundAttempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + 0.2 * random()));
}
