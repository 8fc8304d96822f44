import type { Insertable } from 'kysely';
import type { DatabaseExecutor } from '../db/database.js';
import type { IdempotencyKeyTable } from '../db/schema.js';

/**
 * Claims a key by inserting its row. Returns false when the (principal, key) row already exists:
 * the primary key makes exactly one of several concurrent claims win, on both engines.
 */
export async function claimIdempotencyKey(executor: DatabaseExecutor, row: Insertable<IdempotencyKeyTable>): Promise<boolean> {
  const result = await executor
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((conflict) => conflict.columns(['principal', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function findIdempotencyKey(executor: DatabaseExecutor, principal: string, key: string) {
  return executor.selectFrom('idempotency_keys').selectAll().where('principal', '=', principal).where('key', '=', key).executeTakeFirst();
}

/**
 * Takes over a claim whose holder never finished (a crashed server). The compare on created_at
 * makes it a compare-and-swap: of two requests taking over the same claim, one wins.
 */
export async function takeOverIdempotencyKey(
  executor: DatabaseExecutor,
  claim: { principal: string; key: string; previousCreatedAt: string; createdAt: string },
): Promise<boolean> {
  const result = await executor
    .updateTable('idempotency_keys')
    .set({ created_at: claim.createdAt })
    .where('principal', '=', claim.principal)
    .where('key', '=', claim.key)
    .where('status', '=', 'in_progress')
    .where('created_at', '=', claim.previousCreatedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function completeIdempotencyKey(
  executor: DatabaseExecutor,
  claim: { principal: string; key: string; createdAt: string; statusCode: number; responseBody: string | null },
): Promise<void> {
  await executor
    .updateTable('idempotency_keys')
    .set({ status: 'completed', status_code: claim.statusCode, response_body: claim.responseBody })
    .where('principal', '=', claim.principal)
    .where('key', '=', claim.key)
    // Only our own claim: one taken over after we were presumed dead belongs to the new request.
    .where('created_at', '=', claim.createdAt)
    .execute();
}

/** Deletes one key's row; with createdAt, only that claim (not a newer one made meanwhile). */
export async function deleteIdempotencyKey(executor: DatabaseExecutor, principal: string, key: string, createdAt?: string): Promise<void> {
  let query = executor.deleteFrom('idempotency_keys').where('principal', '=', principal).where('key', '=', key);
  if (createdAt !== undefined) query = query.where('created_at', '=', createdAt);
  await query.execute();
}

/** Deletes every key created at or before the given time. */
export async function deleteIdempotencyKeysCreatedBy(executor: DatabaseExecutor, createdBy: string): Promise<number> {
  const result = await executor.deleteFrom('idempotency_keys').where('created_at', '<=', createdBy).executeTakeFirst();
  return Number(result.numDeletedRows);
}
