import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { MarketplaceDisputeTable, MarketplaceRentalTable } from '../../db/schema.js';

export type RentalRow = Selectable<MarketplaceRentalTable>;
export type DisputeRow = Selectable<MarketplaceDisputeTable>;

/** Rentals that still give access: paid, not refunded, not past their end. */
const grantingStatuses = ['active', 'disputed', 'released'];

export async function insertRental(executor: DatabaseExecutor, row: Insertable<MarketplaceRentalTable>): Promise<void> {
  await executor.insertInto('marketplace_rentals').values(row).execute();
}

export function findRental(executor: DatabaseExecutor, id: string): Promise<RentalRow | undefined> {
  return executor.selectFrom('marketplace_rentals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The rental of a listing that gives the workspace access now, if any. */
export function findCurrentRental(executor: DatabaseExecutor, listingId: string, workspaceId: string, now: string) {
  return executor
    .selectFrom('marketplace_rentals')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', grantingStatuses)
    .where('access_ended_at', 'is', null)
    .where('ends_at', '>', now)
    .executeTakeFirst();
}

/** Earlier rentals of the listing by the workspace: each rental's payment gets its own key. */
export async function countRentals(executor: DatabaseExecutor, listingId: string, workspaceId: string): Promise<number> {
  const row = await executor
    .selectFrom('marketplace_rentals')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('listing_id', '=', listingId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Rentals past their end whose end was not acted on yet, oldest end first. */
export function listDueRentalIds(executor: DatabaseExecutor, now: string, limit: number) {
  return executor
    .selectFrom('marketplace_rentals')
    .select('id')
    .where('access_ended_at', 'is', null)
    .where('ends_at', '<=', now)
    .orderBy('ends_at')
    .limit(limit)
    .execute();
}

/**
 * Takes the end of a rental's access for this caller: true for the one whose update landed. On
 * PostgreSQL the row stays locked until the caller's transaction ends, so a second instance waits
 * and then finds it taken.
 */
export async function claimAccessEnd(executor: DatabaseExecutor, id: string, now: string): Promise<boolean> {
  const result = await executor
    .updateTable('marketplace_rentals')
    .set({ access_ended_at: now, updated_at: now })
    .where('id', '=', id)
    .where('access_ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves a rental from one status to another; false when it was not in `from` any more. */
export async function moveRentalStatus(executor: DatabaseExecutor, id: string, from: string, to: string, now: string): Promise<boolean> {
  const result = await executor
    .updateTable('marketplace_rentals')
    .set({ status: to, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateRentalRow(executor: DatabaseExecutor, id: string, changes: Updateable<MarketplaceRentalTable>): Promise<void> {
  await executor.updateTable('marketplace_rentals').set(changes).where('id', '=', id).execute();
}

export async function insertDispute(executor: DatabaseExecutor, row: Insertable<MarketplaceDisputeTable>): Promise<void> {
  await executor.insertInto('marketplace_disputes').values(row).execute();
}

export function findDispute(executor: DatabaseExecutor, id: string): Promise<DisputeRow | undefined> {
  return executor.selectFrom('marketplace_disputes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Resolves an open dispute; false when another resolution landed first. */
export async function resolveDisputeRow(
  executor: DatabaseExecutor,
  id: string,
  resolution: Pick<
    Updateable<MarketplaceDisputeTable>,
    'outcome' | 'refunded' | 'released' | 'resolution_reason' | 'resolved_by' | 'resolved_at'
  >,
): Promise<boolean> {
  const result = await executor
    .updateTable('marketplace_disputes')
    .set({ ...resolution, status: 'resolved' })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Disputes with their rental, newest first: of one workspace, or of the whole server (workspaceId null). */
export function listDisputeRows(executor: DatabaseExecutor, filter: { workspaceId: string | null; status?: string | undefined }) {
  let query = executor.selectFrom('marketplace_disputes').selectAll();
  if (filter.workspaceId !== null) query = query.where('workspace_id', '=', filter.workspaceId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

export async function findRentals(executor: DatabaseExecutor, ids: readonly string[]): Promise<RentalRow[]> {
  if (ids.length === 0) return [];
  return executor.selectFrom('marketplace_rentals').selectAll().where('id', 'in', ids).execute();
}

/** A workspace's rentals, newest first. */
export function listRentalRows(executor: DatabaseExecutor, workspaceId: string, status: string | undefined) {
  let query = executor.selectFrom('marketplace_rentals').selectAll().where('workspace_id', '=', workspaceId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

/** The dispute of each of these rentals that has one. */
export function findDisputesOfRentals(executor: DatabaseExecutor, rentalIds: readonly string[]) {
  if (rentalIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('marketplace_disputes').select(['id', 'rental_id']).where('rental_id', 'in', rentalIds).execute();
}
