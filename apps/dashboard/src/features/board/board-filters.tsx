import { type Task, type TaskPriority, taskPrioritySchema } from '@mission-control/contracts';
import { useCallback, useDeferredValue, useMemo } from 'react';
import { FilterInput, FilterSelect } from '../../components/filter-fields';
import { plural } from '../../lib/format';
import { useUrlFilters } from '../../lib/use-url-filters';
import { useAgents } from '../agents/agents-api';
import { usePrincipalDirectory } from '../people/people-api';

/** The board's filters as URL parameters: a reload or a shared link shows the same board. */
export const boardFilterNames = ['assignee', 'capability', 'priority', 'q'] as const;

/** The assignee filter's value for tasks nobody holds. */
export const unassignedFilter = 'nobody';

export interface BoardFilterValues {
  assignee: string;
  capability: string;
  priority: TaskPriority | '';
  q: string;
}

/** Whether a task passes the board's filters; empty filters let everything through. */
export function matchesBoardFilters(task: Task, filters: BoardFilterValues): boolean {
  if (filters.priority && task.priority !== filters.priority) return false;
  if (filters.capability && !task.requiredCapabilities.includes(filters.capability)) return false;
  if (filters.assignee === unassignedFilter) {
    if (task.assignees.length > 0) return false;
  } else if (filters.assignee && !task.assignees.some((each) => each.id === filters.assignee)) return false;
  const text = filters.q.trim().toLowerCase();
  if (text && ![task.key, task.title, task.description].some((field) => field.toLowerCase().includes(text))) return false;
  return true;
}

/** The board's filters read from the URL, with a predicate for its cards. */
export function useBoardFilters() {
  const { parameters, setFilter, clearFilters } = useUrlFilters();
  const q = parameters.get('q') ?? '';
  // Typing stays quick on a big board: the cards follow a moment behind the field.
  const deferredQuery = useDeferredValue(q);
  const values: BoardFilterValues = {
    assignee: parameters.get('assignee') ?? '',
    capability: parameters.get('capability') ?? '',
    priority: taskPrioritySchema.safeParse(parameters.get('priority')).data ?? '',
    q,
  };
  const { assignee, capability, priority } = values;
  const matches = useCallback(
    (task: Task) => matchesBoardFilters(task, { assignee, capability, priority, q: deferredQuery }),
    [assignee, capability, priority, deferredQuery],
  );
  const active = Boolean(assignee || capability || priority || q.trim());
  return { values, active, matches, setFilter, clear: () => clearFilters(boardFilterNames) };
}

/** The filter fields above the board, how many cards they hide, and a way back to every card. */
export function BoardFilters({
  filters,
  tasks,
  hiddenCount,
}: {
  filters: ReturnType<typeof useBoardFilters>;
  tasks: readonly Task[];
  hiddenCount: number;
}) {
  const directory = usePrincipalDirectory();
  const agents = useAgents();
  const { values, setFilter } = filters;
  const capabilities = useMemo(() => {
    const all = new Set<string>([
      ...(agents.data ?? []).flatMap((agent) => agent.capabilities),
      ...tasks.flatMap((task) => task.requiredCapabilities),
    ]);
    // A capability from a shared link still shows as chosen even if nobody has it any more.
    if (values.capability) all.add(values.capability);
    return [...all].sort();
  }, [agents.data, tasks, values.capability]);

  return (
    <form
      aria-label="Board filters"
      className="mb-3 flex flex-col gap-2 border-[3px] border-ink p-3"
      onSubmit={(event) => event.preventDefault()}
    >
      {/* Two to a row on a phone, so the board is not pushed a screen down. */}
      <div className="grid grid-cols-2 gap-2 lg:grid-cols-4 lg:gap-3">
        <div className="col-span-2 lg:col-span-1">
          <FilterInput
            id="board-search"
            label="Search the board"
            value={values.q}
            placeholder="key, title or description"
            onChange={(value) => setFilter('q', value)}
          />
        </div>
        <FilterSelect
          id="board-assignee-filter"
          label="Assignee"
          value={values.assignee}
          anyLabel="Anyone"
          options={[
            { value: unassignedFilter, label: 'Nobody yet' },
            ...directory.entries.map((entry) => ({ value: entry.reference.id, label: entry.name })),
          ]}
          onChange={(value) => setFilter('assignee', value)}
        />
        <FilterSelect
          id="board-capability-filter"
          label="Needs capability"
          value={values.capability}
          anyLabel="Any capability"
          options={capabilities.map((capability) => ({ value: capability, label: capability }))}
          onChange={(value) => setFilter('capability', value)}
        />
        <FilterSelect
          id="board-priority-filter"
          label="Priority"
          value={values.priority}
          anyLabel="Any priority"
          options={taskPrioritySchema.options.map((option) => ({ value: option, label: option }))}
          onChange={(value) => setFilter('priority', value)}
        />
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 empty:hidden">
        <p className="font-mono text-xs font-bold" aria-live="polite" data-testid="board-hidden-count">
          {filters.active
            ? hiddenCount === 0
              ? 'Every card matches the filters.'
              : `${plural(hiddenCount, 'card')} hidden by the filters.`
            : ''}
        </p>
        {filters.active ? (
          <button type="button" className="brutal-button" onClick={filters.clear}>
            Clear filters
          </button>
        ) : null}
      </div>
    </form>
  );
}
