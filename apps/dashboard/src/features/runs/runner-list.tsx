import type { Runner } from '@mission-control/contracts';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { plural, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { usePrincipalDirectory } from '../people/people-api';
import { useRunners } from './runs-api';

/** The runners (all, or one agent's): where each runs, what it can drive, whether it is alive and how busy. */
export function RunnerList({ agentId }: { agentId?: string }) {
  const runners = useRunners(agentId);
  if (runners.isPending) return <SkeletonList rows={2} className="h-16" />;
  if (runners.isError) return <ErrorState error={runners.error} what="the runners" onRetry={() => void runners.refetch()} />;
  if (runners.data.length === 0)
    return (
      <EmptyState title="No runners yet">
        Start one on a machine with a git repository: <code>mission runner --agent &lt;name&gt; --adapter claude-code --workdir .</code>
      </EmptyState>
    );
  return (
    <ul className="flex flex-col gap-2">
      {runners.data.map((runner) => (
        <RunnerRow key={runner.id} runner={runner} />
      ))}
    </ul>
  );
}

function RunnerRow({ runner }: { runner: Runner }) {
  const now = useNow();
  const directory = usePrincipalDirectory();
  const online = runner.status === 'online';
  return (
    <li className="flex flex-col gap-1 border-2 border-ink p-2" aria-label={`Runner ${runner.name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span
          className={`border-2 border-ink px-1.5 font-mono text-[0.7rem] font-bold uppercase ${online ? 'bg-status-active text-black' : 'bg-status-offline text-black'}`}
        >
          {runner.status}
        </span>
        <span className="font-bold">{runner.name}</span>
        <span className="font-mono text-xs">
          on {runner.host} · runner {runner.version} · last heartbeat {relativeTime(runner.lastHeartbeatAt, now)}
        </span>
      </div>
      <p className="font-mono text-xs">
        Running {plural(runner.activeRuns.length, 'run')} now · up to {runner.concurrency} at once
        {runner.activeRuns.some((run) => run.cancelRequestedAt) ? ' (a stop is pending)' : ''}
      </p>
      <p className="font-mono text-xs">
        Adapters:{' '}
        {runner.adapters.length === 0
          ? 'none found on its PATH'
          : runner.adapters.map((adapter) => `${adapter.name} ${adapter.version ?? '(version unknown)'}`).join(', ')}
      </p>
      <p className="font-mono text-xs">
        Works for:{' '}
        {runner.agents.map((agent) => `${directory.nameOf({ kind: 'agent', id: agent.agentId })} with ${agent.adapter}`).join(', ') ||
          'nobody'}
      </p>
    </li>
  );
}
