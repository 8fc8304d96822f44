import { lazy, Suspense, useMemo, useState } from 'react';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { formatCost } from '../agents/agent-runtime-api';
import { useAgents } from '../agents/agents-api';
import { rangeOfDays, useCosts } from '../analytics/analytics-api';
import { RangeSelect } from '../analytics/range-select';
import { BudgetList } from './budget-list';
import { useBudgets } from './costs-api';
import { RecommendationsPanel } from './recommendations-panel';

const SeriesChart = lazy(() => import('../analytics/series-chart'));
const palette = ['--color-signal', '--color-status-active', '--color-status-idle', '--color-status-blocked', '--color-ink-muted'];

/** What the squad spends: per agent, per day stacked by agent, and the monthly budgets. */
export default function CostsPage() {
  const [days, setDays] = useState('30');
  const range = useMemo(() => rangeOfDays(Number(days)), [days]);
  const agents = useAgents();
  const names = useMemo(() => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])), [agents.data]);
  const perAgent = useCosts(range, 'agent');
  const perDay = useCosts(range, 'day');
  const budgets = useBudgets();

  const chart = useMemo(() => {
    const rows = perDay.data?.data ?? [];
    const periods = [...new Set(rows.map((row) => row.periodStart ?? ''))].sort();
    const agentIds = [...new Set(rows.map((row) => row.agentId ?? ''))].sort();
    return {
      periods: periods.map((start) => Date.parse(start) / 1000),
      series: agentIds.map((agentId, index) => ({
        label: names.get(agentId) ?? 'A removed agent',
        colorVariable: palette[index % palette.length] ?? '--color-ink',
        values: periods
          .map((start) => rows.find((row) => row.periodStart === start && row.agentId === agentId)?.costMicroDollars ?? 0)
          .map((micro) => micro / 1_000_000),
      })),
    };
  }, [perDay.data, names]);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">Costs</h1>
      <div className="sm:w-1/2 lg:w-1/4">
        <RangeSelect id="costs-range" value={days} onChange={setDays} />
      </div>

      <section aria-labelledby="spend-heading" className="min-w-0 border-[3px] border-ink p-2">
        <h2 id="spend-heading" className="brutal-label">
          Spend per agent
        </h2>
        {perAgent.isPending ? (
          <SkeletonList rows={3} />
        ) : perAgent.isError ? (
          <ErrorState error={perAgent.error} onRetry={() => void perAgent.refetch()} what="the spend" />
        ) : perAgent.data.data.length === 0 ? (
          <EmptyState title="No model calls in this range" />
        ) : (
          <div className="overflow-x-auto">
            <p className="mb-2 font-mono text-xs">
              In total <span className="font-bold">{formatCost(perAgent.data.total.costMicroDollars)}</span> over {perAgent.data.total.runs}{' '}
              runs and {(perAgent.data.total.tokensIn + perAgent.data.total.tokensOut).toLocaleString()} tokens
            </p>
            <table className="w-full font-mono text-xs">
              <thead>
                <tr className="bg-ink text-left text-paper">
                  <th className="p-1">Agent</th>
                  <th className="p-1 text-right">Runs</th>
                  <th className="p-1 text-right">Tokens</th>
                  <th className="p-1 text-right">Cost</th>
                </tr>
              </thead>
              <tbody>
                {perAgent.data.data.map((row) => (
                  <tr key={row.agentId} className="border-t-2 border-ink">
                    <td className="p-1 font-bold">{names.get(row.agentId ?? '') ?? 'A removed agent'}</td>
                    <td className="p-1 text-right">{row.runs}</td>
                    <td className="p-1 text-right">{(row.tokensIn + row.tokensOut).toLocaleString()}</td>
                    <td className="p-1 text-right">{formatCost(row.costMicroDollars)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="daily-heading" className="min-w-0 border-[3px] border-ink p-2">
        <h2 id="daily-heading" className="brutal-label">
          Cost per day, stacked by agent
        </h2>
        {perDay.isPending ? (
          <Skeleton className="h-[180px]" />
        ) : perDay.isError ? (
          <ErrorState error={perDay.error} onRetry={() => void perDay.refetch()} what="the daily spend" />
        ) : chart.periods.length === 0 ? (
          <EmptyState title="No spend in this range" />
        ) : (
          <>
            <Suspense fallback={<Skeleton className="h-[180px]" />}>
              <SeriesChart
                range={range}
                stacked
                periods={chart.periods}
                series={chart.series}
                description={`Dollars per day over ${chart.periods.length} days, stacked by agent`}
              />
            </Suspense>
            <ul className="mt-2 flex flex-wrap gap-3 font-mono text-xs">
              {chart.series.map((entry) => (
                <li key={entry.label} className="flex items-center gap-1">
                  <span
                    className="inline-block h-3 w-3 border-2 border-ink"
                    style={{ background: `var(${entry.colorVariable})` }}
                    aria-hidden="true"
                  />
                  {entry.label}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <RecommendationsPanel />

      <section aria-labelledby="budgets-heading" className="min-w-0 border-[3px] border-ink p-2">
        <h2 id="budgets-heading" className="brutal-label">
          Monthly budgets
        </h2>
        {budgets.isPending ? (
          <SkeletonList rows={2} />
        ) : budgets.isError ? (
          <ErrorState error={budgets.error} onRetry={() => void budgets.refetch()} what="the budgets" />
        ) : (
          <BudgetList budgets={budgets.data.data} agents={(agents.data ?? []).map((agent) => ({ id: agent.id, name: agent.name }))} />
        )}
      </section>
    </div>
  );
}
