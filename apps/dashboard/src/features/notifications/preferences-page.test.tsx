import {
  type NotificationKind,
  type NotificationKindPreference,
  type NotificationPreferences,
  notificationKindSchema,
} from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import PreferencesPage from './preferences-page';

function preferencesOf(overrides: Partial<NotificationPreferences> = {}): NotificationPreferences {
  const normal: NotificationKindPreference = { channels: [], priority: 'normal', muted: false };
  const kinds = Object.fromEntries(notificationKindSchema.options.map((kind) => [kind, normal])) as Record<
    NotificationKind,
    NotificationKindPreference
  >;
  return {
    recipient: { kind: 'user', id: testId() },
    timeZone: 'UTC',
    quietHours: null,
    digest: { mode: 'off' },
    kinds,
    email: { address: null, available: true },
    slack: { webhookUrl: null, usesWorkspaceChannel: true },
    discord: { webhookUrl: 'https://discord.com/api/webhooks/1/…', usesWorkspaceChannel: false },
    updatedAt: null,
    ...overrides,
  };
}

describe('PreferencesPage', () => {
  it('saves channels and priority per kind, quiet hours with a time zone, the digest and one removed channel', async () => {
    const saved = preferencesOf();
    const { calls } = renderWithApp(
      <>
        <PreferencesPage />
        <Toaster />
      </>,
      {
        'GET /notification-preferences': () => ({ status: 200, body: saved }),
        'PUT /notification-preferences': () => ({ status: 200, body: { ...saved, updatedAt: new Date().toISOString() } }),
        'GET /notification-deliveries': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      },
    );
    const mention = within(await screen.findByTestId('kind-mention'));
    fireEvent.click(mention.getByLabelText('Email'));
    fireEvent.click(mention.getByLabelText('Slack'));
    fireEvent.change(mention.getByLabelText('Priority'), { target: { value: 'urgent' } });
    fireEvent.click(within(screen.getByTestId('kind-budget')).getByLabelText('Muted'));
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(screen.getByLabelText(/^Quiet hours:/));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '21:30' } });
    fireEvent.change(screen.getByLabelText('Digest of normal notifications'), { target: { value: 'daily' } });
    fireEvent.change(screen.getByLabelText('At'), { target: { value: '08:15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.getByText("your own URL is not set: the workspace's channel is used.")).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save preferences' }));
    expect(await screen.findByText('Preferences saved.')).toBeTruthy();

    const put = calls.find((call) => call.method === 'PUT');
    expect(put?.body).toMatchObject({
      timeZone: 'Europe/Berlin',
      quietHours: { start: '21:30', end: '07:00' },
      digest: { mode: 'daily', at: '08:15' },
      discordWebhookUrl: null,
      kinds: {
        mention: { channels: ['email', 'slack'], priority: 'urgent', muted: false },
        budget: { channels: [], priority: 'normal', muted: true },
        reply: { channels: [], priority: 'normal', muted: false },
      },
    });
    expect(put?.body).not.toHaveProperty('emailAddress');
    expect(put?.body).not.toHaveProperty('slackWebhookUrl');
  });

  it('shows the server refusing a Slack URL in words, and what was sent lately', async () => {
    const at = new Date(Date.now() - 120_000).toISOString();
    renderWithApp(<PreferencesPage />, {
      'GET /notification-preferences': () => ({ status: 200, body: preferencesOf() }),
      'PUT /notification-preferences': () => ({
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', message: 'slackWebhookUrl: use the https:// incoming-webhook URL Slack gave you' } },
      }),
      'GET /notification-deliveries': () => ({
        status: 200,
        body: {
          data: [
            {
              id: testId(),
              channel: 'email',
              eventType: 'notification.digest',
              status: 'succeeded',
              attemptCount: 1,
              nextAttemptAt: null,
              lastStatusCode: 250,
              lastError: null,
              createdAt: at,
              updatedAt: at,
              attempts: [],
            },
          ],
          nextCursor: null,
        },
      }),
    });
    expect(await screen.findByText(/email · digest · sent · 1 attempt · /)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Slack incoming-webhook URL'), { target: { value: 'https://hooks.slack.com/services/T/B/x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save preferences' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('incoming-webhook URL'));
  });
});
