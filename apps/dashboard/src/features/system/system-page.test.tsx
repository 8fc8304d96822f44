import type { SystemMetrics, SystemSample } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../test/render-with-app';
import SystemPage from './system-page';

const sample = (instanceId: string, sampledAt: string, overrides: Partial<SystemSample> = {}): SystemSample => ({
  instanceId,
  sampledAt,
  resolutionSeconds: 10,
  cpuPercent: 12.5,
  rssBytes: 200 * 1_048_576,
  heapUsedBytes: 80 * 1_048_576,
  heapTotalBytes: 120 * 1_048_576,
  diskFreeBytes: 40 * 1_073_741_824,
  diskTotalBytes: 100 * 1_073_741_824,
  eventLoopDelayMs: 1.2,
  eventLoopDelayP99Ms: 4.5,
  websocketClients: 3,
  dbPoolTotal: 5,
  dbPoolIdle: 4,
  dbPoolWaiting: 0,
  ...overrides,
});

const now = Date.now();
const ago = (milliseconds: number) => new Date(now - milliseconds).toISOString();
const metrics: SystemMetrics = {
  from: ago(3_600_000),
  to: ago(0),
  instances: [
    { instanceId: 'web-1:4000', hostname: 'web-1', lastSeenAt: ago(5_000), status: 'up' },
    { instanceId: 'web-2:4000', hostname: 'web-2', lastSeenAt: ago(20 * 60_000), status: 'down' },
  ],
  samples: [
    sample('web-2:4000', ago(21 * 60_000), { cpuPercent: 90 }),
    sample('web-1:4000', ago(15_000)),
    sample('web-1:4000', ago(5_000), { cpuPercent: 25 }),
  ],
};

describe('SystemPage', () => {
  it('lists every instance with its state and last sample in words, and summarises the charts of the chosen one', async () => {
    const { calls } = renderWithApp(<SystemPage />, { 'GET /system/metrics': () => ({ status: 200, body: metrics }) });
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1] as HTMLElement).getByText('web-1:4000')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('Up')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('just now')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('25.0 %')).toBeTruthy();
    expect(within(rows[2] as HTMLElement).getByText('Down')).toBeTruthy();
    expect(within(rows[2] as HTMLElement).getByText(/20 min/)).toBeTruthy();
    expect(screen.getByText('Now 25.0 % of one core')).toBeTruthy();
    expect(screen.getByText('Now 200 MB resident, 80 MB of heap used')).toBeTruthy();
    expect(screen.getByText('Now 40.0 GB free of 100.0 GB')).toBeTruthy();
    expect(screen.getByText('Now 3 live clients, 5 database connections (0 waiting)')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Instance'), { target: { value: 'web-2:4000' } });
    expect(await screen.findByText('Now 90.0 % of one core')).toBeTruthy();

    const before = calls.filter((call) => call.path === '/system/metrics').length;
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: '24' } });
    await waitFor(() => expect(calls.filter((call) => call.path === '/system/metrics').length).toBe(before + 1));
  });

  it('says in plain words that only owners and admins may look', async () => {
    renderWithApp(<SystemPage />, {
      'GET /system/metrics': () => ({
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: 'Your role (member) cannot do this (system:read). Ask a workspace owner or admin.' } },
      }),
    });
    expect((await screen.findAllByText(/Ask a workspace owner or admin/)).length).toBeGreaterThan(0);
  });
});
