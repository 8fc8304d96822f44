import type { Budget, Costs } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import CostsPage from './costs-page';

const atlas = makeAgent({ name: 'atlas' });
const budget: Budget = {
  id: testId(),
  workspaceId,
  agentId: null,
  monthlyTokenLimit: null,
  monthlyCostLimitMicroDollars: 10_000_000,
  usedTokens: 1_200,
  usedCostMicroDollars: 8_500_000,
  percentUsed: 85,
  status: 'warning',
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
};
const costsOf = (groupBy: Costs['groupBy']): Costs => ({
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-01-31T00:00:00.000Z',
  timeZone: 'UTC',
  groupBy,
  total: { runs: 3, tokensIn: 1_000, tokensOut: 200, costMicroDollars: 8_500_000 },
  data: [
    groupBy === 'day'
      ? {
          periodStart: '2026-01-10T00:00:00.000Z',
          agentId: atlas.id,
          runs: 3,
          tokensIn: 1_000,
          tokensOut: 200,
          costMicroDollars: 8_500_000,
        }
      : { agentId: atlas.id, runs: 3, tokensIn: 1_000, tokensOut: 200, costMicroDollars: 8_500_000 },
  ],
  budgets: [budget],
});

describe('CostsPage', () => {
  it('shows spend per agent by name and the budget used, and adds a budget for an agent in dollars', async () => {
    const { calls } = renderWithApp(<CostsPage />, {
      'GET /agents': () => ({ status: 200, body: { data: [atlas], nextCursor: null } }),
      'GET /analytics/costs': () => ({ status: 200, body: costsOf('agent') }),
      'GET /budgets': () => ({ status: 200, body: { data: [budget] } }),
      'POST /budgets': ({ body }) => ({ status: 201, body: { ...budget, id: testId(), ...(body as object) } }),
    });
    expect(await screen.findByText('Over 80% · 85%')).toBeTruthy();
    expect(screen.getByText(/This month \$8\.50 of \$10\.00/)).toBeTruthy();
    expect((await screen.findAllByText('atlas')).length).toBeGreaterThan(0);
    expect(screen.getByText('1,200')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Budget for'), { target: { value: atlas.id } });
    fireEvent.change(screen.getByLabelText('Monthly limit in dollars'), { target: { value: '12.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add budget' }));
    await waitFor(() =>
      expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ agentId: atlas.id, monthlyCostLimitMicroDollars: 12_500_000 }),
    );
  });

  it('changes a budget limit and refuses a limit that is not a number of dollars', async () => {
    const { calls } = renderWithApp(<CostsPage />, {
      'GET /agents': () => ({ status: 200, body: { data: [atlas], nextCursor: null } }),
      'GET /analytics/costs': () => ({ status: 200, body: costsOf('agent') }),
      'GET /budgets': () => ({ status: 200, body: { data: [budget] } }),
      [`PATCH /budgets/${budget.id}`]: ({ body }) => ({ status: 200, body: { ...budget, ...(body as object) } }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Change limit' }));
    const inputs = screen.getAllByLabelText('Monthly limit in dollars');
    const editor = inputs[0];
    if (!editor) throw new Error('no limit field');
    fireEvent.change(editor, { target: { value: 'lots' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(calls.some((call) => call.method === 'PATCH')).toBe(false);
    fireEvent.change(editor, { target: { value: '$40' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ monthlyCostLimitMicroDollars: 40_000_000 }));
  });

  it('shows a cheaper model per agent and the tasks that cost far more than usual, in words', async () => {
    renderWithApp(<CostsPage />, {
      'GET /agents': () => ({ status: 200, body: { data: [atlas], nextCursor: null } }),
      'GET /analytics/costs': () => ({ status: 200, body: costsOf('agent') }),
      'GET /budgets': () => ({ status: 200, body: { data: [] } }),
      'GET /analytics/recommendations': () => ({
        status: 200,
        body: {
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-01-31T00:00:00.000Z',
          models: [
            {
              agentId: atlas.id,
              agentName: 'atlas',
              capabilities: ['writing'],
              currentModel: 'openai/gpt-big',
              currentCostPerRunMicroDollars: 7_250_000,
              currentSuccessRate: 0.75,
              recommendedModel: 'openai/gpt-small',
              recommendedCostPerRunMicroDollars: 1_000_000,
              recommendedSuccessRate: 1,
              runsCompared: 2,
            },
          ],
          costlyTasks: [
            {
              taskId: testId(),
              taskKey: 'TASK-4',
              title: 'Launch essay',
              capability: 'writing',
              costMicroDollars: 20_000_000,
              medianCostMicroDollars: 4_000_000,
              multiple: 5,
            },
          ],
        },
      }),
    });
    expect(await screen.findByText(/could use openai\/gpt-small instead of openai\/gpt-big/)).toBeTruthy();
    expect(screen.getByText(/\$1\.00 a run instead of \$7\.25, with 100% of runs succeeding against 75%/)).toBeTruthy();
    expect(screen.getByText('TASK-4 Launch essay')).toBeTruthy();
    expect(screen.getByText(/5× the usual writing task \(\$4\.00\)/)).toBeTruthy();
  });
});
