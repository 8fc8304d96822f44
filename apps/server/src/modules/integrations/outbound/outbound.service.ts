import { createHmac } from 'node:crypto';
import type { DeliveryAttempt } from '@mission-control/contracts';
import { createId } from '../../../core/ids.js';
import { createSecretBox } from '../../../core/secret-box.js';
import type { ServiceContext } from '../../../core/service-context.js';
import type { DatabaseExecutor } from '../../../db/database.js';
import type { OutboundDeliveryStatus } from '../../../db/schema.js';
import { AppError } from '../../../http/app-error.js';
import { checkTargetUrl, resolveTarget, type TargetPolicy, TargetRefused } from './guarded-http.js';
import {
  cancelQueuedDeliveries,
  deleteDeliveriesOfTarget,
  findDelivery,
  insertDeliveries,
  listAttemptsOf,
  listDeliveries,
  type OutboundAttemptRow,
  type OutboundDeliveryRow,
  requeueDeadDeliveries,
  requeueDelivery,
} from './outbound.repository.js';
import { OutboundSender, type OutboundSenderOptions } from './outbound-sender.js';
import { type OutboundSettings, type OutboundTransport, outboundDefaults } from './outbound-transport.js';

/** A delivery to queue. */
export interface NewDelivery {
  /** Chosen by the caller when it needs to read the delivery back; a new id otherwise. */
  id?: string;
  workspaceId: string;
  channel: string;
  targetId: string;
  /** Deliveries with the same key go one at a time, oldest first; leave out for one that may overtake. */
  orderingKey?: string | null;
  /** Makes the delivery once-only: a second one with the same key is skipped. */
  dedupeKey?: string | null;
  eventType: string;
  eventSeq?: number | null;
  /** What the channel's transport reads back (checked by its schema there). */
  payload: unknown;
}

/** A stored delivery with every attempt, oldest first. */
export interface OutboundDeliveryWithAttempts {
  row: OutboundDeliveryRow;
  attempts: DeliveryAttempt[];
}

export interface OutboundServiceOptions {
  /** The instance secret the stored secrets are sealed under. */
  instanceSecret: Uint8Array;
  policy: TargetPolicy;
  settings?: Partial<OutboundSettings>;
}

function toAttempt(row: OutboundAttemptRow): DeliveryAttempt {
  return {
    attempt: row.attempt_number,
    at: row.started_at,
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    responseExcerpt: row.response_excerpt,
    error: row.error,
  };
}

export type OutboundService = ReturnType<typeof createOutboundService>;

/**
 * The one durable outbound sender: every channel (webhooks, email, Slack, Discord) queues its
 * deliveries here, in the caller's transaction, and the sender retries them on one schedule,
 * logs every attempt and moves what cannot be sent to the dead-letter queue.
 */
