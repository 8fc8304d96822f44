import { describeError } from '../../lib/describe-error';
import { useSession } from '../auth/use-session';
import { canManageAgents, useAgent, useUpdateAgent } from './agents-api';

/** The agent's A2A endpoint and card on this server, as an outside A2A client reaches them. */
function agentA2aUrls(origin: string, agentId: string): { endpointUrl: string; cardUrl: string } {
  const endpointUrl = `${origin}/a2a/agents/${agentId}`;
  return { endpointUrl, cardUrl: `${endpointUrl}/.well-known/agent-card.json` };
}

/**
 * Publishing the agent over Agent2Agent (docs/decisions/0029). The switch is for the people who
 * manage agents; viewers still see whether it is published and where, since the card is public.
 */
export function AgentA2aPanel({ agentId }: { agentId: string }) {
  const session = useSession();
  const agent = useAgent(agentId);
  const update = useUpdateAgent(agentId);
  if (!agent.data) return null;
  const { name, a2a } = agent.data;
  const manages = canManageAgents(session?.role);
  const { endpointUrl, cardUrl } = agentA2aUrls(window.location.origin, agentId);

  return (
    <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="agent-a2a-heading">
      <h2 id="agent-a2a-heading" className="text-xl font-black uppercase">
        Reachable over A2A
      </h2>
      <p id="agent-a2a-help" className="text-sm">
        Any A2A client with an API key of this workspace can send {name} work over the Agent2Agent protocol: each message becomes a task on
        this board. The card that describes {name} is public.
      </p>
      {manages ? (
        <div className="flex items-start gap-2">
          <input
            id="agent-a2a-published"
            type="checkbox"
            role="switch"
            aria-checked={a2a.published}
            className="mt-1 size-5 shrink-0 accent-[var(--color-signal)]"
            checked={a2a.published}
            disabled={update.isPending}
            aria-describedby="agent-a2a-help"
            onChange={(event) => update.mutate({ a2a: { published: event.target.checked } })}
          />
          <label htmlFor="agent-a2a-published" className="font-bold">
            Publish this agent's card
          </label>
        </div>
      ) : (
        <p className="font-bold">
          {a2a.published ? `${name} is published.` : `${name} is not published. An owner, admin or member can publish it.`}
        </p>
      )}
      {update.isError ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {update.variables?.a2a?.published ? `${name} was not published` : `${name} was not withdrawn`}: {describeError(update.error)}
        </p>
      ) : null}
      {a2a.published ? (
        <dl className="flex min-w-0 flex-col gap-2 text-sm">
          <div className="min-w-0">
            <dt className="brutal-label">Card URL</dt>
            <dd>
              <code className="block select-all break-all border-2 border-ink bg-paper-alt px-2 py-1 font-mono">{cardUrl}</code>
            </dd>
          </div>
          <div className="min-w-0">
            <dt className="brutal-label">Endpoint URL</dt>
            <dd>
              <code className="block select-all break-all border-2 border-ink bg-paper-alt px-2 py-1 font-mono">{endpointUrl}</code>
            </dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}
