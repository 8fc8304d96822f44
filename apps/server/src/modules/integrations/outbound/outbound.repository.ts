import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../../db/database.js';
import type { OutboundAttemptTable, OutboundDeliveryStatus, OutboundDeliveryTable } from '../../../db/schema.js';

export type OutboundDeliveryRow = Selectable<OutboundDeliveryTable>;
export type OutboundAttemptRow = Selectable<OutboundAttemptTable>;

const queued: OutboundDeliveryStatus[] = ['pending', 'failed'];

/** Inserts deliveries; one whose dedupe key exists already (another instance fed it) is skipped. Answers how many were new. */
export async function insertDeliveries(executor: DatabaseExecutor, rows: Insertable<OutboundDeliveryTable>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await executor
    .insertInto('outbound_deliveries')
    .values(rows)
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/**
 * Leases the due deliveries in one statement. A delivery is due when it is queued, its next
 * attempt time has come, nobody holds an unexpired lease on it, and no older delivery with the
 * same ordering key is still queued (deliveries to one endpoint go one at a time, oldest first).
 * The outer conditions are evaluated again on each row as it is updated, so instances running
 * this at once each get different deliveries.
 */
export function acquireDueDeliveries(
  executor: DatabaseExecutor,
  holder: string,
  now: string,
  expiresAt: string,
  limit: number,
  orderingKey?: string,
) {
  return executor
    .updateTable('outbound_deliveries')
    .set({ lease_holder: holder, lease_expires_at: expiresAt })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbound_deliveries as due')
        .select('due.id')
        .where('due.status', 'in', queued)
        .where('due.next_attempt_at', '<=', now)
        .where((inner) => inner.or([inner('due.lease_expires_at', 'is', null), inner('due.lease_expires_at', '<=', now)]))
        .where((inner) =>
          inner.or([
            inner('due.ordering_key', 'is', null),
            inner.not(
              inner.exists(
                inner
                  .selectFrom('outbound_deliveries as earlier')
                  .select('earlier.id')
                  .whereRef('earlier.ordering_key', '=', 'due.ordering_key')
                  .where('earlier.status', 'in', queued)
                  .whereRef('earlier.id', '<', 'due.id'),
              ),
            ),
          ]),
        )
        .$if(orderingKey !== undefined, (query) => query.where('due.ordering_key', '=', orderingKey ?? ''))
        .orderBy('due.next_attempt_at')
        .limit(limit),
    )
    .where('status', 'in', queued)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
    .returningAll()
    .execute();
}

export async function insertAttempt(executor: DatabaseExecutor, row: Insertable<OutboundAttemptTable>): Promise<void> {
  await executor.insertInto('outbound_attempts').values(row).execute();
}

/**
 * Writes the outcome of an attempt and gives the lease back, if this holder still has it and the
 * delivery is still queued (one cancelled meanwhile, for a disabled endpoint, stays dead).
 */
export async function settleDelivery(
  executor: DatabaseExecutor,
  deliveryId: string,
  holder: string,
  changes: Updateable<OutboundDeliveryTable>,
): Promise<boolean> {
  const result = await executor
    .updateTable('outbound_deliveries')
    .set({ ...changes, lease_holder: null, lease_expires_at: null })
    .where('id', '=', deliveryId)
    .where('lease_holder', '=', holder)
    .where('status', 'in', queued)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ListDeliveriesFilter {
  workspaceId: string;
  /** One channel, or several (a person's email, Slack and Discord messages). */
  channel: string | readonly string[];
  targetId: string;
  status?: OutboundDeliveryStatus | undefined;
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first. */
export function listDeliveries(executor: DatabaseExecutor, filter: ListDeliveriesFilter) {
  let query = executor
    .selectFrom('outbound_deliveries')
    .selectAll()
    .where('target_id', '=', filter.targetId)
    .where('workspace_id', '=', filter.workspaceId)
    .where('channel', 'in', typeof filter.channel === 'string' ? [filter.channel] : filter.channel);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export function listAttemptsOf(executor: DatabaseExecutor, deliveryIds: readonly string[]) {
  if (deliveryIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('outbound_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt_number')
    .execute();
}

export function findDelivery(executor: DatabaseExecutor, workspaceId: string, channel: string, targetId: string, deliveryId: string) {
  return executor
    .selectFrom('outbound_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
}

/** Queues a settled delivery again with a fresh round of attempts; one still queued is left alone. */
export async function requeueDelivery(executor: DatabaseExecutor, deliveryId: string, now: string): Promise<boolean> {
  const result = await executor
    .updateTable('outbound_deliveries')
    .set({ status: 'pending', round_attempts: 0, next_attempt_at: now, updated_at: now })
    .where('id', '=', deliveryId)
    .where('status', 'not in', queued)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Queues every dead delivery of a target again; answers how many. */
export async function requeueDeadDeliveries(executor: DatabaseExecutor, channel: string, targetId: string, now: string): Promise<number> {
  const result = await executor
    .updateTable('outbound_deliveries')
    .set({ status: 'pending', round_attempts: 0, next_attempt_at: now, updated_at: now })
    .where('target_id', '=', targetId)
    .where('channel', '=', channel)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Moves every queued delivery of a target to dead (its endpoint was disabled); answers how many. */
export async function cancelQueuedDeliveries(
  executor: DatabaseExecutor,
  channel: string,
  targetId: string,
  reason: string,
  now: string,
): Promise<number> {
  const result = await executor
    .updateTable('outbound_deliveries')
    .set({ status: 'dead', next_attempt_at: null, last_error: reason, updated_at: now })
    .where('target_id', '=', targetId)
    .where('channel', '=', channel)
    .where('status', 'in', queued)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteDeliveriesOfTarget(executor: DatabaseExecutor, channel: string, targetId: string): Promise<void> {
  await executor.deleteFrom('outbound_deliveries').where('target_id', '=', targetId).where('channel', '=', channel).execute();
}
