import { taskPrioritySchema, taskStatusSchema } from '@mission-control/contracts';
import { useDeferredValue } from 'react';
import { Link } from 'react-router';
import { PriorityBadge, TaskStatusBadge } from '../../components/badges';
import { FilterInput, FilterSelect } from '../../components/filter-fields';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDate, statusLabels } from '../../lib/format';
import { useUrlFilters } from '../../lib/use-url-filters';
import { usePageTitle } from '../layout/use-page-title';
import { usePrincipalDirectory } from '../people/people-api';
import { NewTaskButton } from './task-form';
import { useTaskList } from './tasks-api';

/** Every task, searchable and filterable; filters live in the URL so a view can be shared. */
export default function TasksPage() {
  usePageTitle('Tasks');
  const { parameters, setFilter } = useUrlFilters();
  const q = parameters.get('q') ?? '';
  const status = taskStatusSchema.safeParse(parameters.get('status')).data;
  const priority = taskPrioritySchema.safeParse(parameters.get('priority')).data;
  const assigneeId = parameters.get('assignee') ?? '';
  const deferredQuery = useDeferredValue(q);
  const directory = usePrincipalDirectory();
  const tasks = useTaskList({
    q: deferredQuery || undefined,
    status: status ? [status] : undefined,
    priority: priority ? [priority] : undefined,
    assigneeId: assigneeId || undefined,
  });

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black uppercase">Tasks</h1>
        <NewTaskButton />
      </div>
      <form
        aria-label="Filters"
        className="grid grid-cols-1 gap-3 border-[3px] border-ink p-3 sm:grid-cols-2 lg:grid-cols-4"
        onSubmit={(event) => event.preventDefault()}
      >
        <FilterInput
          id="task-search"
          label="Search"
          value={q}
          placeholder="title or description"
          onChange={(value) => setFilter('q', value)}
        />
        <FilterSelect
          id="task-status-filter"
          label="Status"
          value={status ?? ''}
          anyLabel="Any status"
          options={taskStatusSchema.options.map((option) => ({ value: option, label: statusLabels[option] ?? option }))}
          onChange={(value) => setFilter('status', value)}
        />
        <FilterSelect
          id="task-priority-filter"
          label="Priority"
          value={priority ?? ''}
          anyLabel="Any priority"
          options={taskPrioritySchema.options.map((option) => ({ value: option, label: option }))}
          onChange={(value) => setFilter('priority', value)}
        />
        <FilterSelect
          id="task-assignee-filter"
          label="Assignee"
          value={assigneeId}
          anyLabel="Anyone"
          options={directory.entries.map((entry) => ({ value: entry.reference.id, label: entry.name }))}
          onChange={(value) => setFilter('assignee', value)}
        />
      </form>
      {tasks.isPending ? <SkeletonList rows={6} /> : null}
      {tasks.isError ? <ErrorState error={tasks.error} what="tasks" onRetry={() => void tasks.refetch()} /> : null}
      {tasks.data?.data.length === 0 ? <EmptyState title="No tasks match">Change the filters or create a task.</EmptyState> : null}
      {tasks.data && tasks.data.data.length > 0 ? (
        <div className="overflow-x-auto border-[3px] border-ink">
          <table className="w-full border-collapse text-left">
            <thead className="bg-ink text-paper">
              <tr className="font-mono text-xs uppercase">
                <th className="p-2">Key</th>
                <th className="p-2">Title</th>
                <th className="p-2">Status</th>
                <th className="p-2">Priority</th>
                <th className="p-2">Assignees</th>
                <th className="p-2">Due</th>
              </tr>
            </thead>
            <tbody>
              {tasks.data.data.map((task) => (
                <tr key={task.id} className="border-t-2 border-ink">
                  <td className="p-2 font-mono text-sm font-bold">
                    <Link
                      to={`?${new URLSearchParams({ ...Object.fromEntries(parameters), task: task.key }).toString()}`}
                      className="underline"
                    >
                      {task.key}
                    </Link>
                  </td>
                  <td className="p-2 font-bold">{task.title}</td>
                  <td className="p-2">
                    <TaskStatusBadge status={task.status} />
                  </td>
                  <td className="p-2">
                    <PriorityBadge priority={task.priority} />
                  </td>
                  <td className="p-2 text-sm">{task.assignees.map((each) => directory.nameOf(each)).join(', ') || '—'}</td>
                  <td className="p-2 font-mono text-xs">{formatDate(task.dueAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {tasks.data.nextCursor ? (
            <p className="p-2 font-mono text-xs">Showing the first 200. Narrow the filters to see the rest.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
