import type { ListingSearchResult } from '@mission-control/contracts';
import { useId } from 'react';
import { categoryLabel, kindLabels, pricingModelLabels } from './marketplace-wording';
import { type FilterName, type SearchFilters, toggled } from './search-filters';

type Facet = ListingSearchResult['facets']['category'];

/** A facet's values with their counts, and the chosen ones even when nothing has them any more. */
function withChosen(facet: Facet | undefined, chosen: readonly string[]): Facet {
  const values = [...(facet ?? [])];
  for (const value of chosen) if (!values.some((entry) => entry.value === value)) values.push({ value, count: 0 });
  return values;
}

const ratingChoices = [4, 3, 2, 1] as const;
/** How many tags the filter offers; the most used first. */
const tagLimit = 15;

/**
 * The filters beside the results: category and kind (one each), prices and tags (any number),
 * and a minimum rating, each value with how many listings have it for the words searched.
 */
export function FacetFilters({
  filters,
  facets,
  onChange,
}: {
  filters: SearchFilters;
  facets: ListingSearchResult['facets'] | undefined;
  onChange: (changes: Partial<Record<FilterName, string>>) => void;
}) {
  const id = useId();
  const categories = withChosen(facets?.category, filters.category ? [filters.category] : []);
  const kinds = withChosen(facets?.kind, filters.kind ? [filters.kind] : []);
  const prices = withChosen(facets?.pricing, filters.pricing);
  const tags = withChosen(facets?.tags.slice(0, tagLimit), filters.tags);
  const kindLabel = (value: string) => kindLabels[value as keyof typeof kindLabels] ?? value;
  const priceLabel = (value: string) => pricingModelLabels[value as keyof typeof pricingModelLabels] ?? value;

  return (
    <div className="flex min-w-0 flex-col gap-4 border-[3px] border-ink p-3" data-testid="facet-filters">
      <h2 className="text-lg font-black uppercase">Filters</h2>
      <div>
        <label className="brutal-label" htmlFor={`${id}-category`}>
          Category
        </label>
        <select
          id={`${id}-category`}
          className="brutal-input"
          value={filters.category}
          onChange={(event) => onChange({ category: event.target.value })}
        >
          <option value="">Any category</option>
          {categories.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {categoryLabel(entry.value)} ({entry.count})
            </option>
          ))}
        </select>
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${id}-kind`}>
          Kind
        </label>
        <select
          id={`${id}-kind`}
          className="brutal-input"
          value={filters.kind}
          onChange={(event) => onChange({ kind: event.target.value })}
        >
          <option value="">Any kind</option>
          {kinds.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {kindLabel(entry.value)} ({entry.count})
            </option>
          ))}
        </select>
      </div>
      <CheckboxFacet
        legend="Price"
        values={prices}
        chosen={filters.pricing}
        label={priceLabel}
        onToggle={(value) => onChange({ pricing: toggled(filters.pricing, value) })}
        emptyText="No listings to filter by price."
      />
      <CheckboxFacet
        legend="Tags"
        values={tags}
        chosen={filters.tags}
        label={(value) => value}
        onToggle={(value) => onChange({ tags: toggled(filters.tags, value) })}
        emptyText="No tags among these listings."
        hint={filters.tags.length > 1 ? 'Listings with every chosen tag.' : undefined}
      />
      <div>
        <label className="brutal-label" htmlFor={`${id}-rating`}>
          Minimum rating
        </label>
        <select
          id={`${id}-rating`}
          className="brutal-input"
          value={filters.minRating ?? ''}
          onChange={(event) => onChange({ minRating: event.target.value })}
        >
          <option value="">Any rating</option>
          {ratingChoices.map((stars) => (
            <option key={stars} value={stars}>
              {stars === 1 ? '1 star and up' : `${stars} stars and up`}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function CheckboxFacet({
  legend,
  values,
  chosen,
  label,
  onToggle,
  emptyText,
  hint,
}: {
  legend: string;
  values: Facet;
  chosen: readonly string[];
  label: (value: string) => string;
  onToggle: (value: string) => void;
  emptyText: string;
  hint?: string | undefined;
}) {
  return (
    <fieldset className="min-w-0">
      <legend className="brutal-label">{legend}</legend>
      {values.length === 0 ? <p className="text-sm text-ink-muted">{emptyText}</p> : null}
      <ul className="flex flex-col gap-1">
        {values.map((entry) => (
          <li key={entry.value}>
            <label className="flex min-w-0 items-center gap-2 text-sm break-words">
              <input
                type="checkbox"
                className="size-4 shrink-0 accent-[var(--color-signal)]"
                checked={chosen.includes(entry.value)}
                onChange={() => onToggle(entry.value)}
              />
              <span className="min-w-0">
                {label(entry.value)} ({entry.count})
              </span>
            </label>
          </li>
        ))}
      </ul>
      {hint ? <p className="mt-1 text-xs text-ink-muted">{hint}</p> : null}
    </fieldset>
  );
}
