import { type Webhook, type WebhookWithSecret, webhookEventSelectorSchema } from '@mission-control/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { relativeTime } from '../../lib/format';
import { useClient } from '../../lib/services-context';
import { useNow } from '../../lib/use-now';
import { ActionButton } from './action-button';
import { integrationKeys, useWebhooks } from './integrations-api';
import { SecretReveal } from './secret-reveal';
import { WebhookDeliveries } from './webhook-deliveries';

/**
 * Outbound webhooks: create one (its signing secret shown once), and per endpoint a test ping,
 * its deliveries with every attempt, replay, the dead-letter queue, enable or disable, a new secret.
 */
export function WebhooksPanel() {
  const webhooks = useWebhooks();
  const [revealed, setRevealed] = useState<{ webhook: WebhookWithSecret; rotated: boolean } | null>(null);
  return (
    <section aria-labelledby="webhooks-title" className="border-[3px] border-ink bg-paper p-3" data-testid="webhooks-panel">
      <h2 id="webhooks-title" className="text-sm font-black tracking-wide uppercase">
        Webhooks
      </h2>
      <p className="mt-1 text-sm">
        Workspace events are POSTed to your URL, signed the Standard Webhooks way, retried for about a day and a half, then kept in a
        dead-letter queue you can replay.
      </p>
      {revealed ? (
        <SecretReveal secret={revealed.webhook.secret} label="signing secret" onDone={() => setRevealed(null)}>
          <p>
            {revealed.rotated ? 'New secret for ' : 'Created '}
            <span className="font-bold break-all">{revealed.webhook.url}</span>.{' '}
            {revealed.rotated
              ? 'The old secret keeps signing alongside it for 24 hours, so update the receiver before then.'
              : 'Give it to your receiver to verify the webhook-signature header.'}
          </p>
        </SecretReveal>
      ) : null}
      {webhooks.isPending ? <SkeletonList rows={2} className="mt-3 h-10" /> : null}
      {webhooks.isError ? <ErrorState error={webhooks.error} what="webhooks" onRetry={() => void webhooks.refetch()} /> : null}
      {webhooks.data?.length === 0 ? <p className="mt-3 text-sm">No webhook yet.</p> : null}
      <ul className="mt-3 flex flex-col gap-3">
        {(webhooks.data ?? []).map((webhook) => (
          <WebhookRow key={webhook.id} webhook={webhook} onRotated={(rotated) => setRevealed({ webhook: rotated, rotated: true })} />
        ))}
      </ul>
      <CreateWebhookForm onCreated={(webhook) => setRevealed({ webhook, rotated: false })} />
    </section>
  );
}

function WebhookRow({ webhook, onRotated }: { webhook: Webhook; onRotated: (webhook: WebhookWithSecret) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const now = useNow();
  const [showDeliveries, setShowDeliveries] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: integrationKeys.webhooks });
  const events = webhook.events.includes('*') ? 'every event' : webhook.events.join(', ');
  return (
    <li className="border-b-2 border-ink pb-3 text-sm" data-testid="webhook-row">
      <p className="font-bold break-all">{webhook.url}</p>
      <p>
        {webhook.description ? `${webhook.description} · ` : ''}
        {events}
        {webhook.filter ? (
          <>
            {' '}
            · filter <code className="break-all">{webhook.filter}</code>
          </>
        ) : null}
      </p>
      <p>
        {webhook.enabled ? 'Enabled' : `Disabled${webhook.disabledReason ? `: ${webhook.disabledReason}` : ''}`}
        {webhook.failingSince ? ` · failing since ${relativeTime(webhook.failingSince, now)}` : ''}
        {webhook.previousSecretExpiresAt ? ` · old secret signs until ${relativeTime(webhook.previousSecretExpiresAt, now)}` : ''}
      </p>
      <div className="mt-2 flex flex-wrap gap-2">
        <ActionButton
          label="Send test ping"
          disabled={!webhook.enabled}
          onStart={() => setShowDeliveries(true)}
          action={() => client.webhooks.test(webhook.id)}
          done={() => 'Test ping queued: it shows under deliveries.'}
          after={() => queryClient.invalidateQueries({ queryKey: ['integrations', 'webhooks', 'deliveries', webhook.id] })}
        />
        <button type="button" className="brutal-button" aria-expanded={showDeliveries} onClick={() => setShowDeliveries(!showDeliveries)}>
          {showDeliveries ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <ActionButton
          label={webhook.enabled ? 'Disable' : 'Enable'}
          action={() => client.webhooks.update(webhook.id, { enabled: !webhook.enabled })}
          done={(updated) => (updated.enabled ? 'Enabled: deliveries resume from the current event.' : 'Disabled.')}
          after={refresh}
        />
        <ActionButton
          label="Rotate secret"
          action={() => client.webhooks.rotateSecret(webhook.id)}
          done={() => 'New signing secret made.'}
          after={async (rotated) => {
            if (rotated) onRotated(rotated);
            await refresh();
          }}
        />
        <ActionButton
          label="Delete"
          variant="danger"
          action={() => client.webhooks.delete(webhook.id)}
          done={() => 'Webhook deleted.'}
          after={refresh}
        />
      </div>
      {showDeliveries ? <WebhookDeliveries webhookId={webhook.id} /> : null}
    </li>
  );
}

/** "task-created, task-status-changed" or "*" into the event list, with a sentence for a name the server does not know. */
function readEvents(text: string): { events: string[]; error: string | null } {
  const names = text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) return { events: ['*'], error: null };
  const unknown = names.filter((name) => !webhookEventSelectorSchema.safeParse(name).success);
  if (unknown.length > 0) return { events: [], error: `Unknown event type: ${unknown.join(', ')}. Use names such as task-created, or *.` };
  return { events: names, error: null };
}

function CreateWebhookForm({ onCreated }: { onCreated: (webhook: WebhookWithSecret) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('*');
  const [filter, setFilter] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const chosen = readEvents(events);
    if (chosen.error) {
      setError(chosen.error);
      return;
    }
    setPending(true);
    try {
      const parsed = chosen.events.map((name) => webhookEventSelectorSchema.parse(name));
      const created = await client.webhooks.create({
        url: url.trim(),
        events: parsed,
        description: description.trim(),
        ...(filter.trim() ? { filter: filter.trim() } : {}),
      });
      setUrl('');
      setFilter('');
      setDescription('');
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: integrationKeys.webhooks });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  };
  return (
    <form className="mt-3 flex flex-col gap-2 text-sm" onSubmit={(event) => void submit(event)} aria-label="New webhook">
      <h3 className="font-black uppercase">New webhook</h3>
      <label className="flex flex-col">
        URL
        <input
          className="brutal-input"
          type="url"
          required
          value={url}
          placeholder="https://hooks.example.com/mission"
          onChange={(event) => setUrl(event.target.value)}
        />
      </label>
      <label className="flex flex-col">
        Events (comma-separated, * for all)
        <input className="brutal-input" value={events} onChange={(event) => setEvents(event.target.value)} />
      </label>
      <label className="flex flex-col">
        Filter (optional CEL, such as event.data.to == "done")
        <input className="brutal-input" value={filter} onChange={(event) => setFilter(event.target.value)} />
      </label>
      <label className="flex flex-col">
        Description
        <input className="brutal-input" value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>
      <div>
        <button type="submit" className="brutal-button" data-variant="primary" disabled={pending || !url.trim()}>
          Create webhook
        </button>
      </div>
      {error ? <p role="alert">{error}</p> : null}
    </form>
  );
}
