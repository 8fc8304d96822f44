import { type Alert, type AlertSettings, defaultAlertSettings } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeMember, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { AlertSettingsForm } from './alert-settings-form';
import AlertsPage from './alerts-page';

const owner = makeMember('Ada Owner', 'ada@example.com');
const agentId = testId();
const stalled: Alert = {
  id: testId(),
  workspaceId,
  kind: 'stalled-agent',
  status: 'open',
  dedupeKey: `stalled-agent:${agentId}:x`,
  subject: { kind: 'agent', id: agentId, name: 'Writer' },
  summary: 'Writer holds TASK-4 “Launch post” but has shown no progress for 95 minutes (the limit is 30).',
  measurements: { minutesWithoutProgress: 95 },
  raisedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
};
const directoryRoutes = {
  'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
  'GET /members': () => ({ status: 200, body: { data: [owner] } }),
};

describe('AlertsPage', () => {
  it('lists open alerts by name with relative times, and acknowledges then resolves one', async () => {
    let current: Alert = stalled;
    const { calls } = renderWithApp(<AlertsPage />, {
      ...directoryRoutes,
      'GET /alerts': () => ({ status: 200, body: { data: [current], nextCursor: null, openCount: current.status === 'resolved' ? 0 : 1 } }),
      [`POST /alerts/${stalled.id}/acknowledge`]: () => {
        current = {
          ...current,
          status: 'acknowledged',
          acknowledgedAt: new Date().toISOString(),
          acknowledgedBy: { kind: 'user', id: owner.user.id },
        };
        return { status: 200, body: current };
      },
      [`POST /alerts/${stalled.id}/resolve`]: () => {
        current = { ...current, status: 'resolved', resolvedAt: new Date().toISOString(), resolvedBy: { kind: 'user', id: owner.user.id } };
        return { status: 200, body: current };
      },
    });
    expect(await screen.findByText('Stalled agent: Writer')).toBeTruthy();
    expect(screen.getByText(/Raised 5 minutes ago|Raised 5m ago|Raised 5 min/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(await screen.findByText(/acknowledged .* by Ada Owner/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'POST' && call.path === `/alerts/${stalled.id}/resolve`)).toBe(true));
    expect(await screen.findByText(/resolved .* by Ada Owner/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  });

  it('says when nothing needs attention, and asks again for another kind', async () => {
    const { calls } = renderWithApp(<AlertsPage />, {
      ...directoryRoutes,
      'GET /alerts': () => ({ status: 200, body: { data: [], nextCursor: null, openCount: 0 } }),
    });
    expect(await screen.findByText('Nothing needs attention')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'cost-spike' } });
    await waitFor(() => expect(calls.filter((call) => call.path === '/alerts').length).toBe(2));
    fireEvent.click(screen.getByRole('button', { name: 'Resolved' }));
    expect(await screen.findByText('No alerts here')).toBeTruthy();
  });
});

describe('AlertSettingsForm', () => {
  it('saves a changed threshold and refuses one out of range without asking the server', async () => {
    const { calls } = renderWithApp(<AlertSettingsForm />, {
      'GET /settings/alerts': () => ({ status: 200, body: defaultAlertSettings }),
      'PUT /settings/alerts': ({ body }) => ({ status: 200, body: { ...defaultAlertSettings, ...(body as Partial<AlertSettings>) } }),
    });
    const multiple = await screen.findByLabelText('Spending: times the usual hour');
    expect((multiple as HTMLInputElement).value).toBe('3');
    fireEvent.change(multiple, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save thresholds' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(calls.some((call) => call.method === 'PUT')).toBe(false);
    fireEvent.change(multiple, { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save thresholds' }));
    await waitFor(() => expect(calls.find((call) => call.method === 'PUT')?.body).toMatchObject({ costSpikeMultiple: 5 }));
  });
});