export function createOutboundService(context: ServiceContext, options: OutboundServiceOptions) {
  const { db, clock } = context;
  const settings: OutboundSettings = { ...outboundDefaults, ...options.settings };
  const transports = new Map<string, OutboundTransport>();
  const box = createSecretBox(options.instanceSecret, 'integration-secret');

  return {
    settings,
    policy: options.policy,

    /** Makes a channel's transport known to every sender of this instance. */
    registerTransport(channel: string, transport: OutboundTransport): void {
      transports.set(channel, transport);
    },

    /** A sender for this instance (main.ts runs one; tests make their own with a fixed random). */
    createSender(overrides: Partial<Pick<OutboundSenderOptions, 'instanceId' | 'random' | 'onError'>> = {}): OutboundSender {
      return new OutboundSender({ context, transports, settings, ...overrides });
    },

    sealSecret: (secret: string) => box.seal(secret),
    /**
     * A Standard Webhooks signing secret (`whsec_…`) derived from the instance secret for a purpose
     * (e.g. one workspace's workflow http steps): stable across restarts and instances, stored nowhere.
     */
    deriveSigningSecret: (purpose: string) =>
      `whsec_${createHmac('sha256', options.instanceSecret).update(`signing-secret:${purpose}`).digest('base64')}`,
    openSecret: (sealed: string) => box.open(sealed),

    /**
     * Refuses a URL the sender would not send to, with a message saying why (400
     * WEBHOOK_TARGET_REFUSED): not http(s), credentials in it, or a host resolving to a private address.
     */
    async checkTarget(url: string): Promise<void> {
      try {
        checkTargetUrl(url, options.policy);
        await resolveTarget(url, options.policy);
      } catch (error) {
        if (!(error instanceof TargetRefused)) throw error;
        throw new AppError(
          'WEBHOOK_TARGET_REFUSED',
          `${error.message}. Use a public http(s) URL, or set MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true on a self-hosted server that must reach private addresses.`,
        );
      }
    },

    /** Queues deliveries in the caller's transaction; answers how many were new (dedupe keys skip repeats). */
    async enqueue(executor: DatabaseExecutor, deliveries: readonly NewDelivery[]): Promise<number> {
      const at = clock.now().toISOString();
      return insertDeliveries(
        executor,
        deliveries.map((delivery) => ({
          id: delivery.id ?? createId(),
          workspace_id: delivery.workspaceId,
          channel: delivery.channel,
          target_id: delivery.targetId,
          ordering_key: delivery.orderingKey ?? null,
          dedupe_key: delivery.dedupeKey ?? null,
          event_type: delivery.eventType,
          event_seq: delivery.eventSeq ?? null,
          payload: JSON.stringify(delivery.payload),
          status: 'pending' as const,
          attempt_count: 0,
          round_attempts: 0,
          next_attempt_at: at,
          lease_holder: null,
          lease_expires_at: null,
          last_status_code: null,
          last_error: null,
          created_at: at,
          updated_at: at,
        })),
      );
    },

    /** A target's deliveries, newest first, with their attempts (limit + 1 rows, for paging). */
    async listDeliveries(filter: {
      workspaceId: string;
      channel: string | readonly string[];
      targetId: string;
      status?: OutboundDeliveryStatus | undefined;
      beforeId?: string | undefined;
      limit: number;
    }): Promise<OutboundDeliveryWithAttempts[]> {
      const rows = await listDeliveries(db, filter);
      return attachAttempts(rows);
    },

    async findDelivery(workspaceId: string, channel: string, targetId: string, deliveryId: string) {
      const row = await findDelivery(db, workspaceId, channel, targetId, deliveryId);
      if (!row) return undefined;
      return (await attachAttempts([row]))[0];
    },

    /** Queues a delivery again with a fresh round of attempts (the same id and payload). */
    async replayDelivery(deliveryId: string): Promise<void> {
      await requeueDelivery(db, deliveryId, clock.now().toISOString());
    },

    /** Queues every dead delivery of a target again; answers how many. */
    async replayDeadDeliveries(channel: string, targetId: string): Promise<number> {
      return requeueDeadDeliveries(db, channel, targetId, clock.now().toISOString());
    },

    /** Moves a target's queued deliveries to dead, with the reason (its endpoint was disabled). */
    async cancelQueuedDeliveries(executor: DatabaseExecutor, channel: string, targetId: string, reason: string): Promise<number> {
      return cancelQueuedDeliveries(executor, channel, targetId, reason, clock.now().toISOString());
    },

    async deleteDeliveriesOf(executor: DatabaseExecutor, channel: string, targetId: string): Promise<void> {
      await deleteDeliveriesOfTarget(executor, channel, targetId);
    },
  };

  async function attachAttempts(rows: OutboundDeliveryRow[]): Promise<OutboundDeliveryWithAttempts[]> {
    const attempts = await listAttemptsOf(
      db,
      rows.map((row) => row.id),
    );
    const byDelivery = new Map<string, DeliveryAttempt[]>();
    for (const attempt of attempts)
      byDelivery.set(attempt.delivery_id, [...(byDelivery.get(attempt.delivery_id) ?? []), toAttempt(attempt)]);
    return rows.map((row) => ({ row, attempts: byDelivery.get(row.id) ?? [] }));
  }
}
