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
}

export function sortForColumn(tasks: Task[]): Task[] {
  return [...tasks].sort((a, b) => priorityRank[b.priority] - priorityRank[a.priority] || b.number - a.number);
}

export function BoardColumn({ status, tasks, assigneeNamesOf, dropHint = null }: BoardColumnProps) {
  const { setNodeRef, isOver } = useDroppable({ id: status, data: { status } });
  const sorted = useMemo(() => sortForColumn(tasks), [tasks]);
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
      aria-label={`${statusLabels[status]} column, ${plural(tasks.length, 'task')}`}
      data-testid={`column-${status}`}
      data-drop={dropHint === null ? undefined : dropHint.accepts ? 'accepts' : 'refuses'}
      className={`flex min-h-64 min-w-[15rem] flex-1 flex-col self-start border-[3px] border-ink ${tone}`}
    >
      <header className="flex items-center justify-between border-b-[3px] border-ink bg-ink px-2 py-1 text-paper">
        <h3 className="text-sm font-black uppercase tracking-wider">{statusLabels[status]}</h3>
        <span className="font-mono text-sm font-bold">{tasks.length}</span>
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
