import { sql } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor, Engine } from '../../db/database.js';
import { discoverableBy, type ListingViewer } from './listing.repository.js';

const candidateRowSchema = z.object({
  id: z.string(),
  kind: z.string(),
  category: z.string(),
  tags_text: z.string(),
  pricing_model: z.string(),
  visibility: z.string(),
  created_at: z.union([z.string(), z.date()]).transform((value) => (value instanceof Date ? value.toISOString() : value)),
  score: z.coerce.number(),
  rating_sum: z.coerce.number().nullable(),
  rating_count: z.coerce.number().nullable(),
  installs: z.coerce.number().nullable(),
  recent_installs: z.coerce.number().nullable(),
});
export type ListingCandidate = z.infer<typeof candidateRowSchema>;

/**
 * Every listing the viewer may find that matches all the words (word prefixes, stemmed), with what
 * facets, filters and sorting need: relevance, published ratings and installs. Unlisted listings
 * are left out even for their publisher. Ratings and installs are aggregated once for all of them.
 */
export async function findListingCandidates(
  executor: DatabaseExecutor,
  engine: Engine,
  filter: { viewer: ListingViewer; terms: readonly string[]; recentSince: string },
): Promise<ListingCandidate[]> {
  // Correlated subqueries, one index lookup each per listing: joining grouped aggregates made
  // SQLite build and scan them for every candidate.
  let query = executor
    .selectFrom('marketplace_listings')
    .select((eb) => [
      'marketplace_listings.id',
      'marketplace_listings.kind',
      'marketplace_listings.category',
      'marketplace_listings.tags_text',
      'marketplace_listings.pricing_model',
      'marketplace_listings.visibility',
      'marketplace_listings.created_at',
      eb
        .selectFrom('marketplace_reviews')
        .select((inner) => inner.fn.sum<number>('rating').as('sum'))
        .whereRef('marketplace_reviews.listing_id', '=', 'marketplace_listings.id')
        .where('marketplace_reviews.status', '=', 'published')
        .as('rating_sum'),
      eb
        .selectFrom('marketplace_reviews')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('marketplace_reviews.listing_id', '=', 'marketplace_listings.id')
        .where('marketplace_reviews.status', '=', 'published')
        .as('rating_count'),
      eb
        .selectFrom('marketplace_installations')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('marketplace_installations.listing_id', '=', 'marketplace_listings.id')
        .as('installs'),
      eb
        .selectFrom('marketplace_installations')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('marketplace_installations.listing_id', '=', 'marketplace_listings.id')
        .where('marketplace_installations.created_at', '>=', filter.recentSince)
        .as('recent_installs'),
    ])
    .where((eb) => discoverableBy(eb, filter.viewer))
    .where('marketplace_listings.visibility', '<>', 'unlisted');

  if (filter.terms.length === 0) {
    const rows = await query.select(sql<number>`0`.as('score')).execute();
    return z.array(candidateRowSchema).parse(rows);
  }
  if (engine === 'postgres') {
    const tsquery = sql`to_tsquery('english', ${filter.terms.map((term) => `${term}:*`).join(' & ')})`;
    const rows = await query
      .select(sql<number>`ts_rank(search_vector, ${tsquery})`.as('score'))
      .where(sql<boolean>`search_vector @@ ${tsquery}`)
      .execute();
    return z.array(candidateRowSchema).parse(rows);
  }
  const match = filter.terms.map((term) => `"${term}"*`).join(' AND ');
  // bm25 weights per column (listing_id, title, summary, tags, description): the title counts most.
  const hits = sql<{ listing_id: string; rank: number }>`(
    select listing_id, -bm25(marketplace_listing_search, 0, 4.0, 2.0, 2.0, 1.0) as rank
    from marketplace_listing_search where marketplace_listing_search match ${match})`.as('hits');
  query = query.innerJoin(hits, (join) => join.onRef('hits.listing_id', '=', 'marketplace_listings.id'));
  const rows = await query.select(sql<number>`hits.rank`.as('score')).execute();
  return z.array(candidateRowSchema).parse(rows);
}
