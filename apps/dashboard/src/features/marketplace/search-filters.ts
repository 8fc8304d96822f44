import type { ListingKind, PricingModel } from '@mission-control/contracts';
import { listingCategorySchema, listingKindSchema, listingTagSchema, pricingModelSchema } from '@mission-control/contracts';
import { type ListingSearchQuery, searchPageSize } from './marketplace-api';
import { type SortOrder, sortOptions } from './marketplace-wording';

/** The search as the URL keeps it: `?q=…&category=…&kind=…&pricing=free,one-off&tags=a,b&minRating=4&sort=rating&offset=20`. */
export interface SearchFilters {
  q: string;
  category: string;
  kind: ListingKind | '';
  pricing: PricingModel[];
  tags: string[];
  minRating: number | undefined;
  sort: SortOrder;
  offset: number;
}

export const filterNames = ['q', 'category', 'kind', 'pricing', 'tags', 'minRating', 'sort', 'offset'] as const;
export type FilterName = (typeof filterNames)[number];

const list = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

/** Reads the URL's filters, dropping what the server would refuse (a hand-edited link should not break the page). */
export function readFilters(parameters: URLSearchParams): SearchFilters {
  const category = listingCategorySchema.safeParse(parameters.get('category') ?? '');
  const kind = listingKindSchema.safeParse(parameters.get('kind'));
  const sort = parameters.get('sort');
  const minRating = Number(parameters.get('minRating'));
  const offset = Number(parameters.get('offset'));
  return {
    q: parameters.get('q') ?? '',
    category: category.success ? category.data : '',
    kind: kind.success ? kind.data : '',
    pricing: [...new Set(list(parameters.get('pricing')).flatMap((value) => pricingModelSchema.safeParse(value).data ?? []))],
    tags: [...new Set(list(parameters.get('tags')).flatMap((value) => listingTagSchema.safeParse(value).data ?? []))].slice(0, 20),
    minRating: Number.isInteger(minRating) && minRating >= 1 && minRating <= 5 ? minRating : undefined,
    sort: sortOptions.find((option) => option === sort) ?? 'relevance',
    offset: Number.isInteger(offset) && offset > 0 && offset <= 10_000 ? offset : 0,
  };
}

/** Whether anything narrows the search (words or a filter); sort and page do not. */
export function isFiltered(filters: SearchFilters): boolean {
  return Boolean(
    filters.q.trim() || filters.category || filters.kind || filters.pricing.length || filters.tags.length || filters.minRating,
  );
}

/** The query the server takes for these filters. */
export function toSearchQuery(filters: SearchFilters): ListingSearchQuery {
  const q = filters.q.trim().slice(0, 200);
  return {
    ...(q ? { q } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.pricing.length ? { pricing: filters.pricing.join(',') } : {}),
    ...(filters.tags.length ? { tags: filters.tags.join(',') } : {}),
    ...(filters.minRating ? { minRating: filters.minRating } : {}),
    sort: filters.sort,
    limit: searchPageSize,
    offset: filters.offset,
  };
}

/**
 * The URL after some filters change: empty values leave it, and any change but the page's goes
 * back to the first page (page 3 of the old results means nothing for the new ones).
 */
export function withFilters(parameters: URLSearchParams, changes: Partial<Record<FilterName, string>>): URLSearchParams {
  const next = new URLSearchParams(parameters);
  for (const [name, value] of Object.entries(changes)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  if (!('offset' in changes)) next.delete('offset');
  if (next.get('sort') === 'relevance') next.delete('sort');
  return next;
}

/** A value toggled in or out of a comma-separated list. */
export function toggled(values: readonly string[], value: string): string {
  return (values.includes(value) ? values.filter((each) => each !== value) : [...values, value]).join(',');
}
