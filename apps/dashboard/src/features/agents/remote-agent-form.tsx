import { createRemoteAgentSchema } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { describeError } from '../../lib/describe-error';
import { useCreateAgent } from './agents-api';

type FieldErrors = Partial<Record<'cardUrl' | 'apiKey' | 'name', string>>;

/**
 * Adds a squad member that works somewhere else, reached over Agent2Agent (docs/decisions/0029):
 * the server reads its card, so the card URL is all it needs; the name, role and capabilities
 * come from the card unless a name is given here.
 */
export function RemoteAgentForm() {
  const [cardUrl, setCardUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [joined, setJoined] = useState<string | null>(null);
  const create = useCreateAgent();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setJoined(null);
    // Empty optional fields are left out rather than sent empty, so the card's name is used.
    const input: z.input<typeof createRemoteAgentSchema> = {
      kind: 'remote',
      a2a: { cardUrl: cardUrl.trim(), ...(apiKey ? { apiKey } : {}) },
      ...(name.trim() ? { name: name.trim() } : {}),
    };
    const parsed = createRemoteAgentSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(
        Object.fromEntries(
          parsed.error.issues.map((issue) => [String(issue.path[0] === 'a2a' ? issue.path[1] : issue.path[0]), issue.message]),
        ),
      );
      return;
    }
    setErrors({});
    try {
      // The input, not the parsed value, so the server applies its own defaults (the concurrency limit).
      const agent = await create.mutateAsync(input);
      setJoined(`${agent.name} joined the squad as a remote agent`);
      setCardUrl('');
      setApiKey('');
      setName('');
    } catch (error) {
      setFailure(describeError(error));
    }
  };

  return (
    <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="remote-agent-heading">
      <h2 id="remote-agent-heading" className="text-xl font-black uppercase">
        Add a remote agent
      </h2>
      <p id="remote-agent-help" className="text-sm">
        An agent that works on another server joins the squad from its A2A agent card. Tasks assigned to it are sent there, and its answers
        come back to the board.
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-3">
        <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
          <div className="min-w-0">
            <label className="brutal-label" htmlFor="remote-agent-card-url">
              Card URL
            </label>
            <input
              id="remote-agent-card-url"
              type="url"
              inputMode="url"
              required
              className="brutal-input"
              placeholder="https://example.com/.well-known/agent-card.json"
              value={cardUrl}
              onChange={(event) => setCardUrl(event.target.value)}
              aria-invalid={Boolean(errors.cardUrl)}
              aria-describedby={errors.cardUrl ? 'remote-agent-help remote-agent-card-url-error' : 'remote-agent-help'}
            />
            {errors.cardUrl ? (
              <p id="remote-agent-card-url-error" className="mt-1 font-mono text-xs font-bold text-danger">
                {errors.cardUrl}
              </p>
            ) : null}
          </div>
          <div className="min-w-0">
            <label className="brutal-label" htmlFor="remote-agent-api-key">
              API key (optional)
            </label>
            <input
              id="remote-agent-api-key"
              type="password"
              autoComplete="off"
              className="brutal-input"
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
              aria-invalid={Boolean(errors.apiKey)}
              aria-describedby={errors.apiKey ? 'remote-agent-api-key-error' : undefined}
            />
            {errors.apiKey ? (
              <p id="remote-agent-api-key-error" className="mt-1 font-mono text-xs font-bold text-danger">
                {errors.apiKey}
              </p>
            ) : null}
          </div>
          <div className="min-w-0">
            <label className="brutal-label" htmlFor="remote-agent-name">
              Name (optional, defaults to the card's)
            </label>
            <input
              id="remote-agent-name"
              className="brutal-input"
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={Boolean(errors.name)}
              aria-describedby={errors.name ? 'remote-agent-name-error' : undefined}
            />
            {errors.name ? (
              <p id="remote-agent-name-error" className="mt-1 font-mono text-xs font-bold text-danger">
                {errors.name}
              </p>
            ) : null}
          </div>
        </div>
        {failure ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {failure}
          </p>
        ) : null}
        {/* Always there, so screen readers announce the success when it is written into it. */}
        <div role="status">{joined ? <p className="border-2 border-ink bg-status-active p-2 font-bold text-black">{joined}</p> : null}</div>
        <div className="flex justify-end">
          <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending}>
            Add remote agent
          </button>
        </div>
      </form>
    </section>
  );
}
