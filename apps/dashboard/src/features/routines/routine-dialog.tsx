import type { Routine } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { useWorkflows } from '../workflows/workflows-api';
import { AutomationFormFooter } from './automation-parts';
import { readObjectText } from './object-text';
import { useRoutineActions } from './routines-api';

const browserTimezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Creates a routine, or changes one (what it runs is fixed once created: delete and create again to change it). */
export function RoutineDialog({
  routine,
  open,
  onOpenChange,
}: {
  routine: Routine | null;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const workflows = useWorkflows();
  const { create, update } = useRoutineActions();
  const [name, setName] = useState(routine?.name ?? '');
  const [schedule, setSchedule] = useState(routine?.schedule ?? '0 9 * * 1-5');
  const [timezone, setTimezone] = useState(routine?.timezone ?? browserTimezone);
  const [runs, setRuns] = useState<'workflow' | 'task'>(routine?.task ? 'task' : 'workflow');
  const [workflowId, setWorkflowId] = useState(routine?.workflowId ?? '');
  const [taskTitle, setTaskTitle] = useState('');
  const [inputsText, setInputsText] = useState(
    routine && Object.keys(routine.inputs).length > 0 ? JSON.stringify(routine.inputs, null, 2) : '',
  );
  const [enabled, setEnabled] = useState(routine?.enabled ?? true);
  const [problem, setProblem] = useState<string | null>(null);
  const saving = create.isPending || update.isPending;
  const failure = create.error ?? update.error;
  const chosenWorkflow = workflowId || workflows.data?.[0]?.id || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const inputs = readObjectText(inputsText);
    if (inputs.error) return setProblem(`Inputs ${inputs.error}.`);
    setProblem(null);
    const done = { onSuccess: () => onOpenChange(false) };
    if (routine) {
      update.mutate({ id: routine.id, input: { name, schedule, timezone, enabled, inputs: inputs.value ?? {} } }, done);
      return;
    }
    if (runs === 'workflow' && !chosenWorkflow) return setProblem('Create a workflow first, or make the routine create a task.');
    if (runs === 'task' && !taskTitle.trim()) return setProblem('Give the task a title.');
    create.mutate(
      {
        name,
        schedule,
        timezone,
        enabled,
        ...(runs === 'workflow' ? { workflowId: chosenWorkflow, inputs: inputs.value ?? {} } : { task: { title: taskTitle.trim() } }),
      },
      done,
    );
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={routine ? `Change ${routine.name}` : 'New routine'}
      description="Runs a workflow or creates a task on a cron schedule."
    >
      <form className="flex flex-col gap-3" onSubmit={submit}>
        <label className="flex flex-col gap-1">
          <span className="brutal-label">Name</span>
          <input className="brutal-input" required value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="brutal-label">Schedule (cron)</span>
          <input className="brutal-input font-mono" required value={schedule} onChange={(event) => setSchedule(event.target.value)} />
          <span className="text-xs text-ink-muted">Minute, hour, day of month, month, weekday: "0 9 * * 1-5" is 09:00 on weekdays.</span>
        </label>
        <label className="flex flex-col gap-1">
          <span className="brutal-label">Time zone</span>
          <input className="brutal-input" required value={timezone} onChange={(event) => setTimezone(event.target.value)} />
        </label>
        {routine ? null : (
          <fieldset className="flex flex-wrap gap-3">
            <legend className="brutal-label">It runs</legend>
            <label className="flex items-center gap-1">
              <input type="radio" name="runs" checked={runs === 'workflow'} onChange={() => setRuns('workflow')} /> a workflow
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="runs" checked={runs === 'task'} onChange={() => setRuns('task')} /> a new task
            </label>
          </fieldset>
        )}
        {!routine && runs === 'workflow' ? (
          <label className="flex flex-col gap-1">
            <span className="brutal-label">Workflow</span>
            <select className="brutal-input" value={chosenWorkflow} onChange={(event) => setWorkflowId(event.target.value)}>
              {(workflows.data ?? []).map((workflow) => (
                <option key={workflow.id} value={workflow.id}>
                  {workflow.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {!routine && runs === 'task' ? (
          <label className="flex flex-col gap-1">
            <span className="brutal-label">Task title</span>
            <input className="brutal-input" value={taskTitle} onChange={(event) => setTaskTitle(event.target.value)} />
          </label>
        ) : null}
        {runs === 'workflow' ? (
          <label className="flex flex-col gap-1">
            <span className="brutal-label">Inputs (JSON or YAML, optional)</span>
            <textarea
              className="brutal-input min-h-20 font-mono text-xs"
              value={inputsText}
              onChange={(event) => setInputsText(event.target.value)}
            />
          </label>
        ) : null}
        <AutomationFormFooter
          enabled={enabled}
          onEnabledChange={setEnabled}
          problem={problem ?? failure}
          saving={saving}
          label={routine ? 'Save' : 'Create routine'}
        />
      </form>
    </Dialog>
  );
}
