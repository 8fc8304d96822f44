import { taskStatusSchema } from '@mission-control/contracts';
import { lazy, Suspense, useMemo } from 'react';
import { Skeleton } from '../../components/states';
import { statusLabels } from '../../lib/format';
import { useAnalyticsOverview } from './overview-api';
import { bucketByHour, useRecentActivityStats } from './stats-api';

// The chart library loads after the page: the numbers matter first.
const ActivityChart = lazy(() => import('./activity-chart'));

export function QuickStats() {
  // The numbers come from the server (GET /analytics/overview), refetched after every live event.
  const overview = useAnalyticsOverview();
  const activity = useRecentActivityStats();
  const counts = overview.data?.tasks;
  const total = counts?.total ?? 0;
  const chart = useMemo(() => (activity.data ? bucketByHour(activity.data.timestamps, Date.now()) : null), [activity.data]);

  return (
    <section aria-label="Quick stats" className="grid grid-cols-1 gap-3 lg:grid-cols-[1fr_auto_auto]">
      <div className="border-[3px] border-ink p-2">
        <h3 className="brutal-label">Tasks per status</h3>
        {!counts ? (
          <Skeleton className="h-20" />
        ) : (
          <dl className="flex flex-col gap-1">
            {taskStatusSchema.options.map((status) => {
              const count = counts[status];
              const attention = (status === 'blocked' || status === 'failed') && count > 0;
              return (
                <div key={status} className="grid grid-cols-[6rem_1fr_2.5rem] items-center gap-2 font-mono text-xs">
                  <dt className={`font-bold uppercase ${attention ? 'underline decoration-status-blocked decoration-[3px]' : ''}`}>
                    {statusLabels[status]}
                  </dt>
                  <dd className="h-3 border-2 border-ink" aria-hidden="true">
                    <div className="h-full bg-ink" style={{ width: `${total ? (count / total) * 100 : 0}%` }} />
                  </dd>
                  <dd className="text-right font-bold" data-testid={`stat-${status}`}>
                    {count}
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
      </div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-1">
        <Figure label="Active agents" value={overview.data ? `${overview.data.agents.active}/${overview.data.agents.total}` : '…'} />
        <Figure label="Messages today" value={overview.data ? String(overview.data.messagesToday) : '…'} />
      </div>
      <div className="min-w-0 border-[3px] border-ink p-2 lg:w-96">
        <h3 className="brutal-label">Events per hour, last 24 h</h3>
        {chart ? (
          <Suspense fallback={<Skeleton className="h-[140px]" />}>
            <ActivityChart hours={chart.hours} counts={chart.counts} />
          </Suspense>
        ) : (
          <Skeleton className="h-[140px]" />
        )}
      </div>
    </section>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="border-[3px] border-ink bg-ink p-2 text-paper">
      <p className="font-mono text-[0.65rem] font-bold uppercase">{label}</p>
      <p className="text-3xl font-black tabular-nums">{value}</p>
    </div>
  );
}
