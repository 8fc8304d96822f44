import type { Task } from '@mission-control/contracts';
import { useId, useState } from 'react';
import { useTask, useTaskList } from './tasks-api';

const maxMatches = 8;

/** Whether a task matches what was typed: its key ("task-3", "3") or words of its title. */
export function taskMatches(task: Pick<Task, 'key' | 'number' | 'title'>, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return true;
  return task.key.toLowerCase().includes(wanted) || String(task.number) === wanted || task.title.toLowerCase().includes(wanted);
}

/**
 * Pick other tasks by key and title: a search field, the matching tasks to add, and the chosen
 * ones as removable chips. `single` keeps at most one (a parent task).
 */
export function TaskPicker({
  label,
  selected,
  onChange,
  excludeId,
  single = false,
  error,
}: {
  label: string;
  selected: string[];
  onChange: (next: string[]) => void;
  excludeId?: string | undefined;
  single?: boolean;
  error?: string | undefined;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const tasks = useTaskList({});
  const all = tasks.data?.data ?? [];
  const matches = text.trim()
    ? all.filter((task) => task.id !== excludeId && !selected.includes(task.id) && taskMatches(task, text)).slice(0, maxMatches)
    : [];

  const add = (task: Task) => {
    onChange(single ? [task.id] : [...selected, task.id]);
    setText('');
  };

  return (
    <div>
      <label className="brutal-label" htmlFor={id}>
        {label}
      </label>
      {selected.length > 0 ? (
        <ul className="mb-1 flex flex-wrap gap-1" aria-label={`${label}: chosen`}>
          {selected.map((taskId) => {
            const known = all.find((each) => each.id === taskId);
            return (
              <li key={taskId} className="flex max-w-full items-center gap-1 bg-ink px-1.5 text-sm text-paper">
                <span className="truncate">{known ? <TaskLabel task={known} /> : <FetchedTaskLabel id={taskId} />}</span>
                <button
                  type="button"
                  className="font-bold"
                  aria-label={`Remove ${known?.key ?? 'this task'}`}
                  onClick={() => onChange(selected.filter((each) => each !== taskId))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <input
        id={id}
        type="search"
        className="brutal-input"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={single ? 'type a key or words of the title' : 'type a key or words of the title to add one'}
        aria-invalid={Boolean(error)}
        autoComplete="off"
      />
      {text.trim() ? (
        matches.length > 0 ? (
          <ul className="mt-1 flex flex-col gap-1" aria-label={`Tasks matching “${text.trim()}”`}>
            {matches.map((task) => (
              <li key={task.id}>
                <button
                  type="button"
                  className="w-full truncate border-2 border-ink px-2 py-0.5 text-left text-sm"
                  onClick={() => add(task)}
                >
                  <TaskLabel task={task} />
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 font-mono text-xs">
            {tasks.isPending ? 'Looking for tasks…' : 'No task matches; try its key, such as TASK-3, or another word.'}
          </p>
        )
      ) : null}
      {error ? <p className="mt-1 font-mono text-xs font-bold text-danger">{error}</p> : null}
    </div>
  );
}

function TaskLabel({ task }: { task: Pick<Task, 'key' | 'title'> }) {
  return (
    <>
      <span className="font-mono font-bold">{task.key}</span> {task.title}
    </>
  );
}

/** A chosen task beyond the first page of the list: fetched on its own so it is still named. */
function FetchedTaskLabel({ id }: { id: string }) {
  const task = useTask(id);
  if (task.data) return <TaskLabel task={task.data} />;
  return <>{task.isError ? 'a task you cannot see' : 'Loading…'}</>;
}
