import { type KeyboardEvent, useEffect, useId, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Dialog } from '../../components/dialog';
import { describeError } from '../../lib/describe-error';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { useAgents } from '../agents/agents-api';
import { navigation } from '../layout/navigation';
import { useWorkspaceSearch } from '../search/search-api';
import { Snippet } from '../search/search-page';
import { buildPaletteOptions, type PaletteOption } from './palette-options';

const searchDelayMs = 200;

/** Ctrl-K: one field that searches the workspace as you type and jumps to a page, task, document or agent. */
export default function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const debounced = useDebouncedValue(query, searchDelayMs);
  const search = useWorkspaceSearch(debounced, undefined);
  const navigate = useNavigate();
  const location = useLocation();
  const listId = useId();
  const agents = useAgents();
  const hits = debounced.trim() && search.data ? search.data.hits : [];
  const options = useMemo(() => buildPaletteOptions(query, navigation, hits, agents.data), [query, hits, agents.data]);
  // A new list starts at its first row.
  // biome-ignore lint/correctness/useExhaustiveDependencies: resets when the rows change on purpose
  useEffect(() => setActive(0), [options.length, debounced]);
  // Reopening starts empty.
  useEffect(() => {
    if (!open) setQuery('');
  }, [open]);

  const jump = (option: PaletteOption) => {
    onOpenChange(false);
    if (option.to.startsWith('?')) navigate({ pathname: location.pathname, search: option.to });
    else navigate(option.to);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (options.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + options.length) % options.length);
    } else if (event.key === 'Home' && options.length > 0) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End' && options.length > 0) {
      event.preventDefault();
      setActive(options.length - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = options[active];
      if (option) jump(option);
    }
  };

  const groups = [...new Set(options.map((option) => option.group))];
  const optionId = (index: number) => `${listId}-option-${index}`;
  const searching = Boolean(query.trim()) && (query !== debounced || search.isFetching);

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Search and jump"
      description="Type to search tasks, documents, messages and memories, or pick a page. Arrow keys move, Enter opens."
    >
      <input
        autoFocus
        type="text"
        role="combobox"
        aria-label="Search or jump to"
        aria-expanded={options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={options[active] ? optionId(active) : undefined}
        className="w-full border-[3px] border-ink bg-paper px-3 py-2 text-lg"
        placeholder="words or a page name"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <p className="mt-2 min-h-5 text-sm" role="status">
        {search.isError
          ? `The search failed: ${describeError(search.error)}`
          : searching
            ? 'Searching…'
            : query.trim() && debounced.trim() && search.data
              ? `${search.data.hits.length === 0 ? 'Nothing found' : `${search.data.hits.length} found`}`
              : ''}
      </p>
      <div id={listId} role="listbox" aria-label="Results" className="mt-2 flex max-h-[60vh] flex-col gap-3 overflow-y-auto">
        {groups.map((group) => (
          // biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox, per WAI-ARIA
          <div key={group} role="group" aria-label={group}>
            <div aria-hidden="true" className="mb-1 text-xs font-black uppercase">
              {group}
            </div>
            {options.map((option, index) =>
              option.group === group ? (
                // biome-ignore lint/a11y/useKeyWithClickEvents: keys reach the options through the field (aria-activedescendant)
                <div
                  key={option.id}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === active}
                  tabIndex={-1}
                  className={`cursor-pointer border-2 px-2 py-1 ${index === active ? 'border-ink bg-ink text-paper' : 'border-transparent'}`}
                  onMouseMove={() => setActive(index)}
                  onClick={() => jump(option)}
                >
                  <div className="font-bold break-words">{option.label}</div>
                  {option.snippet ? (
                    <div className="text-sm break-words">
                      <Snippet text={option.snippet} />
                    </div>
                  ) : null}
                </div>
              ) : null,
            )}
          </div>
        ))}
      </div>
    </Dialog>
  );
}
