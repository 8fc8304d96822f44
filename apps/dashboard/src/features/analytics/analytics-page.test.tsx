import type { AgentAnalytics, Costs, CycleTime, Throughput } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import AnalyticsPage from './analytics-page';

const atlas = makeAgent({ name: 'atlas' });
const range = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-31T00:00:00.000Z' };
const throughput: Throughput = {
  ...range,
  interval: 'day',
  timeZone: 'UTC',
  data: [
    { periodStart: '2026-01-10T00:00:00.000Z', created: 4, started: 3, done: 2, failed: 1 },
    { periodStart: '2026-01-11T00:00:00.000Z', created: 1, started: 1, done: 1, failed: 0 },
  ],
};
const agents: AgentAnalytics = {
  ...range,
  data: [
    {
      agentId: atlas.id,
      tasksDone: 3,
      tasksFailed: 1,
      tasksSentBack: 2,
      successRate: 0.5,
      runs: 4,
      medianRunDurationMs: 2_500,
      tokensIn: 400,
      tokensOut: 40,
      costMicroDollars: 4_500,
      costPerDoneTaskMicroDollars: 1_500,
    },
  ],
};
const models: Costs = {
  ...range,
  timeZone: 'UTC',
  groupBy: 'model',
  total: { runs: 4, tokensIn: 400, tokensOut: 40, costMicroDollars: 4_500 },
  data: [{ provider: 'openai', model: 'gpt-a', runs: 4, tokensIn: 400, tokensOut: 40, costMicroDollars: 4_500 }],
  budgets: [],
};

const cycleTime: CycleTime = {
  ...range,
  interval: 'week',
  timeZone: 'UTC',
  overall: {
    tasks: 2,
    leadTime: { p50Ms: 210 * 60_000, p90Ms: 300 * 60_000 },
    columns: [{ status: 'review', tasks: 2, p50Ms: 45 * 60_000, p90Ms: 60 * 60_000 * 60 }],
  },
  periods: [],
};

describe('AnalyticsPage', () => {
  it('shows throughput totals, success per agent by name and tokens per model, and asks again for another range', async () => {
    const { calls } = renderWithApp(<AnalyticsPage />, {
      'GET /agents': () => ({ status: 200, body: { data: [atlas], nextCursor: null } }),
      'GET /analytics/throughput': () => ({ status: 200, body: throughput }),
      'GET /analytics/agents': () => ({ status: 200, body: agents }),
      'GET /analytics/costs': () => ({ status: 200, body: models }),
      'GET /analytics/cycle-time': () => ({ status: 200, body: cycleTime }),
    });
    expect(await screen.findByText('5 created · 3 done · 1 failed')).toBeTruthy();
    expect(await screen.findByText('2 done · lead time: half within 3.5 h, 9 in 10 within 5.0 h')).toBeTruthy();
    expect(screen.getByText('median 45 min · p90 2.5 days')).toBeTruthy();
    expect(await screen.findByText('50%')).toBeTruthy();
    // Done, failed and sent back, in their columns of atlas's row.
    const header = screen.getByRole('columnheader', { name: 'Sent back' });
    const table = header.closest('table') as HTMLTableElement;
    const headers = [...table.querySelectorAll('th')].map((cell) => cell.textContent);
    const cells = [...(table.querySelector('tbody tr') as HTMLTableRowElement).querySelectorAll('td')].map((cell) => cell.textContent);
    expect(cells[headers.indexOf('Done')]).toBe('3');
    expect(cells[headers.indexOf('Failed')]).toBe('1');
    expect(cells[headers.indexOf('Sent back')]).toBe('2');
    expect(screen.getAllByText('atlas').length).toBeGreaterThan(0);
    expect(screen.getByText('2.5 s')).toBeTruthy();
    expect(screen.getByText('gpt-a')).toBeTruthy();
    const before = calls.filter((call) => call.path === '/analytics/throughput').length;
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: '90' } });
    await waitFor(() => expect(calls.filter((call) => call.path === '/analytics/throughput').length).toBe(before + 1));
    expect(await screen.findByText('Tasks created, done and failed per week')).toBeTruthy();
  });

  it('says what failed in plain words when the server cannot answer', async () => {
    renderWithApp(<AnalyticsPage />, {
      'GET /agents': () => ({ status: 200, body: { data: [atlas], nextCursor: null } }),
      'GET /analytics/throughput': () => ({ status: 500, body: { error: { code: 'INTERNAL', message: 'The server failed; try again.' } } }),
      'GET /analytics/agents': () => ({ status: 200, body: { ...range, data: [] } }),
      'GET /analytics/costs': () => ({ status: 200, body: { ...models, data: [] } }),
      'GET /analytics/cycle-time': () => ({
        status: 200,
        body: { ...cycleTime, overall: { tasks: 0, leadTime: null, columns: [] }, periods: [] },
      }),
    });
    expect(await screen.findByText('No task was done in this range')).toBeTruthy();
    expect(await screen.findByText('No agent finished a task or ran in this range')).toBeTruthy();
    expect(await screen.findByText('No model calls in this range')).toBeTruthy();
    expect((await screen.findAllByText(/The server failed; try again\./)).length).toBeGreaterThan(0);
  });
});
