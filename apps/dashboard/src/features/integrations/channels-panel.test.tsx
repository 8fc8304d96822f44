import type { NotificationChannels } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { renderWithApp } from '../../test/render-with-app';
import { ChannelsPanel } from './channels-panel';

describe('ChannelsPanel', () => {
  it('says email is off and how to turn it on, sets the Slack channel, removes the Discord one and shows a refusal in words', async () => {
    let channels: NotificationChannels = {
      slack: { webhookUrl: null },
      discord: { webhookUrl: 'https://discord.com/api/webhooks/1/…' },
      email: { available: false, from: null },
      updatedAt: null,
    };
    const { calls } = renderWithApp(
      <>
        <ChannelsPanel />
        <Toaster />
      </>,
      {
        'GET /notification-channels': () => ({ status: 200, body: channels }),
        'PUT /notification-channels': ({ body }) => {
          if (JSON.stringify(body).includes('10.0.0.1')) {
            return {
              status: 400,
              body: { error: { code: 'WEBHOOK_TARGET_REFUSED', message: 'The URL points at a private address. Use a public URL.' } },
            };
          }
          const change = JSON.stringify(body);
          channels = {
            ...channels,
            ...(change.includes('slackWebhookUrl') ? { slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/…' } } : {}),
            ...(change.includes('discordWebhookUrl') ? { discord: { webhookUrl: null } } : {}),
            updatedAt: new Date().toISOString(),
          };
          return { status: 200, body: channels };
        },
      },
    );
    expect(await screen.findByText(/off\. Set MISSION_SMTP_URL and MISSION_SMTP_FROM/)).toBeTruthy();
    const slack = within(screen.getByRole('form', { name: 'Slack channel' }));
    fireEvent.change(slack.getByLabelText('Slack incoming-webhook URL'), { target: { value: 'http://10.0.0.1/hook' } });
    fireEvent.click(slack.getByRole('button', { name: 'Save' }));
    expect((await slack.findByRole('alert')).textContent).toBe('The URL points at a private address. Use a public URL.');

    fireEvent.change(slack.getByLabelText('Slack incoming-webhook URL'), { target: { value: 'https://hooks.slack.com/services/T/B/x' } });
    fireEvent.click(slack.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Slack channel saved.')).toBeTruthy();
    fireEvent.click(within(screen.getByRole('form', { name: 'Discord channel' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(calls.filter((call) => call.method === 'PUT').map((call) => call.body)).toEqual([
        { slackWebhookUrl: 'http://10.0.0.1/hook' },
        { slackWebhookUrl: 'https://hooks.slack.com/services/T/B/x' },
        { discordWebhookUrl: null },
      ]),
    );
    expect(await screen.findByText('https://hooks.slack.com/services/T/B/…')).toBeTruthy();
  });
});
