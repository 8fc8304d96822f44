import {
  type UpdateWorkspaceInput,
  updateWorkspaceSchema,
  type WipLimitColumn,
  type Workspace,
  wipLimitColumns,
} from '@mission-control/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { plainIssueMessage } from '../../lib/form-errors';
import { statusLabels } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useUpdateWorkspace } from './workspace-api';

type Draft = { name: string; limits: Record<WipLimitColumn, string> };

/** The label a person reads for a column's limit field, such as "In progress limit". */
export function limitLabel(column: WipLimitColumn): string {
  return `${statusLabels[column] ?? column} limit`;
}

function draftOf(workspace: Workspace): Draft {
  const limits = Object.fromEntries(wipLimitColumns.map((column) => [column, String(workspace.wipLimits[column] ?? '')]));
  return { name: workspace.name, limits: limits as Record<WipLimitColumn, string> };
}

/**
 * The body for PATCH /workspace with only what the person changed: an emptied limit becomes
 * null (no limit); a field that reads what the server has is left out.
 */
export function changesOf(workspace: Workspace, draft: Draft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (draft.name.trim() !== workspace.name) changes.name = draft.name;
  const limits: Record<string, number | null> = {};
  for (const column of wipLimitColumns) {
    const typed = draft.limits[column].trim();
    const next = typed === '' ? null : Number(typed);
    if (next !== (workspace.wipLimits[column] ?? null)) limits[column] = next;
  }
  if (Object.keys(limits).length > 0) changes.wipLimits = limits;
  return changes;
}

/** Says which field a zod issue is about, in the page's words. */
function describeIssue(issue: { path: PropertyKey[]; message: string; code?: string }): string {
  const [first, column] = issue.path;
  if (first === 'wipLimits' && typeof column === 'string') {
    return `${limitLabel(column as WipLimitColumn)}: a whole number from 1 to 999, or empty for no limit.`;
  }
  return plainIssueMessage(issue);
}

/** The workspace's name and WIP limits, for owners and admins. */
export function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  const update = useUpdateWorkspace();
  const [draft, setDraft] = useState<Draft>(() => draftOf(workspace));
  const [problem, setProblem] = useState<string | null>(null);
  // The server's values win after a save or another admin's change.
  useEffect(() => setDraft(draftOf(workspace)), [workspace]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes = changesOf(workspace, draft);
    if (Object.keys(changes).length === 0) {
      setProblem('Nothing changed.');
      return;
    }
    const parsed = updateWorkspaceSchema.safeParse(changes);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setProblem(issue ? describeIssue(issue) : 'Check the fields and try again.');
      return;
    }
    setProblem(null);
    update.mutate(parsed.data as UpdateWorkspaceInput, { onSuccess: () => showToast('Workspace settings saved.', 'success') });
  };

  const message = problem ?? (update.isError ? describeError(update.error) : null);
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} aria-label="Workspace name and limits" noValidate>
      <div>
        <label className="brutal-label" htmlFor="workspace-name">
          Name
        </label>
        <input
          id="workspace-name"
          className="brutal-input w-full"
          value={draft.name}
          maxLength={120}
          onChange={(event) => setDraft((current) => ({ ...current, name: event.target.value }))}
        />
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="font-black uppercase">Work-in-progress limits</legend>
        <p className="text-sm text-ink-muted" id="wip-help">
          Most tasks a column should hold. Over it, the board’s column header warns; nothing is refused. Leave a field empty for no limit.
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          {wipLimitColumns.map((column) => (
            <div key={column}>
              <label className="brutal-label" htmlFor={`wip-${column}`}>
                {limitLabel(column)}
              </label>
              <input
                id={`wip-${column}`}
                type="number"
                inputMode="numeric"
                min={1}
                max={999}
                step={1}
                aria-describedby="wip-help"
                className="brutal-input w-full"
                value={draft.limits[column]}
                onChange={(event) => setDraft((current) => ({ ...current, limits: { ...current.limits, [column]: event.target.value } }))}
              />
            </div>
          ))}
        </div>
      </fieldset>
      {message ? (
        <p role="alert" className="font-mono text-sm font-bold">
          {message}
        </p>
      ) : null}
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={update.isPending}>
        Save workspace
      </button>
    </form>
  );
}
