import type { Activity } from '@mission-control/contracts';
import type { ServiceContext } from '../../../core/service-context.js';
import { findLatestEventSeq, listEventsAfter, toActivity } from '../../../events/event.repository.js';
import { type CelExpression, compileCelExpression } from '../cel/cel-expression.js';
import type { NewDelivery, OutboundService } from '../outbound/outbound.service.js';
import { advanceWebhookCursor, listEndpointsBehind, readEndpointEvents, type WebhookEndpointRow } from './webhook.repository.js';
import { webhookChannel } from './webhook-transport.js';

/** Thrown inside a feed's transaction when another instance fed the same events first: roll back. */
class FedElsewhere extends Error {}

/** The body of a Standard Webhooks delivery: the event's type and time, and the event itself. */
export function buildWebhookBody(type: string, timestamp: string, data: unknown): string {
  return JSON.stringify({ type, timestamp, data });
}

/** The ordering key of an endpoint's event deliveries: they go one at a time, in event order. */
export function webhookOrderingKey(endpointId: string): string {
  return `webhook:${endpointId}`;
}

/**
 * Turns the event stream into webhook deliveries. Each endpoint keeps a durable cursor (the last
 * event it looked at); a feed reads the events after it, keeps those the endpoint subscribes to
 * and its filter accepts, and queues them together with the cursor's move in one transaction. The
 * move is conditional on the cursor still being where it was read, so two instances feeding at
 * once never queue an event twice (and the dedupe key makes sure of it). At-least-once, in order.
 */
export function createWebhookFeed(
  context: ServiceContext,
  dependencies: { outbound: OutboundService },
  options: { batchSize?: number } = {},
) {
  const { db } = context;
  const batchSize = options.batchSize ?? 500;
  const filters = new Map<string, CelExpression | null>();

  function filterOf(endpoint: WebhookEndpointRow): CelExpression | null {
    if (!endpoint.filter) return null;
    const cached = filters.get(endpoint.filter);
    if (cached !== undefined) return cached;
    let compiled: CelExpression | null;
    try {
      compiled = compileCelExpression(endpoint.filter, ['event']);
    } catch {
      // Checked when it was saved; an expression this version cannot read lets nothing through.
      compiled = { source: endpoint.filter, evaluate: () => ({ ok: false, error: 'unreadable filter' }) };
    }
    if (filters.size > 1_000) filters.clear();
    filters.set(endpoint.filter, compiled);
    return compiled;
  }

  function accepts(endpoint: WebhookEndpointRow, selectors: string[], activity: Activity): boolean {
    // A dead delivery's own event would feed the failing endpoint another delivery to kill.
    if (activity.type === 'webhook-delivery-dead' && activity.data.webhookId === endpoint.id) return false;
    if (!selectors.includes('*') && !selectors.includes(activity.type)) return false;
    const filter = filterOf(endpoint);
    if (!filter) return true;
    const result = filter.evaluate({ event: activity });
    return result.ok && result.value === true;
  }

  async function feedEndpoint(endpoint: WebhookEndpointRow, latestSeq: number): Promise<number> {
    const rows = await listEventsAfter(db, { afterSeq: endpoint.cursor_seq, limit: batchSize, workspaceId: endpoint.workspace_id });
    const lastRead = rows[rows.length - 1]?.seq ?? endpoint.cursor_seq;
    // Every event up to latestSeq is settled (below the horizon, decision 0020), so when the page was
    // not full, nothing of this workspace lies between the last one read and latestSeq.
    const nextCursor = rows.length < batchSize ? Math.max(lastRead, latestSeq) : lastRead;
    const selectors = readEndpointEvents(endpoint);
    const deliveries: NewDelivery[] = [];
    for (const row of rows) {
      const activity = toActivity(row);
      if (!accepts(endpoint, selectors, activity)) continue;
      deliveries.push({
        workspaceId: endpoint.workspace_id,
        channel: webhookChannel,
        targetId: endpoint.id,
        orderingKey: webhookOrderingKey(endpoint.id),
        dedupeKey: `webhook:${endpoint.id}:${activity.seq}`,
        eventType: activity.type,
        eventSeq: activity.seq,
        payload: { body: buildWebhookBody(activity.type, activity.createdAt, activity) },
      });
    }
    try {
      return await db.transaction().execute(async (trx) => {
        // The cursor first: on PostgreSQL a concurrent feed of this endpoint waits here, then finds it moved.
        if (!(await advanceWebhookCursor(trx, endpoint.id, endpoint.cursor_seq, nextCursor))) throw new FedElsewhere();
        return dependencies.outbound.enqueue(trx, deliveries);
      });
    } catch (error) {
      if (error instanceof FedElsewhere) return 0;
      throw error;
    }
  }

  return {
    /** Feeds every endpoint that is behind; answers how many deliveries were queued. */
    async feedWebhooks(): Promise<number> {
      const latestSeq = await findLatestEventSeq(db);
      let queued = 0;
      for (const endpoint of await listEndpointsBehind(db, latestSeq, 200)) queued += await feedEndpoint(endpoint, latestSeq);
      return queued;
    },
  };
}
