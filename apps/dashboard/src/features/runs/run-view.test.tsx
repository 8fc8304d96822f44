import type { AgentRun, AgentRunDetail, Runner } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { makeActivity, makeAgent, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { formatCost } from '../agents/agent-runtime-api';
import { applyActivity } from '../realtime/apply-activity';
import { formatDuration } from './run-format';
import { TaskRuns } from './task-runs';

const at = '2026-01-01T09:00:00.000Z';
const agent = makeAgent({ name: 'coder' });
const taskId = testId();
const runnerId = testId();

const runner: Runner = {
  id: runnerId,
  workspaceId,
  name: 'build box',
  host: 'build-1',
  version: '0.1.0',
  adapters: [{ name: 'claude-code', version: '2.0.1' }],
  concurrency: 1,
  heartbeatIntervalSeconds: 15,
  agents: [{ agentId: agent.id, adapter: 'claude-code', registeredAt: at }],
  status: 'online',
  activeRuns: [],
  lastHeartbeatAt: at,
  registeredAt: at,
  updatedAt: at,
};

function makeRun(overrides: Partial<AgentRun> = {}): AgentRun {
  return {
    id: testId(),
    workspaceId,
    agentId: agent.id,
    taskId,
    trigger: 'runner',
    status: 'running',
    provider: 'claude-code',
    model: '',
    tokensIn: 0,
    tokensOut: 0,
    costMicroDollars: 0,
    modelCalls: 0,
    durationMs: null,
    output: '',
    error: null,
    startedAt: at,
    finishedAt: null,
    adapter: 'claude-code',
    runnerId,
    sessionId: null,
    branch: 'mission/task-7',
    commit: null,
    cancelRequestedAt: null,
    testResult: null,
    ...overrides,
  };
}

function detailOf(run: AgentRun, steps: AgentRunDetail['steps']): AgentRunDetail {
  return { ...run, prompt: { system: '', prompt: 'Fix the login bug' }, steps };
}

const common = {
  'GET /agents': () => ({ status: 200, body: { data: [agent], nextCursor: null } }),
  'GET /members': () => ({ status: 200, body: { data: [] } }),
  'GET /runners': () => ({ status: 200, body: { data: [runner], nextCursor: null } }),
};

describe('TaskRuns', () => {
  it('shows the live run, appends a step the moment its event arrives, then fills in its text', async () => {
    const run = makeRun();
    let steps: AgentRunDetail['steps'] = [{ index: 0, kind: 'model', text: 'Reading src/login.ts', at }];
    const { queryClient, calls } = renderWithApp(<TaskRuns taskId={taskId} />, {
      ...common,
      'GET /runs': () => ({ status: 200, body: { data: [run], nextCursor: null } }),
      [`GET /runs/${run.id}`]: () => ({ status: 200, body: detailOf(run, steps) }),
    });
    await screen.findByText('Reading src/login.ts');
    expect(screen.getByText('Running')).toBeTruthy();
    expect(screen.getByText(/coder · claude-code on build box/)).toBeTruthy();
    expect(screen.getByText('mission/task-7')).toBeTruthy();

    steps = [
      ...steps,
      {
        index: 1,
        kind: 'tool-call',
        toolName: 'Edit',
        arguments: { file_path: 'src/login.ts' },
        result: 'no such file',
        isError: true,
        at,
      },
    ];
    const invalidated: unknown[] = [];
    const requestsBefore = calls.length;
    act(() => {
      applyActivity(
        queryClient,
        makeActivity(10, {
          type: 'run-step',
          taskId,
          agentId: agent.id,
          data: { runId: run.id, index: 1, kind: 'tool-call', toolName: 'Edit', isError: true },
        }),
        { invalidate: (key) => invalidated.push(key), refreshTask: () => {} },
      );
    });
    // Written from the event itself, before any request: the tool's name and that it failed.
    await screen.findByText('Tool Edit');
    expect(screen.getByText('error')).toBeTruthy();
    expect(calls.length).toBe(requestsBefore);
    expect(invalidated).toContainEqual(['runs', 'one', run.id]);
    await act(() => queryClient.invalidateQueries({ queryKey: ['runs', 'one', run.id] }));
    await screen.findByText('no such file');
  });

  it('asks before stopping, calls cancel, and says in words what happens next', async () => {
    const run = makeRun();
    const { calls } = renderWithApp(
      <>
        <TaskRuns taskId={taskId} />
        <Toaster />
      </>,
      {
        ...common,
        'GET /runs': () => ({ status: 200, body: { data: [run], nextCursor: null } }),
        [`GET /runs/${run.id}`]: () => ({ status: 200, body: detailOf(run, []) }),
        [`POST /runs/${run.id}/cancel`]: () => ({ status: 202, body: { ...run, cancelRequestedAt: at } }),
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Stop' }));
    expect(calls.some((call) => call.path.endsWith('/cancel'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Keep it running' }));
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    fireEvent.click(screen.getByRole('button', { name: 'Stop the run' }));
    await waitFor(() => expect(calls.filter((call) => call.method === 'POST' && call.path === `/runs/${run.id}/cancel`)).toHaveLength(1));
    expect(
      (await screen.findAllByText('Stop requested: the runner stops claude-code within a few seconds and records the run as cancelled.'))
        .length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('Stop requested', { selector: 'span' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  it('shows a finished run with its cost, test gate and commit, and older runs collapsed', async () => {
    const finished = makeRun({
      status: 'completed',
      tokensIn: 1_200,
      tokensOut: 300,
      costMicroDollars: 42_000,
      modelCalls: 3,
      durationMs: 185_000,
      commit: 'abc123def4567890',
      finishedAt: at,
      testResult: { command: 'npm test', exitCode: 1, passed: false, outputTail: '1 failed: login.test.ts' },
    });
    const older = makeRun({ status: 'failed', error: 'claude exited with code 1', costMicroDollars: 1_500_000, durationMs: 4_000 });
    renderWithApp(<TaskRuns taskId={taskId} />, {
      ...common,
      'GET /runs': () => ({ status: 200, body: { data: [finished, older], nextCursor: null } }),
      [`GET /runs/${finished.id}`]: () => ({ status: 200, body: detailOf(finished, []) }),
      [`GET /runs/${older.id}`]: () => ({ status: 200, body: detailOf(older, []) }),
    });
    await screen.findByText('$0.0420');
    expect(screen.getByText('1,500 tokens')).toBeTruthy();
    expect(screen.getByText('3 min 5 s')).toBeTruthy();
    expect(screen.getByText('abc123d')).toBeTruthy();
    expect(screen.getByText('Tests failed: npm test (exit code 1)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    const collapsed = screen.getByRole('button', { expanded: false });
    expect(collapsed.textContent).toContain('$1.50');
    expect(screen.queryByText('claude exited with code 1')).toBeNull();
    fireEvent.click(collapsed);
    await screen.findByText('claude exited with code 1');
  });
});

describe('run figures', () => {
  it('formats cost to the cent from a dollar, finer below, and durations in words', () => {
    expect(formatCost(0)).toBe('$0.0000');
    expect(formatCost(2_500)).toBe('$0.0025');
    expect(formatCost(1_234_567)).toBe('$1.23');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
    expect(formatDuration(null)).toBe('—');
  });
});
