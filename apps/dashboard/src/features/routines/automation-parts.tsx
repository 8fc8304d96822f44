import type { ReactNode } from 'react';
import { describeError } from '../../lib/describe-error';

/** A routine or a trigger in its list: name, whether it is on, what it does, and its buttons. */
export function AutomationCard({
  name,
  enabled,
  children,
  extraAction,
  onToggle,
  onEdit,
  onDelete,
}: {
  name: string;
  enabled: boolean;
  children: ReactNode;
  extraAction?: ReactNode;
  onToggle(): void;
  onEdit(): void;
  onDelete(): void;
}) {
  return (
    <li className="flex flex-col gap-2 border-[3px] border-ink p-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">{name}</h2>
        <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase">{enabled ? 'Enabled' : 'Disabled'}</span>
      </div>
      {children}
      <div className="flex flex-wrap gap-2">
        {extraAction}
        <button type="button" className="brutal-button" onClick={onToggle}>
          {enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" className="brutal-button" onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="brutal-button" data-variant="danger" onClick={onDelete}>
          Delete
        </button>
      </div>
    </li>
  );
}

/** The end of a routine or trigger form: the Enabled box, what went wrong, and the submit button. */
export function AutomationFormFooter({
  enabled,
  onEnabledChange,
  problem,
  saving,
  label,
}: {
  enabled: boolean;
  onEnabledChange(enabled: boolean): void;
  /** A sentence of ours, or what the server refused. */
  problem: string | null | unknown;
  saving: boolean;
  label: string;
}) {
  return (
    <>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={enabled} onChange={(event) => onEnabledChange(event.target.checked)} />
        <span className="brutal-label">Enabled</span>
      </label>
      {problem ? (
        <p role="alert" className="font-mono text-sm">
          {typeof problem === 'string' ? problem : describeError(problem)}
        </p>
      ) : null}
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={saving}>
        {saving ? 'Saving…' : label}
      </button>
    </>
  );
}
