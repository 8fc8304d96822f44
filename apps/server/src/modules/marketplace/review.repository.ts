import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { MarketplaceReviewTable } from '../../db/schema.js';

export type ReviewRow = Selectable<MarketplaceReviewTable>;

export async function insertReview(executor: DatabaseExecutor, row: Insertable<MarketplaceReviewTable>): Promise<void> {
  await executor.insertInto('marketplace_reviews').values(row).execute();
}

export async function updateReviewRow(executor: DatabaseExecutor, id: string, changes: Updateable<MarketplaceReviewTable>): Promise<void> {
  await executor.updateTable('marketplace_reviews').set(changes).where('id', '=', id).execute();
}

export function findReviewRow(executor: DatabaseExecutor, id: string): Promise<ReviewRow | undefined> {
  return executor.selectFrom('marketplace_reviews').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOwnReviewRow(executor: DatabaseExecutor, listingId: string, version: string, authorId: string) {
  return executor
    .selectFrom('marketplace_reviews')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('version', '=', version)
    .where('author_id', '=', authorId)
    .executeTakeFirst();
}

/** Published reviews of a listing (and the viewer's own, whatever its state), newest first. */
export function listReviewRows(
  executor: DatabaseExecutor,
  filter: { listingId: string; viewerId: string; before: string | undefined; limit: number },
): Promise<ReviewRow[]> {
  let query = executor
    .selectFrom('marketplace_reviews')
    .selectAll()
    .where('listing_id', '=', filter.listingId)
    .where((eb) => eb.or([eb('status', '=', 'published'), eb('author_id', '=', filter.viewerId)]));
  if (filter.before) query = query.where('id', '<', filter.before);
  return query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

/** Reviews waiting for a moderator (oldest first), or decided ones (newest decision first). */
export function listModerationRows(
  executor: DatabaseExecutor,
  filter: { status: 'pending' | 'decided'; after: string | undefined; limit: number },
): Promise<ReviewRow[]> {
  let query = executor.selectFrom('marketplace_reviews').selectAll();
  if (filter.status === 'pending') {
    query = query.where('status', '=', 'pending');
    if (filter.after) query = query.where('id', '>', filter.after);
    return query
      .orderBy('id', 'asc')
      .limit(filter.limit + 1)
      .execute();
  }
  query = query.where('moderation_decision', 'is not', null);
  if (filter.after) query = query.where('id', '<', filter.after);
  return query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

/** Published ratings per listing and star. */
export async function countRatingsOf(executor: DatabaseExecutor, listingIds: readonly string[]) {
  if (listingIds.length === 0) return [];
  const rows = await executor
    .selectFrom('marketplace_reviews')
    .select((eb) => ['listing_id', 'rating', eb.fn.countAll<number>().as('count')])
    .where('listing_id', 'in', listingIds)
    .where('status', '=', 'published')
    .groupBy(['listing_id', 'rating'])
    .execute();
  return rows.map((row) => ({ listingId: row.listing_id, rating: Number(row.rating), count: Number(row.count) }));
}

/** The mean of every published rating on the server (the prior of the Bayesian average). */
export async function findMeanRating(executor: DatabaseExecutor): Promise<number | null> {
  const row = await executor
    .selectFrom('marketplace_reviews')
    .select((eb) => eb.fn.avg<number>('rating').as('mean'))
    .where('status', '=', 'published')
    .executeTakeFirst();
  return row?.mean === null || row?.mean === undefined ? null : Number(row.mean);
}

export async function insertReportIfAbsent(
  executor: DatabaseExecutor,
  row: { review_id: string; reporter_id: string; reason: string; created_at: string },
): Promise<boolean> {
  const result = await executor
    .insertInto('marketplace_review_reports')
    .values(row)
    .onConflict((conflict) => conflict.columns(['review_id', 'reporter_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function listReportsOf(executor: DatabaseExecutor, reviewIds: readonly string[]) {
  if (reviewIds.length === 0) return [];
  return executor.selectFrom('marketplace_review_reports').selectAll().where('review_id', 'in', reviewIds).orderBy('created_at').execute();
}

export function findModerationSettingsRow(executor: DatabaseExecutor) {
  return executor.selectFrom('marketplace_settings').selectAll().where('id', '=', 'moderation').executeTakeFirst();
}

export async function upsertModerationSettings(executor: DatabaseExecutor, blockedWords: string, updatedAt: string): Promise<void> {
  await executor
    .insertInto('marketplace_settings')
    .values({ id: 'moderation', blocked_words: blockedWords, updated_at: updatedAt })
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ blocked_words: blockedWords, updated_at: updatedAt }))
    .execute();
}
