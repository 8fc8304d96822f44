// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is CEL interpolation in trigger strings, shown to people
import { eventTypeSchema, type Trigger } from '@mission-control/contracts';
import type { CreateTriggerOptions } from '@mission-control/sdk';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { eventLabel } from '../../lib/format';
import { useWorkflows } from '../workflows/workflows-api';
import { AutomationFormFooter } from './automation-parts';
import { readObjectText } from './object-text';
import { useTriggerActions } from './routines-api';

const actionKinds = ['startWorkflow', 'createTask', 'postMessage', 'notify'] as const;
type ActionKind = (typeof actionKinds)[number];
/** The action kind a stored trigger or a select names. */
function toActionKind(value: string | undefined): ActionKind {
  return actionKinds.find((kind) => kind === value) ?? 'startWorkflow';
}
const actionLabels: Record<ActionKind, string> = {
  startWorkflow: 'Start a workflow',
  createTask: 'Create a task',
  postMessage: 'Post a message on a task',
  notify: 'Notify people',
};

function text(record: unknown, key: string): string {
  if (typeof record !== 'object' || record === null || !(key in record)) return '';
  const value: unknown = Object.entries(record).find(([name]) => name === key)?.[1];
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

/** Creates a trigger, or changes one: IF an event (and a CEL condition) THEN one action. */
export function TriggerDialog({
  trigger,
  open,
  onOpenChange,
}: {
  trigger: Trigger | null;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const workflows = useWorkflows();
  const { create, update } = useTriggerActions();
  const existingKind = toActionKind(Object.keys(trigger?.then ?? {})[0]);
  const existing = trigger?.then[existingKind];
  const [name, setName] = useState(trigger?.name ?? '');
  const [on, setOn] = useState(trigger?.on ?? 'task-status-changed');
  const [condition, setCondition] = useState(trigger?.if ?? '');
  const [kind, setKind] = useState<ActionKind>(existingKind);
  const [first, setFirst] = useState(
    text(existing, kind === 'startWorkflow' ? 'workflow' : kind === 'postMessage' ? 'task' : kind === 'notify' ? 'message' : 'title'),
  );
  const [second, setSecond] = useState(text(existing, kind === 'startWorkflow' ? 'inputs' : kind === 'postMessage' ? 'content' : ''));
  const [enabled, setEnabled] = useState(trigger?.enabled ?? true);
  const [problem, setProblem] = useState<string | null>(null);
  const saving = create.isPending || update.isPending;
  const failure = create.error ?? update.error;

  const action = (): CreateTriggerOptions['then'] | string => {
    if (kind === 'startWorkflow') {
      const workflow = first || workflows.data?.[0]?.name;
      if (!workflow) return 'Create a workflow first.';
      const inputs = readObjectText(second);
      if (inputs.error) return `Inputs ${inputs.error}.`;
      return { startWorkflow: { workflow, ...(inputs.value ? { inputs: inputs.value } : {}) } };
    }
    if (!first.trim()) return 'Fill in the action.';
    if (kind === 'createTask') return { createTask: { title: first.trim() } };
    if (kind === 'notify') return { notify: { roles: ['owner', 'admin'], message: first.trim() } };
    if (!second.trim()) return 'Write the message.';
    return { postMessage: { task: first.trim(), content: second.trim() } };
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const then = action();
    if (typeof then === 'string') return setProblem(then);
    setProblem(null);
    const done = { onSuccess: () => onOpenChange(false) };
    if (trigger) update.mutate({ id: trigger.id, input: { name, if: condition.trim() || null, then, enabled } }, done);
    else create.mutate({ name, on, then, enabled, ...(condition.trim() ? { if: condition.trim() } : {}) }, done);
  };

  const firstLabel = {
    startWorkflow: 'Workflow',
    createTask: 'Task title',
    postMessage: 'Task (key or ${…})',
    notify: 'Message to owners and admins',
  }[kind];
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={trigger ? `Change ${trigger.name}` : 'New trigger'}
      description="When an event happens (and the condition holds), do one thing. Strings may hold ${…} CEL over event."
    >
      <form className="flex flex-col gap-3" onSubmit={submit}>
        <label className="flex flex-col gap-1">
          <span className="brutal-label">Name</span>
          <input className="brutal-input" required value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="brutal-label">When this happens</span>
          <select className="brutal-input" value={on} disabled={Boolean(trigger)} onChange={(event) => setOn(event.target.value)}>
            {eventTypeSchema.options.map((type) => (
              <option key={type} value={type}>
                {eventLabel(type)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="brutal-label">Only if (CEL over event, optional)</span>
          <input
            className="brutal-input font-mono"
            value={condition}
            placeholder="event.data.to == 'done'"
            onChange={(event) => setCondition(event.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="brutal-label">Then</span>
          <select className="brutal-input" value={kind} onChange={(event) => setKind(toActionKind(event.target.value))}>
            {actionKinds.map((each) => (
              <option key={each} value={each}>
                {actionLabels[each]}
              </option>
            ))}
          </select>
        </label>
        {kind === 'startWorkflow' ? (
          <label className="flex flex-col gap-1">
            <span className="brutal-label">{firstLabel}</span>
            <select
              className="brutal-input"
              value={first || workflows.data?.[0]?.name || ''}
              onChange={(event) => setFirst(event.target.value)}
            >
              {(workflows.data ?? []).map((workflow) => (
                <option key={workflow.id} value={workflow.name}>
                  {workflow.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label className="flex flex-col gap-1">
            <span className="brutal-label">{firstLabel}</span>
            <input className="brutal-input" value={first} onChange={(event) => setFirst(event.target.value)} />
          </label>
        )}
        {kind === 'startWorkflow' || kind === 'postMessage' ? (
          <label className="flex flex-col gap-1">
            <span className="brutal-label">{kind === 'startWorkflow' ? 'Inputs (JSON or YAML, optional)' : 'Message'}</span>
            <textarea
              className="brutal-input min-h-20 font-mono text-xs"
              value={second}
              onChange={(event) => setSecond(event.target.value)}
            />
          </label>
        ) : null}
        <AutomationFormFooter
          enabled={enabled}
          onEnabledChange={setEnabled}
          problem={problem ?? failure}
          saving={saving}
          label={trigger ? 'Save' : 'Create trigger'}
        />
      </form>
    </Dialog>
  );
}
