import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { Database, MarketplaceListingTable, MarketplaceListingVersionTable } from '../../db/schema.js';

export type ListingRow = Selectable<MarketplaceListingTable>;
export type ListingVersionRow = Selectable<MarketplaceListingVersionTable>;

/** Who is asking, for what they may see and edit. */
export interface ListingViewer {
  userId: string;
  /** Organisations the person belongs to (organisation-only listings). */
  organizationIds: readonly string[];
  /** Organisations where they are an owner or admin (listings those publish are theirs to edit). */
  adminOrganizationIds: readonly string[];
}

type ListingExpressions = ExpressionBuilder<Database, 'marketplace_listings'>;

/** Listings the viewer may edit. */
export function editableBy(eb: ListingExpressions, viewer: ListingViewer): Expression<SqlBool> {
  const own = eb.and([eb('marketplace_listings.publisher_kind', '=', 'user'), eb('marketplace_listings.publisher_id', '=', viewer.userId)]);
  if (viewer.adminOrganizationIds.length === 0) return own;
  return eb.or([
    own,
    eb.and([
      eb('marketplace_listings.publisher_kind', '=', 'organization'),
      eb('marketplace_listings.publisher_id', 'in', viewer.adminOrganizationIds),
    ]),
  ]);
}

/** Listings the viewer finds by browsing or searching: public ones, their organisations’ and their own (never unlisted ones of others). */
export function discoverableBy(eb: ListingExpressions, viewer: ListingViewer): Expression<SqlBool> {
  const shown = [eb('marketplace_listings.visibility', '=', 'public'), editableBy(eb, viewer)];
  if (viewer.organizationIds.length > 0) {
    shown.push(
      eb.and([
        eb('marketplace_listings.visibility', '=', 'organization'),
        eb('marketplace_listings.organization_id', 'in', viewer.organizationIds),
      ]),
    );
  }
  return eb.and([eb('marketplace_listings.deleted_at', 'is', null), eb.or(shown)]);
}

export async function insertListing(executor: DatabaseExecutor, row: Insertable<MarketplaceListingTable>): Promise<void> {
  await executor.insertInto('marketplace_listings').values(row).execute();
}

export async function updateListingRow(
  executor: DatabaseExecutor,
  id: string,
  changes: Updateable<MarketplaceListingTable>,
): Promise<void> {
  await executor.updateTable('marketplace_listings').set(changes).where('id', '=', id).execute();
}

/** A listing that was not deleted. */
export function findListingRow(executor: DatabaseExecutor, id: string): Promise<ListingRow | undefined> {
  return executor.selectFrom('marketplace_listings').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** A listing even when deleted (installations of it can still be uninstalled). */
export function findListingRowEvenDeleted(executor: DatabaseExecutor, id: string): Promise<ListingRow | undefined> {
  return executor.selectFrom('marketplace_listings').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findListingRows(executor: DatabaseExecutor, ids: readonly string[]): Promise<ListingRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return executor.selectFrom('marketplace_listings').selectAll().where('id', 'in', ids).execute();
}

/** A page of listings newest first (ids are time-ordered), as the viewer may browse them. */
export function listListingRows(
  executor: DatabaseExecutor,
  filter: { viewer: ListingViewer; mine: boolean; kind: string | undefined; before: string | undefined; limit: number },
): Promise<ListingRow[]> {
  let query = executor
    .selectFrom('marketplace_listings')
    .selectAll()
    .where((eb) =>
      filter.mine ? eb.and([eb('deleted_at', 'is', null), editableBy(eb, filter.viewer)]) : discoverableBy(eb, filter.viewer),
    );
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export async function insertListingVersion(executor: DatabaseExecutor, row: Insertable<MarketplaceListingVersionTable>): Promise<void> {
  await executor.insertInto('marketplace_listing_versions').values(row).execute();
}

export function findListingVersionRow(
  executor: DatabaseExecutor,
  listingId: string,
  version: string,
): Promise<ListingVersionRow | undefined> {
  return executor
    .selectFrom('marketplace_listing_versions')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Every version of the listings without their content (the listing page lists them). */
export function listVersionSummaries(executor: DatabaseExecutor, listingIds: readonly string[]) {
  if (listingIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('marketplace_listing_versions')
    .select(['listing_id', 'version', 'changelog', 'created_at'])
    .where('listing_id', 'in', listingIds)
    .execute();
}

/** Titles by id, deleted listings included (a purchase of one still names it). */
export async function findListingTitles(executor: DatabaseExecutor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await executor
    .selectFrom('marketplace_listings')
    .select(['id', 'title'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.title]));
}

export async function findEntitlement(executor: DatabaseExecutor, listingId: string, workspaceId: string) {
  return executor
    .selectFrom('marketplace_entitlements')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export async function insertEntitlement(
  executor: DatabaseExecutor,
  row: { listing_id: string; workspace_id: string; transaction_id: string; created_at: string },
): Promise<void> {
  await executor.insertInto('marketplace_entitlements').values(row).execute();
}

export async function deleteEntitlementOfPurchase(executor: DatabaseExecutor, transactionId: string): Promise<void> {
  await executor.deleteFrom('marketplace_entitlements').where('transaction_id', '=', transactionId).execute();
}
