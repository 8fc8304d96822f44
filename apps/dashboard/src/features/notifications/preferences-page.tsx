import type {
  DigestSettings,
  NotificationDelivery,
  NotificationPreferences,
  QuietHours,
  UpdateNotificationPreferencesInput,
} from '@mission-control/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { plural, relativeTime } from '../../lib/format';
import { useClient } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { integrationKeys, useNotificationPreferences } from '../integrations/integrations-api';
import { usePageTitle } from '../layout/use-page-title';
import { type KindPreferences, NotificationKindsTable } from './notification-kinds-table';

const timeZones: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

/** Notifications → Preferences: where each kind goes and how urgently, quiet hours, the digest, and one's own channels. */
export default function PreferencesPage() {
  usePageTitle('Notification preferences');
  const preferences = useNotificationPreferences();
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">Notification preferences</h1>
      <p className="text-sm">
        Everything stays in your <Link to="/notifications">inbox</Link>; here you choose what also reaches you by email, Slack or Discord.
      </p>
      {preferences.isPending ? <SkeletonList rows={6} className="h-10" /> : null}
      {preferences.isError ? (
        <ErrorState error={preferences.error} what="your preferences" onRetry={() => void preferences.refetch()} />
      ) : null}
      {preferences.data ? <PreferencesForm key={preferences.data.updatedAt ?? 'defaults'} saved={preferences.data} /> : null}
      <RecentDeliveries />
    </div>
  );
}

function PreferencesForm({ saved }: { saved: NotificationPreferences }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [kinds, setKinds] = useState<KindPreferences>(saved.kinds);
  const [timeZone, setTimeZone] = useState(saved.timeZone);
  const [quietHours, setQuietHours] = useState<QuietHours | null>(saved.quietHours);
  const [digest, setDigest] = useState<DigestSettings>(saved.digest);
  const [emailAddress, setEmailAddress] = useState(saved.email.address ?? '');
  const [slackUrl, setSlackUrl] = useState('');
  const [discordUrl, setDiscordUrl] = useState('');
  const [removed, setRemoved] = useState<{ slack: boolean; discord: boolean }>({ slack: false, discord: false });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const change: UpdateNotificationPreferencesInput = { kinds, timeZone, quietHours, digest };
    const address = emailAddress.trim();
    if (address !== (saved.email.address ?? '')) change.emailAddress = address || null;
    if (slackUrl.trim()) change.slackWebhookUrl = slackUrl.trim();
    else if (removed.slack) change.slackWebhookUrl = null;
    if (discordUrl.trim()) change.discordWebhookUrl = discordUrl.trim();
    else if (removed.discord) change.discordWebhookUrl = null;
    setPending(true);
    try {
      const updated = await client.notificationPreferences.update(change);
      queryClient.setQueryData(integrationKeys.preferences, updated);
      showToast('Preferences saved.', 'success');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="flex flex-col gap-4 text-sm" onSubmit={(event) => void submit(event)} aria-label="Notification preferences">
      <section aria-labelledby="kinds-title" className="border-[3px] border-ink bg-paper p-3">
        <h2 id="kinds-title" className="mb-2 text-sm font-black tracking-wide uppercase">
          Each kind
        </h2>
        <NotificationKindsTable kinds={kinds} onChange={setKinds} />
      </section>

      <section aria-labelledby="timing-title" className="flex flex-col gap-3 border-[3px] border-ink bg-paper p-3">
        <h2 id="timing-title" className="text-sm font-black tracking-wide uppercase">
          Quiet hours and digest
        </h2>
        <label className="flex flex-col">
          Time zone
          <select className="brutal-input" value={timeZone} onChange={(event) => setTimeZone(event.target.value)}>
            {(timeZones.includes(timeZone) ? timeZones : [timeZone, ...timeZones]).map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={quietHours !== null}
            onChange={(event) => setQuietHours(event.target.checked ? { start: '22:00', end: '07:00' } : null)}
          />
          Quiet hours: only urgent notifications go out
        </label>
        {quietHours ? (
          <div className="flex flex-wrap gap-3">
            <label className="flex flex-col">
              From
              <input
                className="brutal-input"
                type="time"
                required
                value={quietHours.start}
                onChange={(event) => setQuietHours({ ...quietHours, start: event.target.value })}
              />
            </label>
            <label className="flex flex-col">
              Until
              <input
                className="brutal-input"
                type="time"
                required
                value={quietHours.end}
                onChange={(event) => setQuietHours({ ...quietHours, end: event.target.value })}
              />
            </label>
          </div>
        ) : null}
        <DigestFields digest={digest} onChange={setDigest} />
      </section>

      <section aria-labelledby="own-channels-title" className="flex flex-col gap-3 border-[3px] border-ink bg-paper p-3">
        <h2 id="own-channels-title" className="text-sm font-black tracking-wide uppercase">
          Your channels
        </h2>
        <label className="flex flex-col">
          Email address {saved.email.available ? '' : '(the server sends no email yet)'}
          <input
            className="brutal-input"
            type="email"
            value={emailAddress}
            placeholder="your account email"
            onChange={(event) => setEmailAddress(event.target.value)}
          />
        </label>
        <ChatUrlField
          name="Slack"
          current={removed.slack ? null : saved.slack.webhookUrl}
          usesWorkspaceChannel={saved.slack.usesWorkspaceChannel}
          value={slackUrl}
          onChange={setSlackUrl}
          onRemove={() => setRemoved({ ...removed, slack: true })}
        />
        <ChatUrlField
          name="Discord"
          current={removed.discord ? null : saved.discord.webhookUrl}
          usesWorkspaceChannel={saved.discord.usesWorkspaceChannel}
          value={discordUrl}
          onChange={setDiscordUrl}
          onRemove={() => setRemoved({ ...removed, discord: true })}
        />
      </section>

      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={pending}>
          Save preferences
        </button>
        {error ? <p role="alert">{error}</p> : null}
      </div>
    </form>
  );
}

function DigestFields({ digest, onChange }: { digest: DigestSettings; onChange: (digest: DigestSettings) => void }) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <label className="flex flex-col">
        Digest of normal notifications
        <select
          className="brutal-input"
          value={digest.mode}
          onChange={(event) => {
            const mode = event.target.value;
            if (mode === 'interval') onChange({ mode: 'interval', everyMinutes: 60 });
            else if (mode === 'daily') onChange({ mode: 'daily', at: '09:00' });
            else onChange({ mode: 'off' });
          }}
        >
          <option value="off">Off: each one at once</option>
          <option value="interval">Every few minutes</option>
          <option value="daily">Once a day</option>
        </select>
      </label>
      {digest.mode === 'interval' ? (
        <label className="flex flex-col">
          Every (minutes)
          <input
            className="brutal-input"
            type="number"
            min={5}
            max={1440}
            value={digest.everyMinutes}
            onChange={(event) => onChange({ mode: 'interval', everyMinutes: Number(event.target.value) })}
          />
        </label>
      ) : null}
      {digest.mode === 'daily' ? (
        <label className="flex flex-col">
          At
          <input
            className="brutal-input"
            type="time"
            required
            value={digest.at}
            onChange={(event) => onChange({ mode: 'daily', at: event.target.value })}
          />
        </label>
      ) : null}
    </div>
  );
}

