import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { MarketplaceInstallationTable } from '../../db/schema.js';

export type InstallationRow = Selectable<MarketplaceInstallationTable>;

export async function insertInstallation(executor: DatabaseExecutor, row: Insertable<MarketplaceInstallationTable>): Promise<void> {
  await executor.insertInto('marketplace_installations').values(row).execute();
}

export async function updateInstallationRow(
  executor: DatabaseExecutor,
  id: string,
  changes: Updateable<MarketplaceInstallationTable>,
): Promise<void> {
  await executor.updateTable('marketplace_installations').set(changes).where('id', '=', id).execute();
}

export function findInstallationRow(executor: DatabaseExecutor, workspaceId: string, id: string): Promise<InstallationRow | undefined> {
  return executor
    .selectFrom('marketplace_installations')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export function listInstallationRows(executor: DatabaseExecutor, workspaceId: string, status: 'active' | 'paused' | 'uninstalled' | 'all') {
  let query = executor.selectFrom('marketplace_installations').selectAll().where('workspace_id', '=', workspaceId);
  if (status !== 'all') query = query.where('status', '=', status);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** The newest version of a listing a person installed anywhere, or undefined if they never did. */
export async function findInstalledVersionOf(executor: DatabaseExecutor, listingId: string, userId: string): Promise<string | undefined> {
  const row = await executor
    .selectFrom('marketplace_installations')
    .select('version')
    .where('listing_id', '=', listingId)
    .where('installed_by', '=', userId)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.version;
}

/** Installs per listing: ever, still active, and since a moment (trending). */
export async function countInstallsOf(executor: DatabaseExecutor, listingIds: readonly string[], since: string) {
  if (listingIds.length === 0) return new Map<string, { installs: number; active: number; recent: number }>();
  const rows = await executor
    .selectFrom('marketplace_installations')
    .select((eb) => [
      'listing_id',
      eb.fn.countAll<number>().as('installs'),
      sql<number>`sum(case when status = 'active' then 1 else 0 end)`.as('active'),
      sql<number>`sum(case when created_at >= ${since} then 1 else 0 end)`.as('recent'),
    ])
    .where('listing_id', 'in', listingIds)
    .groupBy('listing_id')
    .execute();
  return new Map(
    rows.map((row) => [row.listing_id, { installs: Number(row.installs), active: Number(row.active), recent: Number(row.recent) }]),
  );
}

/** The workspace's active installations of one listing (what a rental's end pauses). */
export function listActiveInstallationsOfListing(executor: DatabaseExecutor, workspaceId: string, listingId: string) {
  return executor
    .selectFrom('marketplace_installations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('listing_id', '=', listingId)
    .where('status', '=', 'active')
    .execute();
}

/** Installations of a listing, not uninstalled, whose installers consented to count their results. */
export function listConsentingInstallations(executor: DatabaseExecutor, listingId: string) {
  return executor
    .selectFrom('marketplace_installations')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('share_figures', '=', 1)
    .where('status', 'in', ['active', 'paused'])
    .limit(1_000)
    .execute();
}
