import type { NotificationChannels } from '@mission-control/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { useClient } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';
import { integrationKeys, useWorkspaceChannels } from './integrations-api';

type ChatChannel = 'slack' | 'discord';
const chatNames: Record<ChatChannel, string> = { slack: 'Slack', discord: 'Discord' };

/**
 * The workspace's notification channels: whether the server sends email, and the shared Slack and
 * Discord incoming webhooks used for people who chose those channels without a URL of their own.
 */
export function ChannelsPanel() {
  const channels = useWorkspaceChannels();
  return (
    <section aria-labelledby="channels-title" className="border-[3px] border-ink bg-paper p-3" data-testid="channels-panel">
      <h2 id="channels-title" className="text-sm font-black tracking-wide uppercase">
        Email, Slack and Discord
      </h2>
      <p className="mt-1 text-sm">
        Each person picks which notifications go where under <Link to="/notifications/preferences">Inbox → Preferences</Link>; these are the
        workspace's shared channels.
      </p>
      {channels.isPending ? <SkeletonList rows={3} className="mt-3 h-8" /> : null}
      {channels.isError ? <ErrorState error={channels.error} what="channels" onRetry={() => void channels.refetch()} /> : null}
      {channels.data ? (
        <div className="mt-3 flex flex-col gap-3 text-sm">
          <p>
            <span className="font-bold">Email: </span>
            {channels.data.email.available
              ? `sent from ${channels.data.email.from ?? 'the server'}.`
              : 'off. Set MISSION_SMTP_URL and MISSION_SMTP_FROM on the server to send email.'}
          </p>
          <ChatChannelForm channel="slack" channels={channels.data} />
          <ChatChannelForm channel="discord" channels={channels.data} />
        </div>
      ) : null}
    </section>
  );
}

function ChatChannelForm({ channel, channels }: { channel: ChatChannel; channels: NotificationChannels }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const current = channels[channel].webhookUrl;
  const field = channel === 'slack' ? 'slackWebhookUrl' : 'discordWebhookUrl';
  const save = async (value: string | null) => {
    setError(null);
    try {
      await client.notificationPreferences.updateWorkspaceChannels({ [field]: value });
      setUrl('');
      await queryClient.invalidateQueries({ queryKey: integrationKeys.channels });
      return true;
    } catch (failure) {
      setError(describeError(failure));
      return false;
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save(url.trim())) showToast(`${chatNames[channel]} channel saved.`, 'success');
  };
  return (
    <form className="flex flex-col gap-1" onSubmit={(event) => void submit(event)} aria-label={`${chatNames[channel]} channel`}>
      <p>
        <span className="font-bold">{chatNames[channel]}: </span>
        {current ? <code className="break-all">{current}</code> : 'no workspace channel.'}
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-0 flex-1 flex-col">
          {chatNames[channel]} incoming-webhook URL
          <input className="brutal-input" type="url" value={url} onChange={(event) => setUrl(event.target.value)} />
        </label>
        <button type="submit" className="brutal-button" disabled={!url.trim()}>
          Save
        </button>
        {current ? (
          <button
            type="button"
            className="brutal-button"
            onClick={() => void save(null).then((saved) => saved && showToast(`${chatNames[channel]} channel removed.`, 'success'))}
          >
            Remove
          </button>
        ) : null}
      </div>
      {error ? <p role="alert">{error}</p> : null}
    </form>
  );
}
