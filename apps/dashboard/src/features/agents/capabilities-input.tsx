import { capabilitySchema } from '@mission-control/contracts';
import { type KeyboardEvent, useId, useState } from 'react';

/**
 * Capabilities as removable tags; Enter or comma adds one, Backspace on an empty field removes the last.
 * Suggestions (the squad's capabilities) are offered as the browser's own list while typing.
 */
export function CapabilitiesInput({
  value,
  onChange,
  label = 'Capabilities',
  suggestions = [],
}: {
  value: string[];
  onChange: (next: string[]) => void;
  label?: string;
  suggestions?: readonly string[];
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const add = () => {
    const parsed = capabilitySchema.safeParse(text.trim().toLowerCase());
    if (!text.trim()) return;
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'invalid capability');
      return;
    }
    if (!value.includes(parsed.data)) onChange([...value, parsed.data]);
    setText('');
    setError(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && !text && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };
  return (
    <div>
      <label className="brutal-label" htmlFor={id}>
        {label}
      </label>
      <div className="flex flex-wrap items-center gap-1 border-2 border-ink p-1">
        {value.map((capability) => (
          <span key={capability} className="flex items-center gap-1 bg-ink px-1.5 font-mono text-xs font-bold text-paper">
            {capability}
            <button type="button" aria-label={`Remove ${capability}`} onClick={() => onChange(value.filter((each) => each !== capability))}>
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          className="min-w-32 flex-1 bg-transparent p-1 font-mono text-sm outline-none"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={add}
          placeholder="add a capability"
          aria-invalid={Boolean(error)}
          list={suggestions.length > 0 ? `${id}-suggestions` : undefined}
        />
      </div>
      {suggestions.length > 0 ? (
        <datalist id={`${id}-suggestions`}>
          {suggestions
            .filter((each) => !value.includes(each))
            .map((each) => (
              <option key={each} value={each} />
            ))}
        </datalist>
      ) : null}
      {error ? <p className="mt-1 font-mono text-xs font-bold text-danger">{error}</p> : null}
    </div>
  );
}
