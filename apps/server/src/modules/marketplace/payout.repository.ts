import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { MarketplacePayoutAccountTable, MarketplacePayoutTable } from '../../db/schema.js';

export type PayoutRow = Selectable<MarketplacePayoutTable>;
export type PayoutAccountRow = Selectable<MarketplacePayoutAccountTable>;

export function findPayoutAccount(executor: DatabaseExecutor, kind: string, publisherId: string): Promise<PayoutAccountRow | undefined> {
  return executor
    .selectFrom('marketplace_payout_accounts')
    .selectAll()
    .where('publisher_kind', '=', kind)
    .where('publisher_id', '=', publisherId)
    .executeTakeFirst();
}

export async function upsertPayoutAccount(executor: DatabaseExecutor, row: Insertable<MarketplacePayoutAccountTable>): Promise<void> {
  await executor
    .insertInto('marketplace_payout_accounts')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .columns(['publisher_kind', 'publisher_id'])
        .doUpdateSet({ stripe_account_id: row.stripe_account_id, updated_by: row.updated_by, updated_at: row.updated_at }),
    )
    .execute();
}

export async function insertPayout(executor: DatabaseExecutor, row: Insertable<MarketplacePayoutTable>): Promise<void> {
  await executor.insertInto('marketplace_payouts').values(row).execute();
}

export function findPayout(executor: DatabaseExecutor, id: string): Promise<PayoutRow | undefined> {
  return executor.selectFrom('marketplace_payouts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a payout out of pending: true for the one caller whose update landed. */
export async function settlePayout(executor: DatabaseExecutor, id: string, changes: Updateable<MarketplacePayoutTable>): Promise<boolean> {
  const result = await executor
    .updateTable('marketplace_payouts')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Payouts of these publishers, newest first. */
export function listPayoutRows(executor: DatabaseExecutor, publishers: readonly { kind: string; id: string }[]) {
  if (publishers.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('marketplace_payouts')
    .selectAll()
    .where((eb) =>
      eb.or(publishers.map((publisher) => eb.and([eb('publisher_kind', '=', publisher.kind), eb('publisher_id', '=', publisher.id)]))),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

/** Pending payouts not touched since a moment: the retry job's work. */
export function listStalePendingPayoutIds(executor: DatabaseExecutor, before: string, limit: number) {
  return executor
    .selectFrom('marketplace_payouts')
    .select('id')
    .where('status', '=', 'pending')
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

export async function touchPayout(executor: DatabaseExecutor, id: string, at: string): Promise<void> {
  await executor.updateTable('marketplace_payouts').set({ updated_at: at }).where('id', '=', id).where('status', '=', 'pending').execute();
}
