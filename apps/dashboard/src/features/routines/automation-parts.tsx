import type { ReactNode } from 'react';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { AutomationTabs } from '../workflows/automation-tabs';

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

/** A routines or triggers page: its title and New button, the tabs, what went wrong, and the list in its states. */
export function AutomationPage<Item>({
  title,
  newLabel,
  onNew,
  failure,
  query,
  what,
  emptyTitle,
  emptyText,
  children,
}: {
  title: string;
  newLabel: string;
  onNew(): void;
  /** The last refused change, if any. */
  failure: unknown;
  query: { isPending: boolean; isError: boolean; error: unknown; data: Item[] | undefined; refetch(): unknown };
  /** "the routines": what failed to load, in words. */
  what: string;
  emptyTitle: string;
  emptyText: ReactNode;
  /** The list items, from the loaded items. */
  children(items: Item[]): ReactNode;
}) {
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-3xl font-black uppercase">{title}</h1>
        <button type="button" className="brutal-button" data-variant="primary" onClick={onNew}>
          {newLabel}
        </button>
      </div>
      <AutomationTabs />
      {failure ? (
        <p role="alert" className="font-mono text-sm">
          {describeError(failure)}
        </p>
      ) : null}
      {query.isPending ? (
        <SkeletonList />
      ) : query.isError || !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} what={what} />
      ) : query.data.length === 0 ? (
        <EmptyState title={emptyTitle}>{emptyText}</EmptyState>
      ) : (
        <ul className="flex flex-col gap-2" aria-label={title}>
          {children(query.data)}
        </ul>
      )}
    </div>
  );
}
