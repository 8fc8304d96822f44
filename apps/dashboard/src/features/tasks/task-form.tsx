import { createTaskSchema, type PrincipalReference, type Task, taskPrioritySchema, updateTaskSchema } from '@mission-control/contracts';
import { type FormEvent, useMemo, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { FieldError } from '../../components/field-error';
import { describeError } from '../../lib/describe-error';
import { type FormIssue, plainIssueMessage } from '../../lib/form-errors';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useAgents } from '../agents/agents-api';
import { CapabilitiesInput } from '../agents/capabilities-input';
import { OfflineAssigneeWarning } from '../agents/offline-assignee-warning';
import { usePrincipalDirectory } from '../people/people-api';
import { TaskPicker } from './task-picker';
import { useCreateTask, useUpdateTask } from './tasks-api';

type FieldErrors = Partial<
  Record<'title' | 'description' | 'priority' | 'dueAt' | 'requiredCapabilities' | 'parentId' | 'dependencyIds' | 'form', string>
>;

interface TaskFormValues {
  title: string;
  description: string;
  priority: string;
  /** What the datetime-local input holds: local wall time, "2026-12-05T14:30". */
  dueLocal: string;
  capabilities: string[];
  parentId: string | null;
  dependencyIds: string[];
  assignees: PrincipalReference[];
}

