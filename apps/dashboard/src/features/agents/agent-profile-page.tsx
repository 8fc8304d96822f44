import { agentStatusSchema, endpoints } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { AgentStatusBadge, TaskStatusBadge } from '../../components/badges';
import { ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, timeAgo } from '../../lib/format';
import { useClient } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { ActivityFeed } from '../activity/activity-feed';
import { usePageTitle } from '../layout/use-page-title';
import { AgentRunnersPanel } from '../runs/agent-runners-panel';
import { AgentSkillsPanel } from '../skills/agent-skills-panel';
import { useTaskList } from '../tasks/tasks-api';
import { AgentA2aPanel } from './agent-a2a-panel';
import { AgentChat } from './agent-chat';
import { AgentMemoryPanel } from './agent-memory-panel';
import { isScriptedAgent, useAgentRuntime } from './agent-runtime-api';
import { AgentRuntimePanel } from './agent-runtime-panel';
import { useAgent, useUpdateAgent } from './agents-api';
import { ApiKeysPanel } from './api-keys-panel';
import { CapabilitiesInput } from './capabilities-input';

function useAgentCounts(agentId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: ['agents', 'counts', agentId],
    queryFn: async ({ signal }) => {
      const [done, messages] = await Promise.all([
        client.request(endpoints.listTasks, { query: { assigneeId: agentId, status: ['done'], limit: 200 }, signal }),
        client.request(endpoints.listAgentActivities, {
          params: { agentId: agentId ?? '' },
          query: { type: 'message-posted', limit: 200 },
          signal,
        }),
      ]);
      return { tasksDone: done.data.length, messages: messages.data.length };
    },
    enabled: Boolean(agentId),
  });
}

