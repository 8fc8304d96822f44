import type { WorkflowVersion } from '@mission-control/contracts';
import { ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useWorkflowStats, useWorkflowVersions } from './workflows-api';

function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3_600)} h`;
}

/**
 * Every version, newest first, with how its runs went (runs, success rate, median duration):
 * what an A/B test between versions is read from. An older version opens in the editor.
 */
export function VersionsSection({
  workflowId,
  latest,
  opened,
  onOpen,
}: {
  workflowId: string;
  latest: number;
  opened: number | null;
  onOpen(version: WorkflowVersion | null): void;
}) {
  const versions = useWorkflowVersions(workflowId);
  const stats = useWorkflowStats(workflowId);
  const now = useNow();
  const statsOf = (version: number) => stats.data?.versions.find((each) => each.version === version);
  return (
    <section aria-labelledby="versions-heading" className="flex flex-col gap-2">
      <h2 id="versions-heading" className="text-xl font-black uppercase">
        Versions
      </h2>
      {versions.isPending ? (
        <SkeletonList rows={2} />
      ) : versions.isError ? (
        <ErrorState error={versions.error} onRetry={() => void versions.refetch()} what="the versions" />
      ) : (
        <ul className="flex flex-col gap-1">
          {versions.data.map((each) => {
            const numbers = statsOf(each.version);
            const isOpen = (opened ?? latest) === each.version;
            return (
              <li
                key={each.version}
                className="flex flex-wrap items-center justify-between gap-2 border-2 border-ink p-2 font-mono text-sm"
              >
                <span className="font-bold">
                  Version {each.version}
                  {each.version === latest ? ' (latest)' : ''}
                </span>
                <span title={formatDateTime(each.createdAt)}>saved {relativeTime(each.createdAt, now)}</span>
                <span>
                  {plural(numbers?.runs ?? 0, 'run')}
                  {numbers?.successRate === null || numbers?.successRate === undefined
                    ? ''
                    : ` · ${Math.round(numbers.successRate * 100)}% succeeded`}
                  {numbers?.medianDurationSeconds ? ` · median ${formatDuration(numbers.medianDurationSeconds)}` : ''}
                </span>
                <button
                  type="button"
                  className="brutal-button"
                  aria-pressed={isOpen}
                  disabled={isOpen}
                  onClick={() => onOpen(each.version === latest ? null : each)}
                >
                  {isOpen ? 'In the editor' : 'Open in the editor'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
