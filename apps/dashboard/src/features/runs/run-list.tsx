import type { AgentRun } from '@mission-control/contracts';
import { Link } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { relativeTime } from '../../lib/format';
import type { RunFilters } from '../../lib/query-keys';
import { useNow } from '../../lib/use-now';
import { formatCost } from '../agents/agent-runtime-api';
import { usePrincipalDirectory } from '../people/people-api';
import { useTask } from '../tasks/tasks-api';
import { formatTokens, runDuration } from './run-format';
import { RunOutcomeBadge } from './run-view';
import { useRunnerNames, useRuns } from './runs-api';

/** Recent runs, one line each, each linking to its task's drawer where the transcript is. */
export function RunList({ filters, limit = 50, emptyTitle = 'No runs yet' }: { filters: RunFilters; limit?: number; emptyTitle?: string }) {
  const runs = useRuns(filters, limit);
  if (runs.isPending) return <SkeletonList rows={3} className="h-10" />;
  if (runs.isError) return <ErrorState error={runs.error} what="the runs" onRetry={() => void runs.refetch()} />;
  if (runs.data.length === 0) return <EmptyState title={emptyTitle}>Runs appear here as agents work on tasks.</EmptyState>;
  return (
    <ul className="flex flex-col gap-2">
      {runs.data.map((run) => (
        <RunRow key={run.id} run={run} />
      ))}
    </ul>
  );
}

function RunRow({ run }: { run: AgentRun }) {
  const now = useNow();
  const directory = usePrincipalDirectory();
  const runnerName = useRunnerNames();
  return (
    <li className="flex flex-col items-start gap-1 border-2 border-ink p-2 sm:flex-row sm:flex-wrap sm:items-center sm:gap-2">
      <RunOutcomeBadge run={run} />
      <span className="font-bold">{directory.nameOf({ kind: 'agent', id: run.agentId })}</span>
      {run.taskId ? <RunTaskLink taskId={run.taskId} /> : <span className="text-sm">no task ({run.trigger})</span>}
      <span className="font-mono text-xs">
        {run.adapter ?? run.model} on {runnerName(run.runnerId)} · {relativeTime(run.startedAt, now)} · {runDuration(run, now)} ·{' '}
        {formatTokens(run)} · {formatCost(run.costMicroDollars)}
      </span>
      {run.error ? <span className="w-full break-words font-mono text-xs">Why: {run.error.slice(0, 200)}</span> : null}
    </li>
  );
}

/** The run's task by key and title, opening its drawer (where the run is shown live). */
function RunTaskLink({ taskId }: { taskId: string }) {
  const task = useTask(taskId);
  return (
    <span className="min-w-0 text-sm">
      <Link to={`?task=${task.data?.key ?? taskId}`} className="font-mono font-bold underline">
        {task.data?.key ?? 'Open the task'}
      </Link>
      {task.data ? <span> {task.data.title}</span> : null}
    </span>
  );
}
