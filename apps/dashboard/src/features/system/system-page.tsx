import type { SystemInstance, SystemSample } from '@mission-control/contracts';
import { lazy, Suspense, useMemo, useState } from 'react';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { classNames, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import type { ChartSeries } from '../analytics/series-chart';
import { usePageTitle } from '../layout/use-page-title';
import { systemRangeChoices, useSystemMetrics } from './system-api';

// uPlot loads after the numbers: the page is readable before its charts arrive.
const SeriesChart = lazy(() => import('../analytics/series-chart'));

const megabytes = (bytes: number) => bytes / 1_048_576;
/** "512 MB", "3.2 GB": bytes as a person reads them. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes >= 1_073_741_824) return `${(bytes / 1_073_741_824).toFixed(1)} GB`;
  return `${Math.round(megabytes(bytes))} MB`;
}

interface ChartDefinition {
  id: string;
  title: string;
  series: { label: string; colorVariable: string; value: (sample: SystemSample) => number | null }[];
  summary: (latest: SystemSample) => string;
}

const charts: ChartDefinition[] = [
  {
    id: 'cpu',
    title: 'CPU (% of one core)',
    series: [{ label: 'CPU', colorVariable: '--color-status-active', value: (sample) => sample.cpuPercent }],
    summary: (latest) => `Now ${latest.cpuPercent.toFixed(1)} % of one core`,
  },
  {
    id: 'memory',
    title: 'Memory (MB)',
    series: [
      { label: 'Resident', colorVariable: '--color-ink-muted', value: (sample) => megabytes(sample.rssBytes) },
      { label: 'Heap used', colorVariable: '--color-status-active', value: (sample) => megabytes(sample.heapUsedBytes) },
    ],
    summary: (latest) => `Now ${formatBytes(latest.rssBytes)} resident, ${formatBytes(latest.heapUsedBytes)} of heap used`,
  },
  {
    id: 'event-loop',
    title: 'Event-loop delay (ms)',
    series: [
      { label: 'Mean', colorVariable: '--color-status-active', value: (sample) => sample.eventLoopDelayMs },
      { label: '99th percentile', colorVariable: '--color-status-blocked', value: (sample) => sample.eventLoopDelayP99Ms },
    ],
    summary: (latest) =>
      `Now ${latest.eventLoopDelayMs.toFixed(1)} ms on average, ${latest.eventLoopDelayP99Ms.toFixed(1)} ms at worst (p99)`,
  },
  {
    id: 'connections',
    title: 'Live connections',
    series: [
      { label: 'WebSocket clients', colorVariable: '--color-status-active', value: (sample) => sample.websocketClients },
      { label: 'Database connections', colorVariable: '--color-ink-muted', value: (sample) => sample.dbPoolTotal },
    ],
    summary: (latest) =>
      `Now ${latest.websocketClients} live ${latest.websocketClients === 1 ? 'client' : 'clients'}${
        latest.dbPoolTotal === null ? '' : `, ${latest.dbPoolTotal} database connections (${latest.dbPoolWaiting ?? 0} waiting)`
      }`,
  },
  {
    id: 'disk',
    title: 'Disk free in the data directory (GB)',
    series: [{ label: 'Free', colorVariable: '--color-status-active', value: (sample) => (sample.diskFreeBytes ?? 0) / 1_073_741_824 }],
    summary: (latest) => `Now ${formatBytes(latest.diskFreeBytes)} free of ${formatBytes(latest.diskTotalBytes)}`,
  },
];

function InstanceTable({ instances, latest }: { instances: SystemInstance[]; latest: Map<string, SystemSample> }) {
  const now = useNow();
  return (
    <div className="overflow-x-auto">
      <table className="w-full font-mono text-xs">
        <thead>
          <tr className="bg-ink text-left text-paper">
            <th className="p-1">Instance</th>
            <th className="p-1">State</th>
            <th className="p-1">Last seen</th>
            <th className="p-1 text-right">CPU</th>
            <th className="p-1 text-right">Memory</th>
            <th className="p-1 text-right">Disk free</th>
          </tr>
        </thead>
        <tbody>
          {instances.map((instance) => {
            const sample = latest.get(instance.instanceId);
            return (
              <tr key={instance.instanceId} className="border-t-2 border-ink">
                <td className="p-1 font-bold">{instance.instanceId}</td>
                <td className="p-1">
                  <span
                    className={classNames(
                      'border-2 border-ink px-1 font-bold text-black',
                      instance.status === 'up' ? 'bg-status-active' : 'bg-status-blocked',
                    )}
                  >
                    {instance.status === 'up' ? 'Up' : 'Down'}
                  </span>
                </td>
                <td className="p-1">{relativeTime(instance.lastSeenAt, now)}</td>
                <td className="p-1 text-right">{sample ? `${sample.cpuPercent.toFixed(1)} %` : '—'}</td>
                <td className="p-1 text-right">{sample ? formatBytes(sample.rssBytes) : '—'}</td>
                <td className="p-1 text-right">{sample ? formatBytes(sample.diskFreeBytes) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** How each server instance is doing over time: charts of one instance and a table of all (owners and admins). */
export default function SystemPage() {
  usePageTitle('System');
  const [hours, setHours] = useState('1');
  const [chosen, setChosen] = useState('');
  const metrics = useSystemMetrics(Number(hours));
  const instances = metrics.data?.instances ?? [];
  const instanceId = chosen || instances[0]?.instanceId || '';
  const samples = useMemo(
    () => (metrics.data?.samples ?? []).filter((sample) => sample.instanceId === instanceId),
    [metrics.data, instanceId],
  );
  const latest = useMemo(() => {
    const byInstance = new Map<string, SystemSample>();
    for (const sample of metrics.data?.samples ?? []) byInstance.set(sample.instanceId, sample);
    return byInstance;
  }, [metrics.data]);
  const periods = useMemo(() => samples.map((sample) => Date.parse(sample.sampledAt) / 1000), [samples]);
  const chartSeries = useMemo(
    () =>
      new Map(
        charts.map((chart) => [
          chart.id,
          chart.series.map(
            (series): ChartSeries => ({
              label: series.label,
              colorVariable: series.colorVariable,
              values: samples.map((sample) => series.value(sample) ?? 0),
            }),
          ),
        ]),
      ),
    [samples],
  );
  const newest = samples.at(-1);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">System</h1>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:w-1/2">
        <div>
          <label className="brutal-label" htmlFor="system-range">
            Range
          </label>
          <select id="system-range" className="brutal-input" value={hours} onChange={(event) => setHours(event.target.value)}>
            {systemRangeChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        {instances.length > 1 ? (
          <div>
            <label className="brutal-label" htmlFor="system-instance">
              Instance
            </label>
            <select id="system-instance" className="brutal-input" value={instanceId} onChange={(event) => setChosen(event.target.value)}>
              {instances.map((instance) => (
                <option key={instance.instanceId} value={instance.instanceId}>
                  {instance.instanceId}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>

      <section aria-labelledby="instances-heading" className="min-w-0 border-[3px] border-ink p-2">
        <h2 id="instances-heading" className="brutal-label">
          Instances
        </h2>
        {metrics.isPending ? (
          <SkeletonList rows={2} />
        ) : metrics.isError ? (
          <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} what="the system metrics (owners and admins only)" />
        ) : instances.length === 0 ? (
          <EmptyState title="No instance has sampled itself yet: each one does every 10 seconds" />
        ) : (
          <InstanceTable instances={instances} latest={latest} />
        )}
      </section>

      {metrics.isSuccess && newest
        ? charts.map((chart) => (
            <section key={chart.id} aria-labelledby={`system-${chart.id}-heading`} className="min-w-0 border-[3px] border-ink p-2">
              <h2 id={`system-${chart.id}-heading`} className="brutal-label">
                {chart.title}
              </h2>
              <Suspense fallback={<Skeleton className="h-[160px]" />}>
                <SeriesChart
                  periods={periods}
                  series={chartSeries.get(chart.id) ?? []}
                  description={`${chart.title} of ${instanceId}: ${chart.summary(newest)}`}
                  height={160}
                />
              </Suspense>
              <p className="mt-2 font-mono text-xs font-bold">{chart.summary(newest)}</p>
            </section>
          ))
        : null}
      {metrics.isSuccess && instances.length > 0 && !newest ? <EmptyState title="No samples of this instance in this range" /> : null}
    </div>
  );
}
