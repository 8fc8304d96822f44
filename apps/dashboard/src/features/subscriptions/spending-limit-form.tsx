import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { FormAlert } from '../credits/credit-forms';
import { checkSpendingLimit } from './subscriptions-wording';

/**
 * A monthly spending limit in credits, checked before anything is sent: used to subscribe to a
 * listing paid by use and to change the limit of such a subscription. `failure` is the server's
 * refusal, already in plain words.
 */
export function SpendingLimitForm({
  name,
  initial = '',
  hint,
  submitLabel,
  pendingLabel,
  pending,
  failure,
  onSubmit,
  onCancel,
}: {
  name: string;
  initial?: string;
  hint: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  failure?: string | null;
  onSubmit: (limit: number) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkSpendingLimit(text);
    setProblem(checked.problem);
    if (checked.limit !== undefined) onSubmit(checked.limit);
  };

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2" aria-label={name}>
      <div className="min-w-0">
        <label className="brutal-label" htmlFor={`${id}-limit`}>
          Monthly spending limit (credits)
        </label>
        <input
          id={`${id}-limit`}
          className="brutal-input"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          placeholder="500"
          aria-required="true"
          aria-invalid={Boolean(problem)}
          aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
          onChange={(event) => setText(event.target.value)}
        />
        <p id={`${id}-hint`} className="mt-1 text-xs">
          {hint}
        </p>
        <FieldError id={`${id}-error`} message={problem} />
      </div>
      <FormAlert message={failure} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        <button type="button" className="brutal-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