/** An instant as the local "YYYY-MM-DDTHH:mm" a datetime-local input shows. */
export function toLocalDateTimeInput(timestamp: string): string {
  const date = new Date(timestamp);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The local wall time typed into the input as an instant, or undefined when it is not a date. */
function fromLocalDateTimeInput(value: string): string | undefined {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function toInput(values: TaskFormValues) {
  return {
    title: values.title,
    description: values.description,
    priority: values.priority,
    dueAt: values.dueLocal ? (fromLocalDateTimeInput(values.dueLocal) ?? values.dueLocal) : null,
    requiredCapabilities: values.capabilities,
    parentId: values.parentId,
    dependencyIds: values.dependencyIds,
  };
}

function errorsFrom(issues: FormIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form') as keyof FieldErrors;
    errors[field] ??= field === 'dueAt' ? 'The due date is not a date; pick a day and time.' : plainIssueMessage(issue);
  }
  return errors;
}

/** Create or edit a task; the contracts' own schema validates it so the messages match the server's rules. */
export function TaskForm({ task, onDone }: { task?: Task; onDone: (task: Task) => void }) {
  const createTask = useCreateTask();
  const updateTask = useUpdateTask(task?.id ?? '');
  const directory = usePrincipalDirectory();
  const agents = useAgents();
  const [values, setValues] = useState<TaskFormValues>({
    title: task?.title ?? '',
    description: task?.description ?? '',
    priority: task?.priority ?? 'medium',
    dueLocal: task?.dueAt ? toLocalDateTimeInput(task.dueAt) : '',
    capabilities: task?.requiredCapabilities ?? [],
    parentId: task?.parentId ?? null,
    dependencyIds: task?.dependencyIds ?? [],
    assignees: [],
  });
  const capabilitySuggestions = useMemo(
    () => [...new Set((agents.data ?? []).flatMap((agent) => agent.capabilities))].sort(),
    [agents.data],
  );
  const change = (patch: Partial<TaskFormValues>) => setValues((current) => ({ ...current, ...patch }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const busy = createTask.isPending || updateTask.isPending;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = toInput(values);
    const parsed = task ? updateTaskSchema.safeParse(input) : createTaskSchema.safeParse({ ...input, assignees: values.assignees });
    if (!parsed.success) {
      setErrors(errorsFrom(parsed.error.issues));
      return;
    }
    setErrors({});
    try {
      const saved = task
        ? await updateTask.mutateAsync(updateTaskSchema.parse(input))
        : await createTask.mutateAsync(createTaskSchema.parse({ ...input, assignees: values.assignees }));
      showToast(`${saved.key} ${task ? 'saved' : 'created'}`, 'success');
      onDone(saved);
    } catch (failure) {
      setErrors({ form: describeError(failure) });
    }
  };

  const field = (name: 'title' | 'description' | 'priority' | 'dueLocal') => ({
    value: values[name],
    onChange: (event: { target: { value: string } }) => setValues((current) => ({ ...current, [name]: event.target.value })),
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3">
      <div>
        <label className="brutal-label" htmlFor="task-title">
          Title
        </label>
        <input
          id="task-title"
          className="brutal-input"
          aria-invalid={Boolean(errors.title)}
          aria-describedby="task-title-error"
          {...field('title')}
        />
        <FieldError id="task-title-error" message={errors.title} />
      </div>
      <div>
        <label className="brutal-label" htmlFor="task-description">
          Description (markdown)
        </label>
        <textarea
          id="task-description"
          rows={5}
          className="brutal-input"
          aria-invalid={Boolean(errors.description)}
          {...field('description')}
        />
        <FieldError message={errors.description} />
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <label className="brutal-label" htmlFor="task-priority">
            Priority
          </label>
          <select id="task-priority" className="brutal-input" {...field('priority')}>
            {taskPrioritySchema.options.map((priority) => (
              <option key={priority} value={priority}>
                {priority}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="brutal-label" htmlFor="task-due">
            Due (your local time)
          </label>
          <input
            id="task-due"
            type="datetime-local"
            className="brutal-input"
            aria-invalid={Boolean(errors.dueAt)}
            aria-describedby="task-due-hint"
            {...field('dueLocal')}
          />
          <DueHint id="task-due-hint" local={values.dueLocal} />
          <FieldError message={errors.dueAt} />
        </div>
      </div>
      <div>
        <CapabilitiesInput
          label="Required capabilities"
          value={values.capabilities}
          suggestions={capabilitySuggestions}
          onChange={(capabilities) => change({ capabilities })}
        />
        <FieldError message={errors.requiredCapabilities} />
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TaskPicker
          label="Parent task"
          single
          selected={values.parentId ? [values.parentId] : []}
          excludeId={task?.id}
          onChange={(chosen) => change({ parentId: chosen[0] ?? null })}
          error={errors.parentId}
        />
        <TaskPicker
          label="Depends on"
          selected={values.dependencyIds}
          excludeId={task?.id}
          onChange={(dependencyIds) => change({ dependencyIds })}
          error={errors.dependencyIds}
        />
      </div>
      {task ? null : (
        <fieldset>
          <legend className="brutal-label">Assign now (optional)</legend>
          <div className="flex flex-wrap gap-2">
            {directory.entries.map((entry) => {
              const checked = values.assignees.some((each) => each.id === entry.reference.id);
              return (
                <label
                  key={entry.reference.id}
                  className={`cursor-pointer border-2 border-ink px-2 py-0.5 text-sm font-bold ${checked ? 'bg-ink text-paper' : ''}`}
                >
                  <input
                    type="checkbox"
                    className="sr-only"
                    checked={checked}
                    onChange={() =>
                      setValues((current) => ({
                        ...current,
                        assignees: checked
                          ? current.assignees.filter((each) => each.id !== entry.reference.id)
                          : [...current.assignees, entry.reference],
                      }))
                    }
                  />
                  {entry.name}
                </label>
              );
            })}
          </div>
          <div className="mt-2 empty:hidden">
            <OfflineAssigneeWarning assignees={values.assignees} />
          </div>
        </fieldset>
      )}
      {errors.form ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {errors.form}
        </p>
      ) : null}
      <div className="flex justify-end">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={busy}>
          {task ? 'Save task' : 'Create task'}
        </button>
      </div>
    </form>
  );
}

/** The chosen due time read back as a person says it: "in 3 days", with the exact time beside. */
function DueHint({ id, local }: { id: string; local: string }) {
  const now = useNow();
  const due = local ? fromLocalDateTimeInput(local) : undefined;
  return (
    <p id={id} className="mt-1 font-mono text-xs">
      {due ? `Due ${relativeTime(due, now)} · ${formatDateTime(due)}` : 'No due date.'}
    </p>
  );
}

export function NewTaskButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="brutal-button" data-variant="primary" onClick={() => setOpen(true)}>
        + New task
      </button>
      <Dialog open={open} onOpenChange={setOpen} title="New task">
        <TaskForm onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
