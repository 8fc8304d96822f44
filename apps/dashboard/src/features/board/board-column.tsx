import { useDroppable } from '@dnd-kit/core';
import { priorityRank, type Task, type TaskStatus } from '@mission-control/contracts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { plural, statusLabels } from '../../lib/format';
import { TaskCard } from './task-card';

/** Above this many cards a column renders only what is on screen, so 1,000 tasks stay smooth. */
const virtualizeAbove = 60;

/** While a card is dragged: whether this column takes it, and why not. */
export type DropHint = { accepts: true } | { accepts: false; reason: string } | null;

interface BoardColumnProps {
  status: TaskStatus;
  tasks: Task[];
  assigneeNamesOf: (task: Task) => string;
  dropHint?: DropHint;
  /** The column's WIP limit; undefined when it has none. */
  limit?: number | undefined;
  /** Every task in this column, filtered out or not: the limit is about the real column. */
  total?: number | undefined;
}

/** How full a column is against its WIP limit, in words for the header and its aria-label. */
export function describeColumnLoad(total: number, limit: number | undefined): { over: number; text: string | null; label: string } {
  if (limit === undefined) return { over: 0, text: null, label: '' };
  const over = Math.max(0, total - limit);
  return {
    over,
    text: over > 0 ? `Over limit by ${over}` : null,
    label: over > 0 ? `, limit ${limit}, over limit by ${over}` : `, limit ${limit}`,
  };
}

export function sortForColumn(tasks: Task[]): Task[] {
  return [...tasks].sort((a, b) => priorityRank[b.priority] - priorityRank[a.priority] || b.number - a.number);
}

export function BoardColumn({ status, tasks, assigneeNamesOf, dropHint = null, limit, total = tasks.length }: BoardColumnProps) {
  const { setNodeRef, isOver } = useDroppable({ id: status, data: { status } });
  const sorted = useMemo(() => sortForColumn(tasks), [tasks]);
  const load = describeColumnLoad(total, limit);
  const tone =
    dropHint === null
      ? 'bg-paper-alt'
      : dropHint.accepts
        ? isOver
          ? 'bg-signal/40 outline-dashed outline-[3px] outline-offset-2 outline-ink'
          : 'bg-signal/15 outline-dashed outline-[3px] outline-offset-2 outline-ink'
        : 'bg-paper-alt opacity-60';
  return (
    <section
      ref={setNodeRef}
      aria-label={`${statusLabels[status]} column, ${plural(limit === undefined ? tasks.length : total, 'task')}${load.label}`}
      data-testid={`column-${status}`}
      data-over-limit={load.over > 0 ? '' : undefined}
      data-drop={dropHint === null ? undefined : dropHint.accepts ? 'accepts' : 'refuses'}
      className={`flex min-h-64 min-w-[15rem] flex-1 flex-col self-start border-[3px] border-ink ${tone}`}
    >
      <header
        className={`flex flex-wrap items-center justify-between gap-x-2 border-b-[3px] border-ink px-2 py-1 ${
          load.over > 0 ? 'bg-status-idle text-black' : 'bg-ink text-paper'
        }`}
        data-testid={`column-header-${status}`}
      >
        <h3 className="text-sm font-black uppercase tracking-wider">{statusLabels[status]}</h3>
        <span className="font-mono text-sm font-bold" data-testid={`column-count-${status}`}>
          {limit === undefined ? tasks.length : `${total} / ${limit}`}
        </span>
        {load.text ? (
          <p className="w-full font-mono text-xs font-black uppercase" data-testid={`over-limit-${status}`}>
            <span aria-hidden="true">⚠ </span>
            {load.text}
          </p>
        ) : null}
      </header>
      {dropHint && !dropHint.accepts ? (
        <p className="border-b-2 border-ink bg-paper px-2 py-1 font-mono text-xs font-bold" data-testid={`refuses-${status}`}>
          {dropHint.reason}
        </p>
      ) : null}
      {sorted.length > virtualizeAbove ? (
        <VirtualCards tasks={sorted} assigneeNamesOf={assigneeNamesOf} />
      ) : (
        <div className="flex flex-col gap-2 p-2" data-card-list="">
          {sorted.length === 0 ? <p className="p-3 text-center font-mono text-xs text-ink-muted">Drop tasks here</p> : null}
          {sorted.map((task) => (
            <TaskCard key={task.id} task={task} assigneeNames={assigneeNamesOf(task)} />
          ))}
        </div>
      )}
    </section>
  );
}

function VirtualCards({ tasks, assigneeNamesOf }: { tasks: Task[]; assigneeNamesOf: (task: Task) => string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 118,
    overscan: 6,
  });
  return (
    <div ref={scrollRef} className="max-h-[70vh] overflow-y-auto p-2" data-card-list="">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const task = tasks[row.index];
          if (!task) return null;
          return (
            <div
              key={task.id}
              data-index={row.index}
              ref={virtualizer.measureElement}
              className="absolute inset-x-0 pb-2"
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <TaskCard task={task} assigneeNames={assigneeNamesOf(task)} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
