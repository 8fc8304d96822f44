import type { WorkflowValidationError } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { useClient } from '../../lib/services-context';
import { type DefinitionFormat, formatDefinition, parseDefinitionText } from './definition-text';

interface DefinitionEditorProps {
  definition: unknown;
  /** The version a save makes, for the button's words. */
  nextVersion: number;
  saving: boolean;
  saveError: unknown;
  onSave(definition: Record<string, unknown>): void;
  /** Every parsed draft, so the graph beside it follows the typing. */
  onDraftChange?(value: unknown): void;
}

/** Waits until the value has stopped changing for a moment, so the server is asked once per pause in typing. */
function useSettled<Value>(value: Value, delayMs: number): Value {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * The JSON/YAML editor of a workflow: the contracts' schema checks every keystroke, and once the
 * text stops changing the server's validate endpoint adds the rest (cycles, unknown needs, CEL).
 * Saving is offered only for a definition both accept.
 */
export function DefinitionEditor({ definition, nextVersion, saving, saveError, onSave, onDraftChange }: DefinitionEditorProps) {
  const client = useClient();
  const fieldId = useId();
  const errorsId = useId();
  const [format, setFormat] = useState<DefinitionFormat>('yaml');
  const [text, setText] = useState(() => formatDefinition(definition, 'yaml'));
  const parsed = useMemo(() => parseDefinitionText(text), [text]);
  const settledText = useSettled(text, 400);
  const locallyValid = parsed.errors.length === 0;
  const settled = settledText === text;
  const server = useQuery({
    queryKey: ['workflow-validate', settledText],
    queryFn: () => client.workflows.validate(parseDefinitionText(settledText).value),
    enabled: locallyValid && settled,
    staleTime: Number.POSITIVE_INFINITY,
  });

  useEffect(() => onDraftChange?.(parsed.value), [parsed.value, onDraftChange]);

  const errors: WorkflowValidationError[] = locallyValid ? (settled && server.data ? server.data.errors : []) : parsed.errors;
  const checking = locallyValid && (!settled || server.isFetching);
  const valid = parsed.definition !== undefined && settled && server.data?.valid === true;
  const changeFormat = (next: DefinitionFormat) => {
    if (next === format) return;
    setFormat(next);
    if (parsed.value !== undefined) setText(formatDefinition(parsed.value, next));
  };

  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <label htmlFor={fieldId} className="brutal-label">
          Definition ({format.toUpperCase()})
        </label>
        <fieldset className="flex gap-1">
          <legend className="sr-only">Format</legend>
          {(['yaml', 'json'] as const).map((option) => (
            <button
              key={option}
              type="button"
              className="brutal-button"
              aria-pressed={format === option}
              data-variant={format === option ? 'primary' : undefined}
              onClick={() => changeFormat(option)}
            >
              {option.toUpperCase()}
            </button>
          ))}
        </fieldset>
      </div>
      <textarea
        id={fieldId}
        className="brutal-input min-h-80 w-full font-mono text-xs"
        spellCheck={false}
        value={text}
        aria-invalid={errors.length > 0}
        aria-describedby={errorsId}
        onChange={(event) => setText(event.target.value)}
      />
      <div id={errorsId} role="status" aria-live="polite" className="font-mono text-xs">
        {errors.length > 0 ? (
          <ul className="flex flex-col gap-1 border-[3px] border-ink bg-paper-alt p-2" aria-label="Errors in the definition">
            {errors.map((error) => (
              <li key={`${error.path}:${error.message}`}>
                <span className="font-bold">{error.path || 'definition'}</span>: {error.message}
              </li>
            ))}
          </ul>
        ) : checking ? (
          <p>Checking…</p>
        ) : server.isError ? (
          <p>Could not check it on the server: {describeError(server.error)}</p>
        ) : valid ? (
          <p>The definition is valid.</p>
        ) : null}
      </div>
      {saveError ? (
        <p role="alert" className="font-mono text-sm">
          Could not save: {describeError(saveError)}
        </p>
      ) : null}
      <button
        type="button"
        className="brutal-button self-start"
        data-variant="primary"
        disabled={!valid || saving}
        onClick={() => parsed.definition && onSave(parsed.definition)}
      >
        {saving ? 'Saving…' : `Save as version ${nextVersion}`}
      </button>
    </div>
  );
}
