import { Link } from 'react-router';
import { RunList } from './run-list';
import { RunnerList } from './runner-list';

/** The agent profile's runner section: the runners that work for this agent and its recent runs with outcome and cost. */
export function AgentRunnersPanel({ agentId, agentName }: { agentId: string; agentName: string }) {
  return (
    <section className="flex flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="agent-runners-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="agent-runners-heading" className="text-xl font-black uppercase">
          Runners and runs
        </h2>
        <Link to={`/runs?agent=${agentId}`} className="font-mono text-sm underline">
          All runs of {agentName}
        </Link>
      </div>
      <RunnerList agentId={agentId} />
      <h3 className="brutal-label">Recent runs</h3>
      <RunList filters={{ agentId }} limit={10} emptyTitle={`${agentName} has no runs yet`} />
    </section>
  );
}
