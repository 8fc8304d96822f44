import type { ListingSearchResult, SearchListingsQuery } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { toSearchTerms } from '../../core/search-terms.js';
import type { ServiceContext } from '../../core/service-context.js';
import { findListingRows } from './listing.repository.js';
import type { ListingService } from './listing.service.js';
import { findListingCandidates, type ListingCandidate } from './listing-search.repository.js';
import { recentSince } from './listing-views.js';

/** How many ratings of the server's mean a listing's own ratings are weighed against (the "one 5-star review" guard). */
const ratingPriorWeight = 5;
/** The prior before anyone has rated anything. */
const defaultMeanRating = 3.5;

interface Scored extends ListingCandidate {
  tags: string[];
  average: number | null;
  bayesian: number;
}

function countFacet(candidates: readonly Scored[], valuesOf: (candidate: Scored) => readonly string[]) {
  const counts = new Map<string, number>();
  for (const candidate of candidates) for (const value of valuesOf(candidate)) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((left, right) => right.count - left.count || left.value.localeCompare(right.value))
    .slice(0, 30);
}

/**
 * Marketplace search: the engine's full-text index finds the listings matching the words; filters,
 * facets and sorting then run over those candidates. Each facet counts the candidates that pass
 * every other filter, so choosing a category still shows how many listings the other categories hold.
 */
export class ListingSearchService {
  constructor(
    private readonly context: ServiceContext,
    private readonly listings: Pick<ListingService, 'viewerOf' | 'presentListings'>,
  ) {}

  async searchListings(principal: Principal, query: SearchListingsQuery): Promise<ListingSearchResult> {
    const viewer = await this.listings.viewerOf(principal);
    const candidates = await findListingCandidates(this.context.db, this.context.engine, {
      viewer,
      terms: toSearchTerms(query.q ?? ''),
      recentSince: recentSince(this.context.clock.now()),
    });
    const ratingSum = candidates.reduce((sum, candidate) => sum + (candidate.rating_sum ?? 0), 0);
    const ratingCount = candidates.reduce((sum, candidate) => sum + (candidate.rating_count ?? 0), 0);
    const mean = ratingCount === 0 ? defaultMeanRating : ratingSum / ratingCount;
    const scored: Scored[] = candidates.map((candidate) => {
      const count = candidate.rating_count ?? 0;
      const sum = candidate.rating_sum ?? 0;
      return {
        ...candidate,
        tags: candidate.tags_text.split(' ').filter((tag) => tag.length > 0),
        average: count === 0 ? null : sum / count,
        bayesian: (ratingPriorWeight * mean + sum) / (ratingPriorWeight + count),
      };
    });

    const filters = {
      category: (candidate: Scored) => query.category === undefined || candidate.category === query.category,
      kind: (candidate: Scored) => query.kind === undefined || candidate.kind === query.kind,
      pricing: (candidate: Scored) =>
        query.pricing === undefined || query.pricing.length === 0 || query.pricing.includes(candidate.pricing_model as never),
      tags: (candidate: Scored) => (query.tags ?? []).every((tag) => candidate.tags.includes(tag)),
      rating: (candidate: Scored) => query.minRating === undefined || (candidate.average !== null && candidate.average >= query.minRating),
    };
    type FilterName = keyof typeof filters;
    const passesAllBut = (candidate: Scored, except: FilterName | null) =>
      (Object.keys(filters) as FilterName[]).every((name) => name === except || filters[name](candidate));

    const matching = scored.filter((candidate) => passesAllBut(candidate, null));
    const sorters: Record<SearchListingsQuery['sort'], (left: Scored, right: Scored) => number> = {
      relevance: (left, right) => right.score - left.score || right.bayesian - left.bayesian || right.id.localeCompare(left.id),
      rating: (left, right) => right.bayesian - left.bayesian || right.id.localeCompare(left.id),
      installs: (left, right) => (right.installs ?? 0) - (left.installs ?? 0) || right.id.localeCompare(left.id),
      newest: (left, right) => right.created_at.localeCompare(left.created_at) || right.id.localeCompare(left.id),
      trending: (left, right) =>
        (right.recent_installs ?? 0) - (left.recent_installs ?? 0) ||
        (right.installs ?? 0) - (left.installs ?? 0) ||
        right.id.localeCompare(left.id),
    };
    // Without words every candidate scores 0: relevance falls back to the rating.
    matching.sort(sorters[query.sort]);
    const pageIds = matching.slice(query.offset, query.offset + query.limit).map((candidate) => candidate.id);
    const rows = new Map((await findListingRows(this.context.db, pageIds)).map((row) => [row.id, row]));
    const data = await this.listings.presentListings(
      pageIds.flatMap((id) => {
        const row = rows.get(id);
        return row ? [row] : [];
      }),
      viewer,
    );
    return {
      data,
      total: matching.length,
      facets: {
        category: countFacet(
          scored.filter((candidate) => passesAllBut(candidate, 'category')),
          (candidate) => [candidate.category],
        ),
        kind: countFacet(
          scored.filter((candidate) => passesAllBut(candidate, 'kind')),
          (candidate) => [candidate.kind],
        ),
        pricing: countFacet(
          scored.filter((candidate) => passesAllBut(candidate, 'pricing')),
          (candidate) => [candidate.pricing_model],
        ),
        tags: countFacet(
          scored.filter((candidate) => passesAllBut(candidate, 'tags')),
          (candidate) => candidate.tags,
        ),
      },
    };
  }
}
