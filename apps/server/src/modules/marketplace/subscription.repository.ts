import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { MarketplaceSubscriptionTable } from '../../db/schema.js';

export type SubscriptionRow = Selectable<MarketplaceSubscriptionTable>;

export async function insertSubscription(executor: DatabaseExecutor, row: Insertable<MarketplaceSubscriptionTable>): Promise<void> {
  await executor.insertInto('marketplace_subscriptions').values(row).execute();
}

export function findSubscription(executor: DatabaseExecutor, id: string): Promise<SubscriptionRow | undefined> {
  return executor.selectFrom('marketplace_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The subscription a workspace holds to a listing now (active or stopped), if any. */
export function findLiveSubscription(executor: DatabaseExecutor, listingId: string, workspaceId: string) {
  return executor
    .selectFrom('marketplace_subscriptions')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('workspace_id', '=', workspaceId)
    .where('status', '<>', 'ended')
    .executeTakeFirst();
}

export function listSubscriptionRows(executor: DatabaseExecutor, workspaceId: string, status: string | undefined) {
  let query = executor.selectFrom('marketplace_subscriptions').selectAll().where('workspace_id', '=', workspaceId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

/** Live usage subscriptions of these workspaces: the metering job maps agents to them. */
export function listLiveUsageSubscriptions(executor: DatabaseExecutor, workspaceIds: readonly string[]) {
  if (workspaceIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('marketplace_subscriptions')
    .selectAll()
    .where('workspace_id', 'in', workspaceIds)
    .where('model', '=', 'usage')
    .where('status', '<>', 'ended')
    .execute();
}

/** Live subscriptions whose period is over, oldest first. */
export function listDueSubscriptionIds(executor: DatabaseExecutor, now: string, limit: number) {
  return executor
    .selectFrom('marketplace_subscriptions')
    .select('id')
    .where('status', '<>', 'ended')
    .where('period_end', '<=', now)
    .orderBy('period_end')
    .limit(limit)
    .execute();
}

/**
 * Changes a subscription only if it is still in the period the caller read: true for the one
 * caller whose update landed, so two instances never renew one period twice.
 */
export async function updateSubscriptionInPeriod(
  executor: DatabaseExecutor,
  id: string,
  periodNumber: number,
  changes: Updateable<MarketplaceSubscriptionTable>,
): Promise<boolean> {
  const result = await executor
    .updateTable('marketplace_subscriptions')
    .set(changes)
    .where('id', '=', id)
    .where('period_number', '=', periodNumber)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateSubscriptionRow(
  executor: DatabaseExecutor,
  id: string,
  changes: Updateable<MarketplaceSubscriptionTable>,
): Promise<void> {
  await executor.updateTable('marketplace_subscriptions').set(changes).where('id', '=', id).execute();
}

/** Usage subscriptions stopped because the workspace ran out of credits: resumed once credits arrive. */
export function listUsageStoppedForCredits(executor: DatabaseExecutor, limit: number) {
  return executor
    .selectFrom('marketplace_subscriptions')
    .selectAll()
    .where('model', '=', 'usage')
    .where('status', '=', 'stopped')
    .where('stopped_reason', '=', 'credits-insufficient')
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}
