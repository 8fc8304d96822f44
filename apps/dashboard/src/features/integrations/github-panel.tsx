import type { GithubConnection, GithubConnectionWithSecret } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { relativeTime } from '../../lib/format';
import { useClient } from '../../lib/services-context';
import { useNow } from '../../lib/use-now';
import { ActionButton } from './action-button';

/** The panel's own query key: the Settings page that hosts it needs no change to the shared list. */
export const githubConnectionsKey = ['integrations', 'github'] as const;

function useGithubConnections() {
  const client = useClient();
  return useQuery({ queryKey: githubConnectionsKey, queryFn: () => client.github.list() });
}

/**
 * GitHub connections: connect a repository (the token goes to the server once and is never shown
 * again; the webhook secret is shown once), each connection's sync status, sync now, enable,
 * disable and disconnect. Self-contained, for the Settings → Integrations page.
 */
export function GithubPanel() {
  const connections = useGithubConnections();
  const [created, setCreated] = useState<GithubConnectionWithSecret | null>(null);
  return (
    <section aria-labelledby="github-panel-title" className="border-[3px] border-ink bg-paper p-3" data-testid="github-panel">
      <h2 id="github-panel-title" className="text-sm font-black tracking-wide uppercase">
        GitHub
      </h2>
      <p className="mt-1 text-sm">
        Open issues with the label become tasks and follow them both ways; runner branches become pull requests.
      </p>
      {created ? <WebhookSecret connection={created} onDone={() => setCreated(null)} /> : null}
      {connections.isError ? (
        <p role="alert" className="mt-2 text-sm">
          {describeError(connections.error)}
        </p>
      ) : null}
      <ul className="mt-3 flex flex-col gap-2">
        {(connections.data ?? []).map((connection) => (
          <ConnectionRow key={connection.id} connection={connection} />
        ))}
      </ul>
      {connections.data && connections.data.length === 0 ? <p className="mt-2 text-sm">No repository is connected yet.</p> : null}
      <ConnectForm onConnected={setCreated} />
    </section>
  );
}

function WebhookSecret({ connection, onDone }: { connection: GithubConnectionWithSecret; onDone: () => void }) {
  return (
    <div role="status" className="mt-3 border-[3px] border-ink bg-paper-alt p-2 text-sm">
      <p>
        Connected <span className="font-bold">{`${connection.owner}/${connection.repo}`}</span>. In GitHub's webhook settings use the URL{' '}
        <code>{`${window.location.origin}${connection.webhookPath}`}</code>, content type application/json, and this secret (shown only
        now):
      </p>
      <code className="mt-1 block break-all" data-testid="github-webhook-secret">
        {connection.webhookSecret}
      </code>
      <button type="button" className="brutal-button mt-2" onClick={onDone}>
        I saved it
      </button>
    </div>
  );
}

function ConnectionRow({ connection }: { connection: GithubConnection }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: githubConnectionsKey });
  const now = useNow();
  const { sync: status } = connection;
  return (
    <li className="flex flex-wrap items-center gap-2 border-b-2 border-ink pb-2 text-sm">
      <span className="mr-auto">
        <span className="font-bold">{`${connection.owner}/${connection.repo}`}</span> · label <code>{connection.label}</code> ·{' '}
        {connection.enabled ? 'enabled' : 'disabled'} · {status.importedIssues} issue(s), {status.openPullRequests} open PR(s) · polled{' '}
        {relativeTime(status.lastPolledAt, now)}
        {status.lastError ? (
          <span role="alert" className="block">
            Last error: {status.lastError}
          </span>
        ) : null}
      </span>
      <ActionButton
        label="Sync now"
        disabled={!connection.enabled}
        action={() => client.github.sync(connection.id)}
        done={() => `Synced ${connection.owner}/${connection.repo}.`}
        after={refresh}
      />
      <ActionButton
        label={connection.enabled ? 'Disable' : 'Enable'}
        action={() => client.github.update(connection.id, { enabled: !connection.enabled })}
        done={() => (connection.enabled ? 'Disabled.' : 'Enabled.')}
        after={refresh}
      />
      <ActionButton
        label="Disconnect"
        action={() => client.github.delete(connection.id)}
        done={() => `Disconnected ${connection.owner}/${connection.repo}.`}
        after={refresh}
      />
    </li>
  );
}

function ConnectForm({ onConnected }: { onConnected: (connection: GithubConnectionWithSecret) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [repository, setRepository] = useState('');
  const [token, setToken] = useState('');
  const [label, setLabel] = useState('mission-control');
  const [error, setError] = useState<string | null>(null);
  const connect = useMutation({
    mutationFn: (input: { owner: string; repo: string; token: string; label: string }) => client.github.connect(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: githubConnectionsKey }),
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const [owner, repo, ...rest] = repository.trim().split('/');
    if (!owner || !repo || rest.length > 0) {
      setError('Write the repository as owner/repo, such as octo-org/widgets.');
      return;
    }
    try {
      const created = await connect.mutateAsync({ owner, repo, token, label });
      setToken('');
      setRepository('');
      onConnected(created);
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <form className="mt-3 flex flex-wrap items-end gap-2 text-sm" onSubmit={(event) => void submit(event)}>
      <label className="flex flex-col">
        Repository
        <input
          className="brutal-input"
          value={repository}
          placeholder="owner/repo"
          onChange={(event) => setRepository(event.target.value)}
        />
      </label>
      <label className="flex flex-col">
        Token
        <input
          className="brutal-input"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
      </label>
      <label className="flex flex-col">
        Label
        <input className="brutal-input" value={label} onChange={(event) => setLabel(event.target.value)} />
      </label>
      <button type="submit" className="brutal-button" data-variant="primary" disabled={connect.isPending || !token}>
        Connect
      </button>
      {error ? (
        <p role="alert" className="w-full">
          {error}
        </p>
      ) : null}
    </form>
  );
}
