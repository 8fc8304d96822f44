import type { WorkingState } from '@mission-control/contracts';
import { useState } from 'react';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { VersionDiff } from '../documents/version-diff';
import { usePrincipalDirectory } from '../people/people-api';
import { useRestoreWorkingStateVersion, useWorkingStateVersion, useWorkingStateVersions } from './working-state-api';

/** Every saved version of the notes: who wrote it and when, what changed against the current notes, and a way back. */
export function WorkingStateHistory({
  current,
  unsavedEdit = false,
  onRestored,
}: {
  current: WorkingState;
  /** The editor holds changes not saved yet: restoring replaces them, so the confirmation says so. */
  unsavedEdit?: boolean;
  onRestored: (state: WorkingState) => void;
}) {
  const versions = useWorkingStateVersions();
  const directory = usePrincipalDirectory();
  const now = useNow();
  const restore = useRestoreWorkingStateVersion();
  const [selected, setSelected] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const viewed = useWorkingStateVersion(selected);

  if (versions.isPending) return <SkeletonList rows={3} />;
  if (versions.isError) return <ErrorState error={versions.error} what="the versions" onRetry={() => void versions.refetch()} />;
  const list = versions.data.data;
  if (list.length === 0) return <EmptyState title="No versions yet">Save the notes once and every later change is kept here.</EmptyState>;

  const confirmRestore = (version: number) =>
    restore.mutate(
      { version, currentVersion: current.version },
      {
        onSuccess: (state) => {
          setConfirming(null);
          onRestored(state);
          showToast(`Version ${version} is current again (saved as version ${state.version})`, 'success');
        },
        onError: (failure) => showToast(describeError(failure), 'error'),
      },
    );

  return (
    <div className="flex min-w-0 flex-col gap-3">
      <ol className="flex flex-col gap-2" aria-label="Versions of the notes">
        {list.map((version) => {
          const isCurrent = version.version === current.version;
          return (
            <li key={version.version} className="border-2 border-ink p-2">
              <p className="font-black">
                Version {version.version}
                {isCurrent ? ' (current)' : ''}
              </p>
              <p className="text-sm">
                {directory.nameOf(version.author)} ·{' '}
                <time dateTime={version.createdAt} title={formatDateTime(version.createdAt)}>
                  {relativeTime(version.createdAt, now)}
                </time>{' '}
                · {plural(version.notesLength, 'character')}
              </p>
              <div className="mt-1 flex flex-wrap gap-2">
                <button
                  type="button"
                  className="brutal-button"
                  aria-pressed={selected === version.version}
                  onClick={() => setSelected(selected === version.version ? null : version.version)}
                >
                  {selected === version.version ? 'Hide' : 'View'}
                </button>
                {isCurrent ? null : confirming === version.version ? (
                  <>
                    <button
                      type="button"
                      className="brutal-button"
                      data-variant="primary"
                      disabled={restore.isPending}
                      onClick={() => confirmRestore(version.version)}
                    >
                      Yes, restore version {version.version}
                    </button>
                    <button type="button" className="brutal-button" onClick={() => setConfirming(null)}>
                      Keep current
                    </button>
                  </>
                ) : (
                  <button type="button" className="brutal-button" onClick={() => setConfirming(version.version)}>
                    Restore
                  </button>
                )}
              </div>
              {confirming === version.version ? (
                <p className="mt-1 text-sm" role="status">
                  Its notes become version {current.version + 1}; version {current.version} stays in the history.
                  {unsavedEdit ? ' Your unsaved edit in the editor will be replaced by them.' : ''}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {versions.data.nextCursor ? <p className="text-sm">Only the latest {list.length} versions are listed.</p> : null}
      {selected === null ? null : viewed.isPending ? (
        <Skeleton className="h-40" />
      ) : viewed.isError ? (
        <ErrorState error={viewed.error} what={`version ${selected}`} onRetry={() => void viewed.refetch()} />
      ) : (
        <section aria-label={`Version ${selected}`} className="flex flex-col gap-2">
          <h3 className="font-black">
            Version {selected} by {directory.nameOf(viewed.data.author)}
          </h3>
          {viewed.data.notes === current.notes ? (
            <p className="text-sm">Same as the current notes.</p>
          ) : (
            <VersionDiff before={viewed.data.notes} after={current.notes} beforeLabel={`Version ${selected}`} afterLabel="current notes" />
          )}
        </section>
      )}
    </div>
  );
}
