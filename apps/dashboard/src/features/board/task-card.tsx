import { useDraggable } from '@dnd-kit/core';
import type { Task } from '@mission-control/contracts';
import { memo } from 'react';
import { Link, useLocation } from 'react-router';
import { PriorityBadge } from '../../components/badges';
import { formatDate } from '../../lib/format';

interface TaskCardProps {
  task: Task;
  assigneeNames: string;
  /** Rendered inside the drag overlay: no drag handle, no link. */
  overlay?: boolean;
}

function TaskCardBody({ task, assigneeNames }: Omit<TaskCardProps, 'overlay'>) {
  return (
    <>
      <div className="flex items-center justify-between gap-2">
        <span className="font-mono text-xs font-bold">{task.key}</span>
        <PriorityBadge priority={task.priority} />
      </div>
      <p className="mt-1 line-clamp-3 font-bold leading-snug">{task.title}</p>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-1 font-mono text-[0.7rem] text-ink-muted">
        <span>{assigneeNames || 'Unassigned'}</span>
        {task.dueAt ? <span>due {formatDate(task.dueAt)}</span> : null}
      </div>
    </>
  );
}

/** A card on the board: drag it with a pointer or with the keyboard (space, arrows, space); click the title to open it. */
export const TaskCard = memo(function TaskCard({ task, assigneeNames, overlay = false }: TaskCardProps) {
  const location = useLocation();
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: task.id, data: { task }, disabled: overlay });
  if (overlay) {
    return (
      <div className="w-64 rotate-1 border-[3px] border-ink bg-paper p-2 shadow-[6px_6px_0_0_var(--color-ink)]">
        <TaskCardBody task={task} assigneeNames={assigneeNames} />
      </div>
    );
  }
  const search = new URLSearchParams(location.search);
  search.set('task', task.key);
  return (
    <article
      ref={setNodeRef}
      data-testid={`task-card-${task.key}`}
      data-task-key={task.key}
      className={`group relative border-[3px] border-ink bg-paper p-2 shadow-[var(--shadow-hard-small)] ${isDragging ? 'opacity-30' : ''}`}
      {...attributes}
      {...listeners}
      aria-roledescription="draggable task"
      aria-label={`${task.key} ${task.title}`}
    >
      <TaskCardBody task={task} assigneeNames={assigneeNames} />
      <Link
        to={{ pathname: location.pathname, search: `?${search.toString()}` }}
        className="mt-1 inline-block font-mono text-[0.7rem] font-bold underline"
        onPointerDown={(event) => event.stopPropagation()}
        onKeyDown={(event) => event.stopPropagation()}
      >
        Open {task.key}
      </Link>
    </article>
  );
});
