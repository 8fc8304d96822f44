import { taskPrioritySchema, taskStatusSchema } from '@mission-control/contracts';
import { useDeferredValue } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PriorityBadge, TaskStatusBadge } from '../../components/badges';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDate, statusLabels } from '../../lib/format';
import { usePrincipalDirectory } from '../people/people-api';
import { NewTaskButton } from './task-form';
import { useTaskList } from './tasks-api';

/** Every task, searchable and filterable; filters live in the URL so a view can be shared. */
export default function TasksPage() {
  const [parameters, setParameters] = useSearchParams();
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
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(parameters);
    if (value) next.set(name, value);
    else next.delete(name);
    setParameters(next, { replace: true });
  };

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
        <div>
          <label className="brutal-label" htmlFor="task-search">
            Search
          </label>
          <input
            id="task-search"
            className="brutal-input"
            value={q}
            onChange={(event) => setFilter('q', event.target.value)}
            placeholder="title or description"
          />
        </div>
        <div>
          <label className="brutal-label" htmlFor="task-status-filter">
            Status
          </label>
          <select
            id="task-status-filter"
            className="brutal-input"
            value={status ?? ''}
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">Any status</option>
            {taskStatusSchema.options.map((option) => (
              <option key={option} value={option}>
                {statusLabels[option]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="brutal-label" htmlFor="task-priority-filter">
            Priority
          </label>
          <select
            id="task-priority-filter"
            className="brutal-input"
            value={priority ?? ''}
            onChange={(event) => setFilter('priority', event.target.value)}
          >
            <option value="">Any priority</option>
            {taskPrioritySchema.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="brutal-label" htmlFor="task-assignee-filter">
            Assignee
          </label>
          <select
            id="task-assignee-filter"
            className="brutal-input"
            value={assigneeId}
            onChange={(event) => setFilter('assignee', event.target.value)}
          >
            <option value="">Anyone</option>
            {directory.entries.map((entry) => (
              <option key={entry.reference.id} value={entry.reference.id}>
                {entry.name}
              </option>
            ))}
          </select>
        </div>
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
