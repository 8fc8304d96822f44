import type { Agent, ListingKind, Skill, Workflow } from '@mission-control/contracts';
import { FieldError } from '../../components/field-error';

export type SourceKind = Exclude<ListingKind, 'bundle'>;

/** "agent:0193…": one source of a bundle. */
export type SourceKey = `${SourceKind}:${string}`;

export interface WorkspaceSources {
  agents: readonly Pick<Agent, 'id' | 'name' | 'role'>[];
  workflows: readonly Pick<Workflow, 'id' | 'name' | 'description'>[];
  skills: readonly Pick<Skill, 'id' | 'name' | 'description'>[];
}

/** Each source of the workspace by kind, as the pickers list them: a name and a line about it. */
export function sourceOptions(sources: WorkspaceSources, kind: SourceKind): { id: string; name: string; detail: string }[] {
  if (kind === 'agent') return sources.agents.map((agent) => ({ id: agent.id, name: agent.name, detail: agent.role }));
  if (kind === 'workflow')
    return sources.workflows.map((workflow) => ({ id: workflow.id, name: workflow.name, detail: workflow.description }));
  return sources.skills.map((skill) => ({ id: skill.id, name: skill.name, detail: skill.description }));
}

const nouns: Record<SourceKind, [string, string]> = {
  agent: ['agent', 'agents'],
  workflow: ['workflow', 'workflows'],
  skill: ['skill', 'skills'],
};

/** The one agent, workflow or skill to publish, by name. */
export function SingleSourcePicker({
  id,
  kind,
  sources,
  value,
  error,
  onChange,
}: {
  id: string;
  kind: SourceKind;
  sources: WorkspaceSources;
  value: string;
  error: string | undefined;
  onChange: (id: string) => void;
}) {
  const options = sourceOptions(sources, kind);
  const [singular, many] = nouns[kind];
  if (options.length === 0) return <p className="font-bold">This workspace has no {many} yet: create one first, then publish it.</p>;
  return (
    <div>
      <label className="brutal-label" htmlFor={id}>
        The {singular} to publish
      </label>
      <select
        id={id}
        className="brutal-input"
        value={value}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">Choose a {singular}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.detail ? `${option.name} — ${option.detail.slice(0, 60)}` : option.name}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** What a bundle holds: any of the workspace's agents, workflows and skills. */
export function BundlePicker({
  id,
  sources,
  chosen,
  error,
  onToggle,
}: {
  id: string;
  sources: WorkspaceSources;
  chosen: ReadonlySet<SourceKey>;
  error: string | undefined;
  onToggle: (key: SourceKey) => void;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-3" aria-describedby={error ? `${id}-error` : undefined}>
      {(['agent', 'workflow', 'skill'] as const).map((kind) => {
        const options = sourceOptions(sources, kind);
        const [, many] = nouns[kind];
        return (
          <fieldset key={kind} className="min-w-0 border-2 border-ink p-2">
            <legend className="brutal-label px-1">{many.charAt(0).toUpperCase() + many.slice(1)} in the bundle</legend>
            {options.length === 0 ? <p className="text-sm text-ink-muted">This workspace has no {many}.</p> : null}
            <ul className="flex flex-col gap-1">
              {options.map((option) => {
                const key: SourceKey = `${kind}:${option.id}`;
                return (
                  <li key={key}>
                    <label className="flex min-w-0 items-start gap-2 text-sm break-words">
                      <input
                        type="checkbox"
                        className="mt-0.5 size-4 shrink-0 accent-[var(--color-signal)]"
                        checked={chosen.has(key)}
                        onChange={() => onToggle(key)}
                      />
                      <span className="min-w-0">
                        <span className="font-bold">{option.name}</span>
                        {option.detail ? ` — ${option.detail.slice(0, 80)}` : ''}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        );
      })}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
