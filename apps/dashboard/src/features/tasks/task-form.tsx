import { createTaskSchema, type PrincipalReference, type Task, taskPrioritySchema, updateTaskSchema } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { describeError } from '../../lib/describe-error';
import { type FormIssue, plainIssueMessage } from '../../lib/form-errors';
import { showToast } from '../../lib/toasts';
import { OfflineAssigneeWarning } from '../agents/offline-assignee-warning';
import { usePrincipalDirectory } from '../people/people-api';
import { useCreateTask, useUpdateTask } from './tasks-api';

type FieldErrors = Partial<Record<'title' | 'description' | 'priority' | 'dueAt' | 'requiredCapabilities' | 'form', string>>;

interface TaskFormValues {
  title: string;
  description: string;
  priority: string;
  dueDate: string;
  capabilities: string;
  assignees: PrincipalReference[];
}

function toInput(values: TaskFormValues) {
  return {
    title: values.title,
    description: values.description,
    priority: values.priority,
    dueAt: values.dueDate ? new Date(`${values.dueDate}T17:00:00`).toISOString() : null,
    requiredCapabilities: values.capabilities
      .split(',')
      .map((each) => each.trim())
      .filter(Boolean),
  };
}

function errorsFrom(issues: FormIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form') as keyof FieldErrors;
    errors[field] ??= plainIssueMessage(issue);
  }
  return errors;
}

/** Create or edit a task; the contracts' own schema validates it so the messages match the server's rules. */
export function TaskForm({ task, onDone }: { task?: Task; onDone: (task: Task) => void }) {
  const createTask = useCreateTask();
  const updateTask = useUpdateTask(task?.id ?? '');
  const directory = usePrincipalDirectory();
  const [values, setValues] = useState<TaskFormValues>({
    title: task?.title ?? '',
    description: task?.description ?? '',
    priority: task?.priority ?? 'medium',
    dueDate: task?.dueAt ? task.dueAt.slice(0, 10) : '',
    capabilities: task?.requiredCapabilities.join(', ') ?? '',
    assignees: [],
  });
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

  const field = (name: keyof TaskFormValues) => ({
    value: values[name] as string,
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
            Due date
          </label>
          <input id="task-due" type="date" className="brutal-input" aria-invalid={Boolean(errors.dueAt)} {...field('dueDate')} />
          <FieldError message={errors.dueAt} />
        </div>
      </div>
      <div>
        <label className="brutal-label" htmlFor="task-capabilities">
          Required capabilities (comma separated)
        </label>
        <input
          id="task-capabilities"
          className="brutal-input"
          placeholder="typescript, web-research"
          aria-invalid={Boolean(errors.requiredCapabilities)}
          {...field('capabilities')}
        />
        <FieldError message={errors.requiredCapabilities} />
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

function FieldError({ message, id }: { message?: string | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 font-mono text-xs font-bold text-danger">
      {message}
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
