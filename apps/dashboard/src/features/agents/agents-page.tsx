import { type CreatedApiKey, createAgentSchema, endpoints, localAgentKindSchema } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { AgentStatusBadge } from '../../components/badges';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { timeAgo } from '../../lib/format';
import { useClient } from '../../lib/services-context';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { canManageAgents, useAgents, useCreateAgent } from './agents-api';
import { ApiKeyReveal } from './api-key-reveal';
import { CapabilitiesInput } from './capabilities-input';
import { RemoteAgentForm } from './remote-agent-form';

export default function AgentsPage() {
  usePageTitle('Agents');
  const agents = useAgents();
  const now = useNow();
  const session = useSession();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black uppercase">Agents</h1>
        <NewAgentButton />
      </div>
      {agents.isPending ? <SkeletonList rows={4} /> : null}
      {agents.isError ? <ErrorState error={agents.error} what="agents" onRetry={() => void agents.refetch()} /> : null}
      {agents.data?.length === 0 ? <EmptyState title="No agents yet">Create one, then connect it with its API key.</EmptyState> : null}
      {agents.data && agents.data.length > 0 ? (
        <div className="overflow-x-auto border-[3px] border-ink">
          <table className="w-full border-collapse text-left">
            <thead className="bg-ink text-paper">
              <tr className="font-mono text-xs uppercase">
                <th className="p-2">Name</th>
                <th className="p-2">Status</th>
                <th className="p-2">Kind</th>
                <th className="p-2">Role</th>
                <th className="p-2">Capabilities</th>
                <th className="p-2">Heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {agents.data.map((agent) => (
                <tr key={agent.id} className="border-t-2 border-ink">
                  <td className="p-2 font-black">
                    <Link to={`/agents/${agent.id}`} className="hover:underline">
                      {agent.name}
                    </Link>
                  </td>
                  <td className="p-2">
                    <AgentStatusBadge status={agent.status} />
                  </td>
                  <td className="p-2 font-mono text-sm">
                    {agent.kind === 'remote' ? (
                      <span className="inline-block border-2 border-ink bg-paper-alt px-1.5 text-[0.7rem] font-bold uppercase">remote</span>
                    ) : (
                      agent.kind
                    )}
                  </td>
                  <td className="p-2">{agent.role}</td>
                  <td className="p-2 font-mono text-xs">{agent.capabilities.join(', ') || '—'}</td>
                  <td className="p-2 font-mono text-xs">
                    {/* A remote agent sends no heartbeats: it is reached over A2A when it has work. */}
                    {agent.kind === 'remote'
                      ? 'none, reached over A2A'
                      : `${timeAgo(agent.lastHeartbeatAt, now)} (every ${agent.heartbeatIntervalSeconds} s)`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canManageAgents(session?.role) ? <RemoteAgentForm /> : null}
    </div>
  );
}

function NewAgentButton() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [kind, setKind] = useState<'lead' | 'specialist' | 'reviewer'>('specialist');
  const [capabilities, setCapabilities] = useState<string[]>([]);
  const [interval, setIntervalSeconds] = useState('60');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ key: CreatedApiKey; agentId: string } | null>(null);
  const create = useCreateAgent();
  const client = useClient();

  const reset = () => {
    setName('');
    setRole('');
    setCapabilities([]);
    setErrors({});
    setCreated(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { name, role, kind, capabilities, heartbeatIntervalSeconds: Number(interval) };
    const parsed = createAgentSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])));
      return;
    }
    setErrors({});
    try {
      const agent = await create.mutateAsync(parsed.data);
      const key = await client.request(endpoints.createAgentApiKey, { params: { id: agent.id }, body: { name: 'default' } });
      setCreated({ key, agentId: agent.id });
    } catch (failure) {
      setErrors({ form: describeError(failure) });
    }
  };

  return (
    <>
      <button type="button" className="brutal-button" data-variant="primary" onClick={() => setOpen(true)}>
        + New agent
      </button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) reset();
        }}
        title={created ? 'Agent created' : 'New agent'}
      >
        {created ? (
          <ApiKeyReveal created={created.key} agentId={created.agentId} />
        ) : (
          <form onSubmit={submit} noValidate className="flex flex-col gap-3">
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <div>
                <label className="brutal-label" htmlFor="agent-name">
                  Name (used for @mentions)
                </label>
                <input
                  id="agent-name"
                  className="brutal-input"
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                  aria-invalid={Boolean(errors.name)}
                />
                {errors.name ? <p className="mt-1 font-mono text-xs font-bold text-danger">{errors.name}</p> : null}
              </div>
              <div>
                <label className="brutal-label" htmlFor="agent-role">
                  Role
                </label>
                <input
                  id="agent-role"
                  className="brutal-input"
                  value={role}
                  onChange={(event) => setRole(event.target.value)}
                  aria-invalid={Boolean(errors.role)}
                />
                {errors.role ? <p className="mt-1 font-mono text-xs font-bold text-danger">{errors.role}</p> : null}
              </div>
              <div>
                <label className="brutal-label" htmlFor="agent-kind">
                  Kind
                </label>
                <select
                  id="agent-kind"
                  className="brutal-input"
                  value={kind}
                  onChange={(event) => setKind(localAgentKindSchema.parse(event.target.value))}
                >
                  {localAgentKindSchema.options.map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label className="brutal-label" htmlFor="agent-interval">
                  Heartbeat every (seconds)
                </label>
                <input
                  id="agent-interval"
                  type="number"
                  min={5}
                  className="brutal-input"
                  value={interval}
                  onChange={(event) => setIntervalSeconds(event.target.value)}
                  aria-invalid={Boolean(errors.heartbeatIntervalSeconds)}
                />
                {errors.heartbeatIntervalSeconds ? (
                  <p className="mt-1 font-mono text-xs font-bold text-danger">{errors.heartbeatIntervalSeconds}</p>
                ) : null}
              </div>
            </div>
            <CapabilitiesInput value={capabilities} onChange={setCapabilities} />
            {errors.form ? (
              <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
                {errors.form}
              </p>
            ) : null}
            <div className="flex justify-end">
              <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending}>
                Create agent and key
              </button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
