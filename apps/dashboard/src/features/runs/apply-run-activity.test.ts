import type { AgentRun, AgentRunDetail } from '@mission-control/contracts';
import type { QueryKey } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../lib/query-keys';
import { makeActivity, testId, workspaceId } from '../../test/fixtures';
import { createTestQueryClient } from '../../test/render-with-app';
import { applyRunActivity } from './apply-run-activity';

const at = '2026-01-01T09:00:00.000Z';
const later = '2026-01-01T09:05:00.000Z';

function running(): AgentRun {
  return {
    id: testId(),
    workspaceId,
    agentId: testId(),
    taskId: testId(),
    trigger: 'runner',
    status: 'running',
    provider: 'codex',
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
    adapter: 'codex',
    runnerId: testId(),
    sessionId: null,
    branch: null,
    commit: null,
    cancelRequestedAt: null,
    testResult: null,
  };
}

function setup(run: AgentRun) {
  const queryClient = createTestQueryClient();
  const filters = { taskId: run.taskId ?? undefined };
  queryClient.setQueryData(queryKeys.runList(filters), { data: [run], nextCursor: null });
  const detail: AgentRunDetail = { ...run, prompt: { system: '', prompt: '' }, steps: [{ index: 0, kind: 'output', text: 'hi', at }] };
  queryClient.setQueryData(queryKeys.run(run.id), detail);
  const invalidated: QueryKey[] = [];
  return {
    queryClient,
    invalidated,
    actions: { invalidate: (key: QueryKey) => invalidated.push(key) },
    list: () => queryClient.getQueryData<{ data: AgentRun[] }>(queryKeys.runList(filters))?.data[0],
    detail: () => queryClient.getQueryData<AgentRunDetail>(queryKeys.run(run.id)),
  };
}

describe('applyRunActivity', () => {
  it('writes an ending into the list and the transcript at once: outcome, usage, branch and commit', () => {
    const run = running();
    const { queryClient, actions, invalidated, list, detail } = setup(run);
    applyRunActivity(
      queryClient,
      makeActivity(5, {
        type: 'run-finished',
        taskId: run.taskId,
        createdAt: later,
        data: {
          runId: run.id,
          outcome: 'completed',
          tokensIn: 1_000,
          tokensOut: 200,
          costMicroDollars: 30_000,
          modelCalls: 3,
          durationMs: 300_000,
          branch: 'mission/task-9',
          commit: 'abc1234',
        },
      }),
      actions,
    );
    for (const each of [list(), detail()]) {
      expect(each).toMatchObject({
        status: 'completed',
        costMicroDollars: 30_000,
        tokensIn: 1_000,
        durationMs: 300_000,
        finishedAt: later,
        branch: 'mission/task-9',
        commit: 'abc1234',
      });
    }
    expect(detail()?.steps).toHaveLength(1);
    expect(invalidated).toContainEqual(queryKeys.runners);
  });

  it('marks a stop as requested, and ignores a step already in the transcript', () => {
    const run = running();
    const { queryClient, actions, list, detail } = setup(run);
    applyRunActivity(
      queryClient,
      makeActivity(6, {
        type: 'run-cancel-requested',
        createdAt: later,
        data: { runId: run.id, runnerId: run.runnerId, requestedBy: { kind: 'user', id: testId() } },
      }),
      actions,
    );
    expect(list()?.cancelRequestedAt).toBe(later);
    expect(detail()?.cancelRequestedAt).toBe(later);
    applyRunActivity(queryClient, makeActivity(7, { type: 'run-step', data: { runId: run.id, index: 0, kind: 'output' } }), actions);
    expect(detail()?.steps).toEqual([{ index: 0, kind: 'output', text: 'hi', at }]);
  });
});
