import type { Agent, AgentState, Task } from '@mission-control/contracts';
import { Link } from 'react-router';
import { AgentStatusBadge } from '../../components/badges';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { formatDateTime, timeAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useAgentStates } from '../stats/overview-api';
import { useBoardTasks } from '../tasks/tasks-api';
import { useAgents } from './agents-api';

/** The agent a task is most likely being worked on by: in progress first, then review, then assigned. */
export function currentTaskOf(agent: Agent, tasks: Task[] | undefined): Task | undefined {
  const mine = (tasks ?? []).filter((task) => task.assignees.some((each) => each.kind === 'agent' && each.id === agent.id));
  return (
    mine.find((task) => task.status === 'in_progress') ??
    mine.find((task) => task.status === 'review') ??
    mine.find((task) => task.status === 'assigned')
  );
}

export function AgentBar() {
  const agents = useAgents();
  const board = useBoardTasks();
  const states = useAgentStates();
  const now = useNow();
  if (agents.isPending) {
    return (
      <div className="flex gap-3 overflow-x-auto">
        {[0, 1, 2, 3].map((index) => (
          <Skeleton key={index} className="h-24 w-56 shrink-0" />
        ))}
      </div>
    );
  }
  if (agents.isError) return <ErrorState error={agents.error} what="agents" onRetry={() => void agents.refetch()} />;
  if (agents.data.length === 0) {
    return (
      <EmptyState title="No agents yet">
        <Link to="/agents" className="font-bold underline">
          Create the first agent
        </Link>{' '}
        and give it an API key.
      </EmptyState>
    );
  }
  return (
    <ul className="scroll-hint flex snap-x gap-3 overflow-x-auto pb-2" aria-label="Agents" data-testid="agent-bar">
      {agents.data.map((agent) => {
        // The server's derived state (claims, work in progress, runs); the board's guess until it answers.
        const state: AgentState | undefined = states.get(agent.id);
        const current = state ? state.currentTask : currentTaskOf(agent, board.data);
        const status = state?.status ?? agent.status;
        return (
          <li key={agent.id} className="w-60 shrink-0 snap-start border-[3px] border-ink bg-paper p-2 shadow-[var(--shadow-hard-small)]">
            <div className="flex items-center justify-between gap-2">
              <Link to={`/agents/${agent.id}`} className="truncate text-lg font-black hover:underline">
                {agent.name}
              </Link>
              <AgentStatusBadge status={status} />
            </div>
            <p className="truncate font-mono text-xs text-ink-muted">
              {agent.role} · {agent.kind}
            </p>
            <p className="mt-1 truncate text-sm">
              {current ? (
                <Link to={`?task=${current.key}`} className="underline">
                  <span className="font-mono font-bold">{current.key}</span> {current.title}
                </Link>
              ) : (
                <span className="text-ink-muted">No current task</span>
              )}
            </p>
            <p
              className="mt-1 font-mono text-[0.7rem]"
              title={agent.lastHeartbeatAt ? formatDateTime(agent.lastHeartbeatAt) : 'Never heard from'}
            >
              {agent.lastHeartbeatAt ? `Last heard ${timeAgo(agent.lastHeartbeatAt, now)}` : 'Never heard from'}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
