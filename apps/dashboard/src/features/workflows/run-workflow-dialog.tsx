import type { WorkflowDefinition } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../components/dialog';
import { describeError } from '../../lib/describe-error';
import { useStartWorkflowRun } from './workflows-api';

type InputSpec = NonNullable<WorkflowDefinition['inputs']>[string];

/** What a field's text means for an input of this type; lists are one item per line, objects are JSON. */
export function readInputValue(spec: InputSpec, text: string): { value?: unknown; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (spec.type === 'number') {
    const number = Number(trimmed);
    return Number.isFinite(number) ? { value: number } : { error: 'must be a number' };
  }
  if (spec.type === 'list')
    return {
      value: trimmed
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    };
  if (spec.type === 'object') {
    try {
      const value: unknown = JSON.parse(trimmed);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? { value } : { error: 'must be a JSON object' };
    } catch {
      return { error: 'must be a JSON object, such as {"key": "value"}' };
    }
  }
  return { value: trimmed };
}

/** Starts a run: one field per input of the definition, then the run page. */
export function RunWorkflowDialog({
  workflowId,
  definition,
  latestVersion,
  open,
  onOpenChange,
}: {
  workflowId: string;
  definition: WorkflowDefinition;
  latestVersion: number;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const start = useStartWorkflowRun(workflowId);
  const navigate = useNavigate();
  const inputs = Object.entries(definition.inputs ?? {});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [flags, setFlags] = useState<Record<string, boolean>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [version, setVersion] = useState('latest');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const values: Record<string, unknown> = {};
    for (const [name, spec] of inputs) {
      if (spec.type === 'boolean') {
        values[name] = flags[name] ?? false;
        continue;
      }
      const read = readInputValue(spec, texts[name] ?? '');
      if (read.error) return setProblem(`${name} ${read.error}.`);
      if (read.value !== undefined) values[name] = read.value;
      else if (spec.required && spec.default === undefined) return setProblem(`${name} is required.`);
    }
    setProblem(null);
    const chosen = version === 'latest' || version === 'ab' ? version : Number(version);
    start.mutate({ inputs: values, version: chosen }, { onSuccess: (run) => navigate(`/workflows/runs/${run.id}`) });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Run ${definition.name}`}
      description="The run starts at once; its tasks go on the board."
    >
      <form className="flex flex-col gap-3" onSubmit={submit}>
        {inputs.length === 0 ? <p className="text-sm">This workflow takes no inputs.</p> : null}
        {inputs.map(([name, spec]) =>
          spec.type === 'boolean' ? (
            <label key={name} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={flags[name] ?? false}
                onChange={(event) => setFlags({ ...flags, [name]: event.target.checked })}
              />
              <span className="brutal-label">{name}</span>
            </label>
          ) : (
            <div key={name} className="flex flex-col gap-1">
              <label htmlFor={`run-input-${name}`} className="brutal-label">
                {name}
                {spec.required && spec.default === undefined ? ' (required)' : ''}
                {spec.type === 'list' ? ' — one item per line' : spec.type === 'object' ? ' — JSON' : ''}
              </label>
              {spec.description ? <span className="text-xs text-ink-muted">{spec.description}</span> : null}
              {spec.type === 'list' || spec.type === 'object' ? (
                <textarea
                  id={`run-input-${name}`}
                  className="brutal-input min-h-24 font-mono"
                  value={texts[name] ?? ''}
                  onChange={(event) => setTexts({ ...texts, [name]: event.target.value })}
                />
              ) : (
                <input
                  id={`run-input-${name}`}
                  className="brutal-input"
                  inputMode={spec.type === 'number' ? 'decimal' : undefined}
                  value={texts[name] ?? ''}
                  placeholder={spec.default === undefined ? undefined : String(spec.default)}
                  onChange={(event) => setTexts({ ...texts, [name]: event.target.value })}
                />
              )}
            </div>
          ),
        )}
        {latestVersion > 1 ? (
          <label className="flex flex-col gap-1">
            <span className="brutal-label">Version</span>
            <select className="brutal-input" value={version} onChange={(event) => setVersion(event.target.value)}>
              <option value="latest">The latest ({latestVersion})</option>
              {Array.from({ length: latestVersion }, (_, index) => latestVersion - index).map((number) => (
                <option key={number} value={String(number)}>
                  Version {number}
                </option>
              ))}
              <option value="ab">A/B: pick a version by weight</option>
            </select>
            <span className="text-xs text-ink-muted">The definition's inputs above are the latest version's.</span>
          </label>
        ) : null}
        {problem || start.isError ? (
          <p role="alert" className="font-mono text-sm">
            {problem ?? describeError(start.error)}
          </p>
        ) : null}
        <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Start run'}
        </button>
      </form>
    </Dialog>
  );
}
