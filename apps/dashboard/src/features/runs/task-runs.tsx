import type { AgentRun } from '@mission-control/contracts';
import { useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { formatCost } from '../agents/agent-runtime-api';
import { usePrincipalDirectory } from '../people/people-api';
import { runDuration } from './run-format';
import { RunOutcomeBadge, RunView } from './run-view';
import { useRuns } from './runs-api';

/** The task drawer's runs: the newest one open and live, the older ones one line each until opened. */
export function TaskRuns({ taskId }: { taskId: string }) {
  const runs = useRuns({ taskId }, 20);
  if (runs.isPending) return <SkeletonList rows={1} className="h-10" />;
  if (runs.isError) return <ErrorState error={runs.error} what="the task's runs" onRetry={() => void runs.refetch()} />;
  // Nothing worked on the task yet: the drawer stays as short as it was.
  if (runs.data.length === 0) return null;
  const [latest, ...older] = runs.data;
  return (
    <section aria-label="Runs" className="flex flex-col gap-3">
      <h3 className="border-b-[3px] border-ink text-lg font-black uppercase">Runs</h3>
      {latest ? <RunView run={latest} /> : null}
      {older.length > 0 ? (
        <div>
          <h4 className="brutal-label">Earlier runs</h4>
          <ul className="flex flex-col gap-2">
            {older.map((run) => (
              <CollapsedRun key={run.id} run={run} />
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function CollapsedRun({ run }: { run: AgentRun }) {
  const [open, setOpen] = useState(false);
  const now = useNow();
  const directory = usePrincipalDirectory();
  return (
    <li className="border-2 border-ink">
      <button
        type="button"
        className="flex w-full flex-wrap items-center gap-2 p-2 text-left font-mono text-xs"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <RunOutcomeBadge run={run} />
        <span>
          {directory.nameOf({ kind: 'agent', id: run.agentId })} · {run.adapter ?? run.model} · {relativeTime(run.startedAt, now)} ·{' '}
          {runDuration(run, now)} · {formatCost(run.costMicroDollars)}
        </span>
      </button>
      {open ? (
        <div className="border-t-2 border-ink p-2">
          <RunView run={run} />
        </div>
      ) : null}
    </li>
  );
}
