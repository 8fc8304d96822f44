import type { Webhook, WebhookDelivery } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { WebhooksPanel } from './webhooks-panel';

const at = new Date(Date.now() - 5 * 60_000).toISOString();
const owner = { kind: 'user' as const, id: testId() };

function webhookOf(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: testId(),
    workspaceId: testId(),
    url: 'https://hooks.example.com/mission',
    events: ['*'],
    filter: null,
    description: 'Alerts',
    enabled: true,
    disabledReason: null,
    failingSince: null,
    previousSecretExpiresAt: null,
    createdBy: owner,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

function deliveryOf(webhookId: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: testId(),
    webhookId,
    eventType: 'task-created',
    eventSeq: 7,
    status: 'dead',
    attemptCount: 2,
    nextAttemptAt: null,
    lastStatusCode: 500,
    lastError: 'answered 500',
    createdAt: at,
    updatedAt: at,
    attempts: [
      { attempt: 1, at, statusCode: 500, durationMs: 12, responseExcerpt: 'boom', error: 'answered 500' },
      { attempt: 2, at, statusCode: null, durationMs: 15_000, responseExcerpt: '', error: 'no answer within 15 s' },
    ],
    ...overrides,
  };
}

describe('WebhooksPanel', () => {
  it('creates a webhook and shows its secret once, refusing an event type the server does not know first', async () => {
    let webhooks: Webhook[] = [];
    const created = webhookOf({ events: ['task-created', 'task-status-changed'] });
    const { calls } = renderWithApp(<WebhooksPanel />, {
      'GET /webhooks': () => ({ status: 200, body: { data: webhooks } }),
      'POST /webhooks': () => {
        webhooks = [created];
        return { status: 201, body: { ...created, secret: 'whsec_c2VjcmV0' } };
      },
    });
    expect(await screen.findByText('No webhook yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('URL'), { target: { value: 'https://hooks.example.com/mission' } });
    fireEvent.change(screen.getByLabelText(/^Events/), { target: { value: 'task-created, tasks-exploded' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create webhook' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Unknown event type: tasks-exploded');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.change(screen.getByLabelText(/^Events/), { target: { value: 'task-created, task-status-changed' } });
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'Alerts' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create webhook' }));
    expect((await screen.findByTestId('revealed-secret')).textContent).toBe('whsec_c2VjcmV0');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/webhooks',
        body: { url: 'https://hooks.example.com/mission', events: ['task-created', 'task-status-changed'], description: 'Alerts' },
      },
    ]);
    expect(await screen.findByText('Alerts · task-created, task-status-changed')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'I saved it' }));
    expect(screen.queryByTestId('revealed-secret')).toBeNull();
  });

  it('sends a test ping, shows every attempt of a delivery, replays one and the dead-letter queue', async () => {
    const webhook = webhookOf();
    const dead = deliveryOf(webhook.id);
    const { calls } = renderWithApp(
      <>
        <WebhooksPanel />
        <Toaster />
      </>,
      {
        'GET /webhooks': () => ({ status: 200, body: { data: [webhook] } }),
        [`POST /webhooks/${webhook.id}/test`]: () => ({
          status: 202,
          body: deliveryOf(webhook.id, { eventType: 'ping', status: 'pending', attemptCount: 0, attempts: [] }),
        }),
        [`GET /webhooks/${webhook.id}/deliveries`]: () => ({ status: 200, body: { data: [dead], nextCursor: null } }),
        [`POST /webhooks/${webhook.id}/deliveries/${dead.id}/replay`]: () => ({ status: 202, body: { ...dead, status: 'pending' } }),
        [`POST /webhooks/${webhook.id}/replay-dead`]: () => ({ status: 202, body: { replayed: 1 } }),
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Send test ping' }));
    expect(await screen.findByText('Test ping queued: it shows under deliveries.')).toBeTruthy();
    const row = within(await screen.findByTestId('webhook-delivery'));
    expect(row.getByText('Dead-letter queue')).toBeTruthy();
    expect(row.getByText(/#1 · .* · answered 500 · 12 ms · answered 500 · “boom”/)).toBeTruthy();
    expect(row.getByText(/#2 · .* · no answer · 15000 ms · no answer within 15 s/)).toBeTruthy();

    fireEvent.click(row.getByRole('button', { name: 'Replay' }));
    expect(await screen.findByText('task-created queued to be sent again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Replay dead-letter queue' }));
    expect(await screen.findByText('1 dead delivery sent again.')).toBeTruthy();
    await waitFor(() =>
      expect(calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual([
        `/webhooks/${webhook.id}/test`,
        `/webhooks/${webhook.id}/deliveries/${dead.id}/replay`,
        `/webhooks/${webhook.id}/replay-dead`,
      ]),
    );
  });

  it('disables an endpoint and shows a rotated secret with the overlap it gets', async () => {
    let webhook = webhookOf();
    const { calls } = renderWithApp(<WebhooksPanel />, {
      'GET /webhooks': () => ({ status: 200, body: { data: [webhook] } }),
      [`PATCH /webhooks/${webhook.id}`]: () => {
        webhook = { ...webhook, enabled: false };
        return { status: 200, body: webhook };
      },
      [`POST /webhooks/${webhook.id}/rotate-secret`]: () => ({ status: 200, body: { ...webhook, secret: 'whsec_bmV3' } }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Disable' }));
    expect(await screen.findByRole('button', { name: 'Enable' })).toBeTruthy();
    expect(screen.getByText('Disabled')).toBeTruthy();
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ enabled: false });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));
    expect((await screen.findByTestId('revealed-secret')).textContent).toBe('whsec_bmV3');
    expect(screen.getByText(/old secret keeps signing alongside it for 24 hours/)).toBeTruthy();
  });
});
