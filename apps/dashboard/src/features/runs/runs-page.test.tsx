import type { AgentRun, Runner } from '@mission-control/contracts';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent, makeTask, testId, workspaceId } from '../../test/fixtures';
import { createFakeFetch, createTestQueryClient, createTestServices, Providers } from '../../test/render-with-app';
import RunsPage from './runs-page';

const at = new Date(Date.now() - 5 * 60_000).toISOString();
const coder = makeAgent({ name: 'coder' });
const reviewer = makeAgent({ name: 'reviewer' });
const task = makeTask({ title: 'Fix the login bug' });

const runner: Runner = {
  id: testId(),
  workspaceId,
  name: 'build box',
  host: 'build-1',
  version: '0.1.0',
  adapters: [{ name: 'codex', version: '0.50.0' }],
  concurrency: 2,
  heartbeatIntervalSeconds: 15,
  agents: [{ agentId: coder.id, adapter: 'codex', registeredAt: at }],
  status: 'offline',
  activeRuns: [],
  lastHeartbeatAt: at,
  registeredAt: at,
  updatedAt: at,
};

const run: AgentRun = {
  id: testId(),
  workspaceId,
  agentId: coder.id,
  taskId: task.id,
  trigger: 'runner',
  status: 'failed',
  provider: 'codex',
  model: 'gpt-5',
  tokensIn: 2_000,
  tokensOut: 500,
  costMicroDollars: 31_000,
  modelCalls: 4,
  durationMs: 61_000,
  output: '',
  error: 'codex exited with code 2',
  startedAt: at,
  finishedAt: at,
  adapter: 'codex',
  runnerId: runner.id,
  sessionId: null,
  branch: 'mission/task-1',
  commit: null,
  cancelRequestedAt: null,
  testResult: null,
};

describe('RunsPage', () => {
  it('lists runners with their state and recent runs by name, and filters runs by outcome and agent', async () => {
    const queries: string[] = [];
    const fake = createFakeFetch({
      'GET /agents': () => ({ status: 200, body: { data: [coder, reviewer], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [] } }),
      'GET /runners': () => ({ status: 200, body: { data: [runner], nextCursor: null } }),
      'GET /runs': () => ({ status: 200, body: { data: [run], nextCursor: null } }),
      [`GET /tasks/${task.id}`]: () => ({ status: 200, body: task }),
    });
    const fetch: typeof globalThis.fetch = (input, init) => {
      const url = new URL(String(input), 'http://dashboard.test');
      if (url.pathname.endsWith('/runs')) queries.push(url.search);
      return fake.fetch(input, init);
    };
    render(
      <Providers services={createTestServices(fetch)} queryClient={createTestQueryClient()}>
        <RunsPage />
      </Providers>,
    );
    const runnerRow = await screen.findByRole('listitem', { name: 'Runner build box' });
    expect(within(runnerRow).getByText('offline')).toBeTruthy();
    expect(within(runnerRow).getByText(/last heartbeat 5 min\. ago/)).toBeTruthy();
    expect(within(runnerRow).getByText('Adapters: codex 0.50.0')).toBeTruthy();
    expect(within(runnerRow).getByText('Works for: coder with codex')).toBeTruthy();
    expect(within(runnerRow).getByText('Running 0 runs now · up to 2 at once')).toBeTruthy();

    const link = await screen.findByRole('link', { name: task.key });
    expect(link.getAttribute('href')).toContain(`task=${task.key}`);
    expect(screen.getByText('Fix the login bug')).toBeTruthy();
    expect(screen.getByText('Why: codex exited with code 2')).toBeTruthy();
    expect(screen.getByText(/codex on build box · .* · 1 min 1 s · 2,500 tokens · \$0\.0310/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'failed' } });
    fireEvent.change(screen.getByLabelText('Agent'), { target: { value: coder.id } });
    await waitFor(() =>
      expect(queries.some((query) => query.includes('status=failed') && query.includes(`agentId=${coder.id}`))).toBe(true),
    );
  });
});
