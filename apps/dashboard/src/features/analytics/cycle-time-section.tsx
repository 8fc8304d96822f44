import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { statusLabels } from '../../lib/format';
import { useCycleTime } from './analytics-api';

/** "45 min", "3.5 h", "2.1 days": a span a person reads at a glance. */
export function formatSpan(milliseconds: number): string {
  const minutes = milliseconds / 60_000;
  if (minutes < 1) return `${Math.round(milliseconds / 1000)} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 36 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

/** Lead time and time in each column of the tasks done in the range, half of them faster than p50. */
export function CycleTimeSection({ range }: { range: { from: string; to: string } }) {
  const cycle = useCycleTime(range);
  const widest = Math.max(1, ...(cycle.data?.overall.columns ?? []).map((column) => column.p90Ms));
  return (
    <section aria-labelledby="cycle-heading" className="min-w-0 border-[3px] border-ink p-2">
      <h2 id="cycle-heading" className="brutal-label">
        Time in each column before done
      </h2>
      {cycle.isPending ? (
        <SkeletonList rows={3} />
      ) : cycle.isError ? (
        <ErrorState error={cycle.error} onRetry={() => void cycle.refetch()} what="the cycle time" />
      ) : cycle.data.overall.tasks === 0 ? (
        <EmptyState title="No task was done in this range" />
      ) : (
        <div className="flex flex-col gap-2 font-mono text-xs">
          {cycle.data.overall.leadTime ? (
            <p className="font-bold">
              {`${cycle.data.overall.tasks} done · lead time: half within ${formatSpan(cycle.data.overall.leadTime.p50Ms)}, 9 in 10 within ${formatSpan(cycle.data.overall.leadTime.p90Ms)}`}
            </p>
          ) : null}
          <dl className="flex flex-col gap-1">
            {cycle.data.overall.columns.map((column) => (
              <div key={column.status} className="grid grid-cols-[6rem_1fr] items-center gap-2 sm:grid-cols-[6rem_1fr_14rem]">
                <dt className="font-bold uppercase">{statusLabels[column.status]}</dt>
                <dd className="h-3 border-2 border-ink" aria-hidden="true">
                  <div className="h-full bg-ink" style={{ width: `${(column.p50Ms / widest) * 100}%` }} />
                </dd>
                <dd className="col-span-2 sm:col-span-1">{`median ${formatSpan(column.p50Ms)} · p90 ${formatSpan(column.p90Ms)}`}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </section>
  );
}