export default function AgentProfilePage() {
  const { agentId } = useParams();
  const agent = useAgent(agentId);
  const runtime = useAgentRuntime(agentId);
  usePageTitle(agent.data ? `${agent.data.name} (agent)` : 'Agent');
  const update = useUpdateAgent(agentId ?? '');
  const counts = useAgentCounts(agentId);
  const now = useNow();
  const [role, setRole] = useState('');
  const [interval, setIntervalSeconds] = useState('');

  useEffect(() => {
    if (agent.data) {
      setRole(agent.data.role);
      setIntervalSeconds(String(agent.data.heartbeatIntervalSeconds));
    }
  }, [agent.data]);

  if (agent.isPending) return <Skeleton className="h-96" />;
  if (agent.isError) return <ErrorState error={agent.error} what="the agent" onRetry={() => void agent.refetch()} />;
  const data = agent.data;
  const change = (input: Parameters<typeof update.mutate>[0], message: string) =>
    update.mutate(input, { onSuccess: () => showToast(message, 'success'), onError: (error) => showToast(describeError(error), 'error') });

  return (
    <div className="flex flex-col gap-5">
      <nav className="font-mono text-xs">
        <Link to="/agents" className="underline">
          Agents
        </Link>{' '}
        / {data.name}
      </nav>
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-4xl font-black uppercase">{data.name}</h1>
        <AgentStatusBadge status={data.status} />
        {isScriptedAgent(data) ? (
          <span
            className="border-2 border-ink bg-paper-alt px-1.5 font-mono text-[0.7rem] font-bold uppercase"
            title="Driven by a script, not a model"
          >
            scripted
          </span>
        ) : null}
        <span className="font-mono text-sm">
          {data.kind} · {data.sessionKey} · ♥ {timeAgo(data.lastHeartbeatAt, now)}
        </span>
        <Link to={`/marketplace/publish?kind=agent&source=${data.id}`} className="brutal-button sm:ml-auto">
          Publish to marketplace
        </Link>
      </header>
      <section className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-label="Numbers">
        <Figure label="Tasks done" value={counts.data?.tasksDone} />
        <Figure label="Messages" value={counts.data?.messages} />
        <Figure label="Concurrency" value={data.concurrencyLimit} />
        <Figure label="Since" value={formatDateTime(data.createdAt)} />
      </section>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        <section className="flex flex-col gap-3 border-[3px] border-ink p-3" aria-label="Settings">
          <h2 className="text-xl font-black uppercase">Settings</h2>
          <div>
            <label className="brutal-label" htmlFor="agent-status">
              Status
            </label>
            <select
              id="agent-status"
              className="brutal-input"
              value={data.status}
              onChange={(event) => change({ status: agentStatusSchema.parse(event.target.value) }, 'Status changed')}
            >
              {agentStatusSchema.options.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </div>
          <form
            className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
            onSubmit={(event) => {
              event.preventDefault();
              change({ role: role.trim(), heartbeatIntervalSeconds: Number(interval) }, 'Saved');
            }}
          >
            <div>
              <label className="brutal-label" htmlFor="profile-role">
                Role
              </label>
              <input id="profile-role" className="brutal-input" value={role} onChange={(event) => setRole(event.target.value)} />
            </div>
            <div>
              <label className="brutal-label" htmlFor="profile-interval">
                Heartbeat (s)
              </label>
              <input
                id="profile-interval"
                type="number"
                min={5}
                className="brutal-input"
                value={interval}
                onChange={(event) => setIntervalSeconds(event.target.value)}
              />
            </div>
            <button type="submit" className="brutal-button" disabled={update.isPending}>
              Save
            </button>
          </form>
          <CapabilitiesInput value={data.capabilities} onChange={(capabilities) => change({ capabilities }, 'Capabilities saved')} />
        </section>
        <ApiKeysPanel owner={{ kind: 'agent', agentId: data.id }} heading="API keys" />
      </div>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        <AgentRuntimePanel agentId={data.id} />
        {runtime.data?.runtime === 'builtin' && runtime.data.model ? (
          <AgentChat agentId={data.id} agentName={data.name} />
        ) : (
          <section className="border-[3px] border-ink p-3" aria-label="Talking to this agent">
            <h2 className="text-xl font-black uppercase">Talking to {data.name}</h2>
            <p className="mt-2 text-sm">
              {runtime.data?.runtime === 'builtin'
                ? 'Choose a model in Runtime to chat with this agent here.'
                : `${data.name} runs outside Mission Control, so there is no chat here: mention @${data.name} in a task thread and it answers when it next checks in.`}
            </p>
          </section>
        )}
      </div>
      <AgentA2aPanel agentId={data.id} />
      <AgentRunnersPanel agentId={data.id} agentName={data.name} />
      <AgentTasks agentId={data.id} />
      <AgentMemoryPanel agentId={data.id} agentName={data.name} />
      <AgentSkillsPanel agentId={data.id} agentName={data.name} />
      <section aria-label="Activity history">
        <h2 className="mb-2 text-xl font-black uppercase">Activity</h2>
        <ActivityFeed agentId={data.id} />
      </section>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string | number | undefined }) {
  return (
    <div className="border-[3px] border-ink p-2">
      <p className="brutal-label">{label}</p>
      <p className="text-2xl font-black">{value ?? '…'}</p>
    </div>
  );
}

/** Every task the agent holds or was given, so its work is visible whatever runs it. */
function AgentTasks({ agentId }: { agentId: string }) {
  const tasks = useTaskList({ assigneeId: agentId });
  return (
    <section aria-label="Tasks of this agent" className="border-[3px] border-ink p-3">
      <h2 className="text-xl font-black uppercase">Tasks</h2>
      {tasks.isPending ? <SkeletonList rows={2} className="h-8" /> : null}
      {tasks.isError ? <ErrorState error={tasks.error} what="the agent's tasks" onRetry={() => void tasks.refetch()} /> : null}
      {tasks.data?.data.length === 0 ? <p className="mt-2 font-mono text-sm">No tasks assigned yet.</p> : null}
      <ul className="mt-2 flex flex-col gap-1">
        {tasks.data?.data.map((task) => (
          <li key={task.id} className="flex flex-wrap items-center gap-2 text-sm">
            <Link to={`?task=${task.key}`} className="font-mono font-bold underline">
              {task.key}
            </Link>
            <span>{task.title}</span>
            <TaskStatusBadge status={task.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}
