import type { AgentAnalyticsRow, ThroughputPoint } from '@mission-control/contracts';
import { lazy, Suspense, useMemo, useState } from 'react';
import { FilterSelect } from '../../components/filter-fields';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { formatCost } from '../agents/agent-runtime-api';
import { useAgents } from '../agents/agents-api';
import { rangeOfDays, useAgentAnalytics, useCosts, useThroughput } from './analytics-api';
import { CycleTimeSection } from './cycle-time-section';
import { RangeSelect } from './range-select';

// uPlot loads after the numbers: the page is readable before its charts arrive.
const SeriesChart = lazy(() => import('./series-chart'));

/** "1.2 s", "3 min": a run's length in words a person reads at a glance. */
function formatDuration(milliseconds: number | null): string {
  if (milliseconds === null) return '—';
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  return `${Math.round(milliseconds / 60_000)} min`;
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** Sums the points of each period (all agents, or one agent's when filtered). */
function sumByPeriod(points: ThroughputPoint[], agentId: string) {
  const periods = new Map<string, { created: number; started: number; done: number; failed: number }>();
  for (const point of points) {
    if (agentId && point.agentId !== agentId) continue;
    const entry = periods.get(point.periodStart) ?? { created: 0, started: 0, done: 0, failed: 0 };
    entry.created += point.created;
    entry.started += point.started;
    entry.done += point.done;
    entry.failed += point.failed;
    periods.set(point.periodStart, entry);
  }
  return [...periods.entries()].sort(([left], [right]) => left.localeCompare(right));
}

/** Throughput, per-agent success and spend, and tokens per model, over a chosen range. */
export default function AnalyticsPage() {
  const [days, setDays] = useState('30');
  const [agentId, setAgentId] = useState('');
  const range = useMemo(() => rangeOfDays(Number(days)), [days]);
  const interval = days === '90' ? 'week' : 'day';
  const agents = useAgents();
  const names = useMemo(() => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])), [agents.data]);
  const throughput = useThroughput(range, interval, Boolean(agentId));
  const perAgent = useAgentAnalytics(range);
  const models = useCosts(range, 'model');

  const periods = useMemo(() => sumByPeriod(throughput.data?.data ?? [], agentId), [throughput.data, agentId]);
  const chart = useMemo(
    () => ({
      periods: periods.map(([start]) => Date.parse(start) / 1000),
      series: [
        { label: 'Created', values: periods.map(([, counts]) => counts.created), colorVariable: '--color-ink-muted' },
        { label: 'Done', values: periods.map(([, counts]) => counts.done), colorVariable: '--color-status-active' },
        { label: 'Failed', values: periods.map(([, counts]) => counts.failed), colorVariable: '--color-status-blocked' },
      ],
    }),
    [periods],
  );
  const totals = periods.reduce(
    (sum, [, counts]) => ({ created: sum.created + counts.created, done: sum.done + counts.done, failed: sum.failed + counts.failed }),
    { created: 0, done: 0, failed: 0 },
  );
  const rows: AgentAnalyticsRow[] = (perAgent.data?.data ?? []).filter((row) => !agentId || row.agentId === agentId);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">Analytics</h1>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:w-1/2">
        <RangeSelect id="analytics-range" value={days} onChange={setDays} />
        <FilterSelect
          id="analytics-agent"
          label="Agent"
          value={agentId}
          anyLabel="Every agent"
          options={(agents.data ?? []).map((agent) => ({ value: agent.id, label: agent.name }))}
          onChange={setAgentId}
        />
      </div>

      <section aria-labelledby="throughput-heading" className="min-w-0 border-[3px] border-ink p-2">
        <h2 id="throughput-heading" className="brutal-label">
          Tasks created, done and failed per {interval}
        </h2>
        {throughput.isPending ? (
          <Skeleton className="h-[180px]" />
        ) : throughput.isError ? (
          <ErrorState error={throughput.error} onRetry={() => void throughput.refetch()} what="the throughput" />
        ) : periods.length === 0 ? (
          <EmptyState title="No tasks moved in this range" />
        ) : (
          <>
            <Suspense fallback={<Skeleton className="h-[180px]" />}>
              <SeriesChart
                range={range}
                periods={chart.periods}
                series={chart.series}
                description={`Per ${interval}: ${totals.created} created, ${totals.done} done, ${totals.failed} failed in total`}
              />
            </Suspense>
            <p className="mt-2 font-mono text-xs font-bold">{`${totals.created} created · ${totals.done} done · ${totals.failed} failed`}</p>
          </>
        )}
      </section>

      <CycleTimeSection range={range} />

      <section aria-labelledby="agents-heading" className="min-w-0 border-[3px] border-ink p-2">
        <h2 id="agents-heading" className="brutal-label">
          Success and spend per agent
        </h2>
        {perAgent.isPending ? (
          <SkeletonList rows={3} />
        ) : perAgent.isError ? (
          <ErrorState error={perAgent.error} onRetry={() => void perAgent.refetch()} what="the per-agent numbers" />
        ) : rows.length === 0 ? (
          <EmptyState title="No agent finished a task or ran in this range" />
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full font-mono text-xs">
              <thead>
                <tr className="bg-ink text-left text-paper">
                  <th className="p-1">Agent</th>
                  <th className="p-1 text-right">Done</th>
                  <th className="p-1 text-right">Failed</th>
                  <th className="p-1 text-right" title="Moved from review back to work: counts against the success rate">
                    Sent back
                  </th>
                  <th className="p-1">Success</th>
                  <th className="p-1 text-right">Median run</th>
                  <th className="p-1 text-right">Cost</th>
                  <th className="p-1 text-right">Per done task</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.agentId} className="border-t-2 border-ink">
                    <td className="p-1 font-bold">{names.get(row.agentId) ?? 'A removed agent'}</td>
                    <td className="p-1 text-right">{row.tasksDone}</td>
                    <td className="p-1 text-right">{row.tasksFailed}</td>
                    <td className="p-1 text-right">{row.tasksSentBack}</td>
                    <td className="p-1">
                      <div className="flex items-center gap-2">
                        <div className="h-3 w-16 border-2 border-ink" aria-hidden="true">
                          <div className="h-full bg-status-active" style={{ width: `${(row.successRate ?? 0) * 100}%` }} />
                        </div>
                        {percent(row.successRate)}
                      </div>
                    </td>
                    <td className="p-1 text-right">{formatDuration(row.medianRunDurationMs)}</td>
                    <td className="p-1 text-right">{formatCost(row.costMicroDollars)}</td>
                    <td className="p-1 text-right">
                      {row.costPerDoneTaskMicroDollars === null ? '—' : formatCost(row.costPerDoneTaskMicroDollars)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="models-heading" className="min-w-0 border-[3px] border-ink p-2">
        <h2 id="models-heading" className="brutal-label">
          Tokens per model
        </h2>
        {models.isPending ? (
          <SkeletonList rows={2} />
        ) : models.isError ? (
          <ErrorState error={models.error} onRetry={() => void models.refetch()} what="the tokens per model" />
        ) : models.data.data.length === 0 ? (
          <EmptyState title="No model calls in this range" />
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full font-mono text-xs">
              <thead>
                <tr className="bg-ink text-left text-paper">
                  <th className="p-1">Model</th>
                  <th className="p-1 text-right">Runs</th>
                  <th className="p-1 text-right">Tokens in</th>
                  <th className="p-1 text-right">Tokens out</th>
                  <th className="p-1 text-right">Cost</th>
                </tr>
              </thead>
              <tbody>
                {models.data.data.map((row) => (
                  <tr key={`${row.provider}/${row.model}`} className="border-t-2 border-ink">
                    <td className="p-1 font-bold">
                      {row.model} <span className="font-normal">({row.provider})</span>
                    </td>
                    <td className="p-1 text-right">{row.runs}</td>
                    <td className="p-1 text-right">{row.tokensIn.toLocaleString()}</td>
                    <td className="p-1 text-right">{row.tokensOut.toLocaleString()}</td>
                    <td className="p-1 text-right">{formatCost(row.costMicroDollars)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
