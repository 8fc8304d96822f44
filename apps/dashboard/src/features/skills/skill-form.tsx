import { type FormEvent, useState } from 'react';

export interface SkillFormValues {
  name: string;
  description: string;
  body: string;
  capabilities: string[];
}

/** The fields of a skill, for creating one and for editing it. */
export function SkillForm({
  idPrefix,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  idPrefix: string;
  initial: SkillFormValues;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  onSubmit: (values: SkillFormValues) => void;
}) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [body, setBody] = useState(initial.body);
  const [capabilities, setCapabilities] = useState(initial.capabilities.join(', '));
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !body.trim()) {
      setProblem('A skill needs a name and the steps of its procedure.');
      return;
    }
    setProblem(null);
    onSubmit({
      name: name.trim(),
      description: description.trim(),
      body,
      capabilities: capabilities
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    });
  };
  const shown = problem ?? error;
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <div>
        <label className="brutal-label" htmlFor={`${idPrefix}-name`}>
          Name
        </label>
        <input id={`${idPrefix}-name`} className="brutal-input" value={name} onChange={(event) => setName(event.target.value)} />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${idPrefix}-description`}>
          When to use it
        </label>
        <input
          id={`${idPrefix}-description`}
          className="brutal-input"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${idPrefix}-capabilities`}>
          Capabilities (comma separated)
        </label>
        <input
          id={`${idPrefix}-capabilities`}
          className="brutal-input"
          value={capabilities}
          placeholder="ops, sql"
          onChange={(event) => setCapabilities(event.target.value)}
        />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${idPrefix}-body`}>
          Procedure (markdown)
        </label>
        <textarea
          id={`${idPrefix}-body`}
          className="brutal-input min-h-48 font-mono text-sm"
          value={body}
          onChange={(event) => setBody(event.target.value)}
        />
      </div>
      {shown ? (
        <p role="alert" className="font-mono text-xs font-bold text-danger">
          {shown}
        </p>
      ) : null}
      <div className="flex justify-end">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
