import type { SearchHit } from '@mission-control/contracts';
import { useDeferredValue } from 'react';
import { Link } from 'react-router';
import { FilterInput, FilterSelect } from '../../components/filter-fields';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useUrlFilters } from '../../lib/use-url-filters';
import { useWorkspaceSearch } from './search-api';

const typeLabels = { task: 'Task', message: 'Message', document: 'Document', skill: 'Skill', memory: 'Memory' } as const;

/** The snippet with its **matched** words marked, as React text (never HTML). */
export function Snippet({ text }: { text: string }) {
  const parts = text.split('**');
  return (
    <span>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <mark key={index} className="bg-signal px-0.5 font-bold">
            {part}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <span key={index}>{part}</span>
        ),
      )}
    </span>
  );
}

/** Documents, skills and agents have pages; tasks and messages open the task drawer over the results. */
function linkOf(hit: SearchHit, q: string): string {
  if (hit.type === 'document') return `/documents/${hit.id}`;
  if (hit.type === 'skill') return `/skills/${hit.id}`;
  if (hit.type === 'memory') return hit.agentId ? `/agents/${hit.agentId}` : '/agents';
  return `/search?${new URLSearchParams({ q, task: hit.taskId ?? hit.id })}`;
}

export default function SearchPage() {
  const { parameters, setFilter } = useUrlFilters();
  const q = parameters.get('q') ?? '';
  const types = parameters.get('types') ?? '';
  const deferred = useDeferredValue(q);
  const search = useWorkspaceSearch(deferred, types || undefined);

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">Search</h1>
      <form
        aria-label="Search"
        className="grid grid-cols-1 gap-3 border-[3px] border-ink p-3 sm:grid-cols-3"
        onSubmit={(event) => event.preventDefault()}
      >
        <FilterInput
          id="workspace-search"
          label="Search everything"
          value={q}
          placeholder="words to look for"
          onChange={(value) => setFilter('q', value)}
        />
        <FilterSelect
          id="search-types"
          label="Type"
          value={types}
          anyLabel="Everything"
          options={Object.entries(typeLabels).map(([value, label]) => ({ value, label }))}
          onChange={(value) => setFilter('types', value)}
        />
      </form>
      {!deferred.trim() ? (
        <EmptyState title="Type to search">Tasks, messages, documents, skills and memories of this workspace.</EmptyState>
      ) : search.isPending ? (
        <SkeletonList rows={4} />
      ) : search.isError ? (
        <ErrorState error={search.error} what="the search" onRetry={() => search.refetch()} />
      ) : (
        <>
          <p className="font-mono text-sm">
            {(['task', 'message', 'document', 'skill', 'memory'] as const)
              .map((type) => `${typeLabels[type]}: ${search.data.facets[type]}`)
              .join(' · ')}
          </p>
          {search.data.hits.length === 0 ? (
            <EmptyState title="Nothing found">Try other words: any of them may match.</EmptyState>
          ) : (
            <ul className="flex flex-col gap-2">
              {search.data.hits.map((hit) => (
                <li key={`${hit.type}-${hit.id}`} className="border-[3px] border-ink p-3">
                  <div className="flex flex-wrap items-baseline gap-2">
                    <span className="border-2 border-ink px-1 text-xs font-bold uppercase">{typeLabels[hit.type]}</span>
                    <Link to={linkOf(hit, q)} className="font-bold underline">
                      {hit.title || `${typeLabels[hit.type]} ${hit.id.slice(-6)}`}
                    </Link>
                    <span className="text-xs">{formatDateTime(hit.updatedAt)}</span>
                  </div>
                  <p className="mt-1 text-sm">
                    <Snippet text={hit.snippet} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
