import type { Task } from '@mission-control/contracts';
import { plural } from '../../lib/format';
import { TaskCard } from './task-card';

/**
 * Blocked and failed tasks, above the board: exactly the ones a person must see. Each opens like a
 * card on the board (reassign it, send it back to the inbox, or cancel it there), or drag it to a column.
 */
export function AttentionStrip({ tasks, assigneeNamesOf }: { tasks: Task[]; assigneeNamesOf: (task: Task) => string }) {
  const blocked = tasks.filter((task) => task.status === 'blocked').length;
  const failed = tasks.length - blocked;
  return (
    <section
      aria-labelledby="attention-heading"
      data-testid="attention-strip"
      className={`mb-3 border-[3px] border-ink ${tasks.length > 0 ? 'bg-status-blocked/20' : 'bg-paper'}`}
    >
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1 border-b-[3px] border-ink px-2 py-1">
        <h3 id="attention-heading" className="text-sm font-black uppercase tracking-wider">
          Needs attention
        </h3>
        <span className="font-mono text-xs font-bold" data-testid="attention-counts">
          {plural(blocked, 'blocked task')} · {plural(failed, 'failed task')}
        </span>
        {tasks.length > 0 ? (
          <span className="font-mono text-xs">Open one to reassign it, send it back to the Inbox, or cancel it.</span>
        ) : (
          <span className="font-mono text-xs text-ink-muted">Nothing is blocked or failed.</span>
        )}
      </header>
      {tasks.length > 0 ? (
        <div className="scroll-hint flex gap-2 overflow-x-auto p-2" data-card-list="">
          {tasks.map((task) => (
            <div key={task.id} className="w-64 shrink-0">
              <TaskCard task={task} assigneeNames={assigneeNamesOf(task)} showStatus />
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}
