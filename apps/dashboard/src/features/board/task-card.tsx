import { useDraggable } from '@dnd-kit/core';
import type { Task } from '@mission-control/contracts';
import { type KeyboardEvent, memo } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { PriorityBadge, TaskStatusBadge } from '../../components/badges';
import { formatDate } from '../../lib/format';

interface TaskCardProps {
  task: Task;
  assigneeNames: string;
  /** Rendered inside the drag overlay: no drag handle. */
  overlay?: boolean;
  /** Shows the status (in the attention strip, where cards of several statuses sit together). */
  showStatus?: boolean;
}

function TaskCardBody({ task, assigneeNames, showStatus = false }: Omit<TaskCardProps, 'overlay'>) {
  return (
    <>
      <div className="flex items-center justify-between gap-2">
        <span className="font-mono text-xs font-bold">{task.key}</span>
        <span className="flex gap-1">
          {showStatus ? <TaskStatusBadge status={task.status} /> : null}
          <PriorityBadge priority={task.priority} />
        </span>
      </div>
      <p className="mt-1 line-clamp-3 font-bold leading-snug break-words" title={task.title}>
        {task.title}
      </p>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-1 font-mono text-[0.7rem] text-ink-muted">
        <span>{assigneeNames || 'Unassigned'}</span>
        {task.dueAt ? <span>due {formatDate(task.dueAt)}</span> : null}
      </div>
    </>
  );
}

/** Moves focus between cards with the arrow keys: up and down in a column, left and right across columns. */
export function moveCardFocus(from: HTMLElement, key: string): boolean {
  const board = from.closest('[data-board]') ?? document;
  const columns = [...board.querySelectorAll<HTMLElement>('[data-card-list]')];
  const column = from.closest<HTMLElement>('[data-card-list]');
  if (!column) return false;
  const cards = [...column.querySelectorAll<HTMLElement>('[data-task-key]')];
  const index = cards.indexOf(from);
  let target: HTMLElement | undefined;
  if (key === 'ArrowDown') target = cards[index + 1];
  else if (key === 'ArrowUp') target = cards[index - 1];
  else if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const step = key === 'ArrowLeft' ? -1 : 1;
    for (let at = columns.indexOf(column) + step; at >= 0 && at < columns.length; at += step) {
      const next = [...(columns[at]?.querySelectorAll<HTMLElement>('[data-task-key]') ?? [])];
      if (next.length > 0) {
        target = next[Math.min(Math.max(index, 0), next.length - 1)];
        break;
      }
    }
  }
  if (!target) return false;
  target.focus();
  return true;
}

/**
 * A card on the board. The whole card opens the task (click, or Enter); space picks it up to
 * move with the arrows (space again drops it); the arrows alone move between cards.
 */
export const TaskCard = memo(function TaskCard({ task, assigneeNames, overlay = false, showStatus = false }: TaskCardProps) {
  const location = useLocation();
  const navigate = useNavigate();
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: task.id, data: { task }, disabled: overlay });
  if (overlay) {
    return (
      <div className="w-64 rotate-1 border-[3px] border-ink bg-paper p-2 shadow-[6px_6px_0_0_var(--color-ink)]">
        <TaskCardBody task={task} assigneeNames={assigneeNames} showStatus={showStatus} />
      </div>
    );
  }
  const open = () => {
    const search = new URLSearchParams(location.search);
    search.set('task', task.key);
    void navigate({ pathname: location.pathname, search: `?${search.toString()}` });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // While the card is picked up, the keys belong to the drag (arrows move it, space or Enter drop it).
    if (isDragging) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      open();
      return;
    }
    if (event.key.startsWith('Arrow') && moveCardFocus(event.currentTarget, event.key)) {
      event.preventDefault();
      return;
    }
    listeners?.onKeyDown?.(event);
  };
  return (
    <article
      ref={setNodeRef}
      data-testid={`task-card-${task.key}`}
      data-task-key={task.key}
      className={`group relative cursor-pointer border-[3px] border-ink bg-paper p-2 shadow-[var(--shadow-hard-small)] hover:-translate-y-px focus-visible:outline-[3px] focus-visible:outline-offset-2 focus-visible:outline-signal ${isDragging ? 'opacity-30' : ''}`}
      {...attributes}
      {...listeners}
      onKeyDown={onKeyDown}
      onClick={open}
      aria-roledescription="task card"
    >
      <TaskCardBody task={task} assigneeNames={assigneeNames} showStatus={showStatus} />
    </article>
  );
});
