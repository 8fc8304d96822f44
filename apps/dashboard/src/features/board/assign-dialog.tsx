import type { PrincipalReference, Task } from '@mission-control/contracts';
import { useEffect, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { SkeletonList } from '../../components/states';
import { statusLabels } from '../../lib/format';
import { OfflineAssigneeWarning } from '../agents/offline-assignee-warning';
import { usePrincipalDirectory } from '../people/people-api';
import { useAgentStates } from '../stats/overview-api';

interface AssignDialogProps {
  /** The task being moved and where to; null when closed. */
  pending: { task: Task; to: Task['status'] } | null;
  onConfirm: (assignees: PrincipalReference[]) => void;
  onCancel: () => void;
}

/** Asks who will do the work when a card is dropped into a column that needs an assignee. */
export function AssignDialog({ pending, onConfirm, onCancel }: AssignDialogProps) {
  const directory = usePrincipalDirectory();
  const states = useAgentStates();
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => {
    if (pending) setSelected([]);
  }, [pending]);

  const toggle = (id: string) =>
    setSelected((current) => (current.includes(id) ? current.filter((each) => each !== id) : [...current, id]));

  return (
    <Dialog
      open={pending !== null}
      onOpenChange={(open) => !open && onCancel()}
      title={pending ? `Who takes ${pending.task.key}?` : 'Assign'}
      description={pending ? `A task in ${statusLabels[pending.to]} needs at least one assignee.` : undefined}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = directory.entries.filter((entry) => selected.includes(entry.reference.id)).map((entry) => entry.reference);
          if (chosen.length > 0) onConfirm(chosen);
        }}
      >
        {directory.isLoading ? (
          <SkeletonList rows={3} className="h-10" />
        ) : (
          <fieldset className="flex max-h-80 flex-col gap-1 overflow-y-auto">
            <legend className="brutal-label">Assignees</legend>
            {directory.entries.map((entry) => (
              <label key={entry.reference.id} className="flex cursor-pointer items-center gap-3 border-2 border-ink p-2 hover:bg-paper-alt">
                <input
                  type="checkbox"
                  className="size-4 accent-[var(--color-signal)]"
                  checked={selected.includes(entry.reference.id)}
                  onChange={() => toggle(entry.reference.id)}
                />
                <span className="font-bold">{entry.name}</span>
                <span className="font-mono text-xs text-ink-muted">
                  {entry.reference.kind === 'agent' ? 'agent' : 'person'} · {entry.detail}
                </span>
                {entry.reference.kind === 'agent' && states.get(entry.reference.id)?.status === 'offline' ? (
                  <span className="ml-auto border-2 border-ink bg-status-offline px-1 font-mono text-[0.7rem] font-bold text-black">
                    Offline: it will not pick this up until it is back
                  </span>
                ) : null}
              </label>
            ))}
          </fieldset>
        )}
        <div className="mt-3 empty:hidden">
          <OfflineAssigneeWarning
            assignees={directory.entries.filter((entry) => selected.includes(entry.reference.id)).map((entry) => entry.reference)}
          />
        </div>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className="brutal-button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="brutal-button" data-variant="primary" disabled={selected.length === 0}>
            Assign and move
          </button>
        </div>
      </form>
    </Dialog>
  );
}