function ChatUrlField(props: {
  name: string;
  current: string | null;
  usesWorkspaceChannel: boolean;
  value: string;
  onChange: (value: string) => void;
  onRemove: () => void;
}) {
  const unset = props.usesWorkspaceChannel
    ? "your own URL is not set: the workspace's channel is used."
    : 'not set, and the workspace has none.';
  return (
    <div className="flex flex-col gap-1">
      <p>
        <span className="font-bold">{props.name}: </span>
        {props.current ? <code className="break-all">{props.current}</code> : unset}
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-0 flex-1 flex-col">
          {props.name} incoming-webhook URL
          <input className="brutal-input" type="url" value={props.value} onChange={(event) => props.onChange(event.target.value)} />
        </label>
        {props.current ? (
          <button type="button" className="brutal-button" onClick={props.onRemove}>
            Remove
          </button>
        ) : null}
      </div>
    </div>
  );
}

const deliveryWords: Record<NotificationDelivery['status'], string> = {
  pending: 'waiting',
  succeeded: 'sent',
  failed: 'failed, will retry',
  dead: 'gave up',
};

/** The emails and chat messages sent to the caller lately, so a person can tell whether a channel works. */
function RecentDeliveries() {
  const client = useClient();
  const now = useNow();
  const deliveries = useQuery({
    queryKey: [...integrationKeys.preferences, 'deliveries'],
    queryFn: async () => (await client.notificationPreferences.deliveries({ limit: 20 }).page()).data,
  });
  return (
    <section aria-labelledby="sent-title" className="border-[3px] border-ink bg-paper p-3 text-sm">
      <h2 id="sent-title" className="text-sm font-black tracking-wide uppercase">
        Sent to you lately
      </h2>
      {deliveries.isPending ? <SkeletonList rows={2} className="mt-2 h-8" /> : null}
      {deliveries.isError ? <ErrorState error={deliveries.error} what="what was sent" onRetry={() => void deliveries.refetch()} /> : null}
      {deliveries.data?.length === 0 ? <p className="mt-2">Nothing has been sent to you by email, Slack or Discord yet.</p> : null}
      <ul className="mt-2 flex flex-col gap-1">
        {(deliveries.data ?? []).map((delivery) => (
          <li key={delivery.id}>
            {delivery.channel} · {delivery.eventType === 'notification.digest' ? 'digest' : delivery.eventType.replace('notification.', '')}{' '}
            · {deliveryWords[delivery.status]} · {plural(delivery.attemptCount, 'attempt')} · {relativeTime(delivery.createdAt, now)}
            {delivery.lastError ? ` · ${delivery.lastError}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
