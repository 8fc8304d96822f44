import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { plural } from '../../lib/format';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { FacetFilters } from './facet-filters';
import { ListingCard } from './listing-card';
import { searchPageSize, useListingSearch } from './marketplace-api';
import { MarketplaceHeader } from './marketplace-tabs';
import { type SortOrder, sortLabels, sortOptions } from './marketplace-wording';
import { type FilterName, filterNames, isFiltered, readFilters, toSearchQuery, withFilters } from './search-filters';

/**
 * Marketplace → Browse: search the listings of this server by words, narrow them by category,
 * kind, price, tags and rating (each with its count), sort them, and page through the results.
 * Everything is kept in the URL, so a search can be shared and survives a reload.
 */
export default function MarketplacePage() {
  usePageTitle('Marketplace');
  const id = useId();
  const [parameters, setParameters] = useSearchParams();
  const filters = readFilters(parameters);
  const settledWords = useDebouncedValue(filters.q, 300);
  const search = useListingSearch(toSearchQuery({ ...filters, q: settledWords }));
  const now = useNow();
  const change = (changes: Partial<Record<FilterName, string>>) => setParameters(withFilters(parameters, changes), { replace: true });
  const clear = () => change(Object.fromEntries(filterNames.map((name) => [name, ''])));
  const result = search.data;
  const first = filters.offset + 1;
  const last = filters.offset + (result?.data.length ?? 0);

  return (
    <div className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="Marketplace">
        <Link to="/marketplace/publish" className="brutal-button" data-variant="primary">
          Publish to marketplace
        </Link>
      </MarketplaceHeader>
      <p className="max-w-3xl">
        Agents, workflows and skills that others on this server published: install one into your workspace and it starts without keys, ready
        for your own.
      </p>
      <form
        aria-label="Search"
        className="grid min-w-0 grid-cols-1 gap-3 border-[3px] border-ink p-3 sm:grid-cols-[1fr_14rem]"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="min-w-0">
          <label className="brutal-label" htmlFor={`${id}-q`}>
            Search the marketplace
          </label>
          <input
            id={`${id}-q`}
            type="search"
            className="brutal-input"
            value={filters.q}
            placeholder="words in titles, summaries and tags"
            onChange={(event) => change({ q: event.target.value })}
          />
        </div>
        <div className="min-w-0">
          <label className="brutal-label" htmlFor={`${id}-sort`}>
            Sort by
          </label>
          <select
            id={`${id}-sort`}
            className="brutal-input"
            value={filters.sort}
            onChange={(event) => change({ sort: event.target.value as SortOrder })}
          >
            {sortOptions.map((option) => (
              <option key={option} value={option}>
                {sortLabels[option]}
              </option>
            ))}
          </select>
        </div>
      </form>
      <div className="grid min-w-0 grid-cols-1 gap-4 lg:grid-cols-[16rem_1fr]">
        <aside className="flex min-w-0 flex-col gap-2" aria-label="Filters">
          <FacetFilters filters={filters} facets={result?.facets} onChange={change} />
          {isFiltered(filters) ? (
            <button type="button" className="brutal-button self-start" onClick={clear}>
              Clear search and filters
            </button>
          ) : null}
        </aside>
        <section className="flex min-w-0 flex-col gap-3" aria-labelledby={`${id}-results`}>
          <h2 id={`${id}-results`} className="sr-only">
            Results
          </h2>
          {search.isError ? <ErrorState error={search.error} what="the marketplace" onRetry={() => void search.refetch()} /> : null}
          {!result && search.isPending ? <SkeletonList rows={3} className="h-32" /> : null}
          {result ? (
            <p aria-live="polite" className="font-bold" data-testid="result-count">
              {result.total === 0
                ? 'No listings'
                : result.data.length === result.total
                  ? plural(result.total, 'listing')
                  : `Showing ${first}–${last} of ${plural(result.total, 'listing')}`}
            </p>
          ) : null}
          {result && result.total === 0 ? (
            isFiltered(filters) ? (
              <EmptyState title="Nothing matches">Try fewer or other words (each one must match), or take a filter away.</EmptyState>
            ) : (
              <EmptyState title="The marketplace is empty">
                Nobody has published anything on this server yet.{' '}
                <Link to="/marketplace/publish" className="font-bold underline">
                  Publish an agent, workflow or skill of yours
                </Link>
                .
              </EmptyState>
            )
          ) : null}
          {result && result.data.length === 0 && result.total > 0 ? (
            <EmptyState title="No listings on this page">
              <button type="button" className="brutal-button" onClick={() => change({ offset: '' })}>
                Back to the first page
              </button>
            </EmptyState>
          ) : null}
          <ul className="grid min-w-0 grid-cols-1 gap-3 md:grid-cols-2" aria-label="Listings">
            {result?.data.map((listing) => (
              <ListingCard key={listing.id} listing={listing} now={now} />
            ))}
          </ul>
          {result && result.total > searchPageSize ? (
            <nav aria-label="Pages of results" className="flex flex-wrap items-center gap-2">
              <button
                type="button"
                className="brutal-button"
                disabled={filters.offset === 0}
                onClick={() => change({ offset: String(Math.max(0, filters.offset - searchPageSize)) })}
              >
                Previous page
              </button>
              <span className="font-mono text-sm">
                Page {Math.floor(filters.offset / searchPageSize) + 1} of {Math.ceil(result.total / searchPageSize)}
              </span>
              <button
                type="button"
                className="brutal-button"
                disabled={last >= result.total}
                onClick={() => change({ offset: String(filters.offset + searchPageSize) })}
              >
                Next page
              </button>
            </nav>
          ) : null}
        </section>
      </div>
    </div>
  );
}
