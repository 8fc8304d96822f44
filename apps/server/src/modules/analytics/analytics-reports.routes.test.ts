import { afterEach, beforeEach, expect, it } from 'vitest';
import { createId } from '../../core/ids.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('analytics: costs and agents', (engine) => {
  let server: TestServer;
  let token: string;
  let first: { id: string; key: string };
  let second: { id: string; key: string };

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-01-15T07:30:00.000Z')) });
    token = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'reports test' } })).json().secret;
    const one = await server.createAgentWithKey({ name: 'Writer' });
    const two = await server.createAgentWithKey({ name: 'Reviewer' });
    first = { id: one.agent.id, key: one.apiKey };
    second = { id: two.agent.id, key: two.apiKey };
  });
  afterEach(async () => {
    await server.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => server.request({ method: 'GET', url, token, headers });
  const createTask = async (agentId: string) => {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token,
      payload: { title: 'report fixture', assignees: [{ kind: 'agent', id: agentId }] },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json().id as string;
  };
  const move = async (taskId: string, status: string, as: string) => {
    const answer = await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, token: as, payload: { status } });
    expect(answer.statusCode, answer.body).toBe(200);
  };
  const insertRun = (run: {
    agentId: string;
    taskId: string | null;
    provider: string;
    model: string;
    startedAt: string;
    cost: number;
    tokensIn: number;
    durationMs: number;
  }) =>
    server.database.db
      .insertInto('agent_runs')
      .values({
        id: createId(),
        workspace_id: server.workspaceId,
        agent_id: run.agentId,
        task_id: run.taskId,
        trigger: 'schedule',
        status: 'completed',
        provider: run.provider,
        model: run.model,
        prompt: '[]',
        output: '',
        tokens_in: run.tokensIn,
        tokens_out: run.tokensIn / 10,
        cost_micro_dollars: run.cost,
        model_calls: 1,
        duration_ms: run.durationMs,
        error: null,
        started_at: run.startedAt,
        finished_at: run.startedAt,
        test_result: 'null',
      })
      .execute();

  const seed = async () => {
    const written = await createTask(first.id);
    const failed = await createTask(first.id);
    const alsoWritten = await createTask(first.id);
    const reviewed = await createTask(second.id);
    for (const [task, end] of [
      [written, 'done'],
      [failed, 'failed'],
      [alsoWritten, 'done'],
    ] as const) {
      await move(task, 'in_progress', first.key);
      await move(task, end, first.key);
    }
    await move(reviewed, 'in_progress', second.key);
    await move(reviewed, 'done', second.key);
    // The second agent puts a task in review and a person sends it back to work: it counts against the agent.
    const sentBack = await createTask(second.id);
    await move(sentBack, 'in_progress', second.key);
    await move(sentBack, 'review', second.key);
    await move(sentBack, 'in_progress', token);
    const openai = { provider: 'openai', model: 'gpt-a' };
    const anthropic = { provider: 'anthropic', model: 'claude-b' };
    // 23:30Z on Jan 14 is already 00:30 on Jan 15 in Paris.
    await insertRun({
      agentId: first.id,
      taskId: written,
      ...openai,
      startedAt: '2026-01-14T23:30:00.000Z',
      cost: 1000,
      tokensIn: 100,
      durationMs: 1000,
    });
    await insertRun({
      agentId: first.id,
      taskId: written,
      ...openai,
      startedAt: '2026-01-15T01:00:00.000Z',
      cost: 3000,
      tokensIn: 300,
      durationMs: 3000,
    });
    await insertRun({
      agentId: first.id,
      taskId: null,
      ...anthropic,
      startedAt: '2026-01-15T02:00:00.000Z',
      cost: 500,
      tokensIn: 50,
      durationMs: 2000,
    });
    await insertRun({
      agentId: first.id,
      taskId: null,
      ...openai,
      startedAt: '2026-01-15T03:00:00.000Z',
      cost: 0,
      tokensIn: 0,
      durationMs: 6000,
    });
    await insertRun({
      agentId: second.id,
      taskId: reviewed,
      ...anthropic,
      startedAt: '2026-01-14T12:00:00.000Z',
      cost: 700,
      tokensIn: 70,
      durationMs: 4000,
    });
    // Before the default 30 days: left out everywhere.
    await insertRun({
      agentId: first.id,
      taskId: null,
      ...openai,
      startedAt: '2025-11-01T00:00:00.000Z',
      cost: 99_999,
      tokensIn: 9_990,
      durationMs: 100_000,
    });
    return { written, reviewed };
  };

  it('sums costs per agent, model, task and local day against hand-computed numbers, with the budgets beside them', async () => {
    const { written, reviewed } = await seed();
    const budget = await server.request({
      method: 'POST',
      url: '/api/v1/budgets',
      token,
      payload: { monthlyCostLimitMicroDollars: 10_000 },
    });
    expect(budget.statusCode, budget.body).toBe(201);

    const byAgent = await get('/api/v1/analytics/costs');
    expect(byAgent.statusCode, byAgent.body).toBe(200);
    expect(byAgent.json().from).toBe('2025-12-16T07:30:00.001Z');
    expect(byAgent.json().total).toEqual({ runs: 5, tokensIn: 520, tokensOut: 52, costMicroDollars: 5200 });
    expect(byAgent.json().data).toEqual([
      { agentId: first.id, runs: 4, tokensIn: 450, tokensOut: 45, costMicroDollars: 4500 },
      { agentId: second.id, runs: 1, tokensIn: 70, tokensOut: 7, costMicroDollars: 700 },
    ]);
    expect(byAgent.json().budgets).toMatchObject([{ agentId: null, monthlyCostLimitMicroDollars: 10_000, usedCostMicroDollars: 5200 }]);

    expect((await get('/api/v1/analytics/costs?groupBy=model')).json().data).toEqual([
      { provider: 'openai', model: 'gpt-a', runs: 3, tokensIn: 400, tokensOut: 40, costMicroDollars: 4000 },
      { provider: 'anthropic', model: 'claude-b', runs: 2, tokensIn: 120, tokensOut: 12, costMicroDollars: 1200 },
    ]);
    expect((await get('/api/v1/analytics/costs?groupBy=task')).json().data).toEqual([
      { taskId: written, runs: 2, tokensIn: 400, tokensOut: 40, costMicroDollars: 4000 },
      { taskId: reviewed, runs: 1, tokensIn: 70, tokensOut: 7, costMicroDollars: 700 },
      { taskId: null, runs: 2, tokensIn: 50, tokensOut: 5, costMicroDollars: 500 },
    ]);
    const utcDays = (await get('/api/v1/analytics/costs?groupBy=day')).json().data;
    expect(utcDays).toHaveLength(3);
    expect(utcDays).toEqual(
      expect.arrayContaining([
        { periodStart: '2026-01-14T00:00:00.000Z', agentId: first.id, runs: 1, tokensIn: 100, tokensOut: 10, costMicroDollars: 1000 },
        { periodStart: '2026-01-14T00:00:00.000Z', agentId: second.id, runs: 1, tokensIn: 70, tokensOut: 7, costMicroDollars: 700 },
        { periodStart: '2026-01-15T00:00:00.000Z', agentId: first.id, runs: 3, tokensIn: 350, tokensOut: 35, costMicroDollars: 3500 },
      ]),
    );
    const parisDays = (await get('/api/v1/analytics/costs?groupBy=day&timeZone=Europe/Paris')).json().data;
    expect(parisDays).toHaveLength(2);
    expect(parisDays).toEqual(
      expect.arrayContaining([
        { periodStart: '2026-01-13T23:00:00.000Z', agentId: second.id, runs: 1, tokensIn: 70, tokensOut: 7, costMicroDollars: 700 },
        { periodStart: '2026-01-14T23:00:00.000Z', agentId: first.id, runs: 4, tokensIn: 450, tokensOut: 45, costMicroDollars: 4500 },
      ]),
    );

    const csv = await get('/api/v1/analytics/costs?groupBy=model', { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toBe(
      'provider,model,runs,tokensIn,tokensOut,costMicroDollars\r\nopenai,gpt-a,3,400,40,4000\r\nanthropic,claude-b,2,120,12,1200\r\n',
    );
  });

  it('reports per agent tasks done, failed and sent back, success rate, median run duration and cost per done task', async () => {
    await seed();
    const answer = await server.request({ method: 'GET', url: '/api/v1/analytics/agents', token: second.key });
    expect(answer.statusCode, answer.body).toBe(200);
    const expected = [
      {
        agentId: first.id,
        tasksDone: 2,
        tasksFailed: 1,
        tasksSentBack: 0,
        successRate: 2 / 3,
        runs: 4,
        medianRunDurationMs: 2500,
        tokensIn: 450,
        tokensOut: 45,
        costMicroDollars: 4500,
        costPerDoneTaskMicroDollars: 2250,
      },
      {
        agentId: second.id,
        tasksDone: 1,
        tasksFailed: 0,
        tasksSentBack: 1,
        successRate: 0.5,
        runs: 1,
        medianRunDurationMs: 4000,
        tokensIn: 70,
        tokensOut: 7,
        costMicroDollars: 700,
        costPerDoneTaskMicroDollars: 700,
      },
    ].sort((left, right) => left.agentId.localeCompare(right.agentId));
    expect(answer.json().data).toEqual(expected);

    // A range that ends before the moves and runs of today holds only the second agent's run of Jan 14.
    const earlier = (await get('/api/v1/analytics/agents?from=2026-01-14T00:00:00Z&to=2026-01-14T23:00:00Z')).json().data;
    expect(earlier).toEqual([
      {
        ...expected.find((row) => row.agentId === second.id),
        tasksDone: 0,
        tasksSentBack: 0,
        successRate: null,
        costPerDoneTaskMicroDollars: null,
      },
    ]);

    const csv = await get('/api/v1/analytics/agents', { accept: 'text/csv' });
    expect(csv.body.split('\r\n')[0]).toBe(
      'agentId,tasksDone,tasksFailed,tasksSentBack,successRate,runs,medianRunDurationMs,tokensIn,tokensOut,costMicroDollars,costPerDoneTaskMicroDollars',
    );
    expect(csv.body).toContain(`${second.id},1,0,1,0.5,1,4000,70,7,700,700\r\n`);
  });

  it('answers 400 VALIDATION_FAILED to a reversed or too long range and an unknown grouping, and keeps workspaces apart', async () => {
    await seed();
    for (const url of [
      '/api/v1/analytics/costs?groupBy=week',
      '/api/v1/analytics/costs?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/api/v1/analytics/agents?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/api/v1/analytics/agents?timeZone=Mars/Olympus',
    ]) {
      const answer = await get(url);
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json().error.code).toBe('VALIDATION_FAILED');
    }
    const other = await server.createOtherWorkspaceToken();
    const elsewhere = await server.request({ method: 'GET', url: '/api/v1/analytics/costs', token: other });
    expect(elsewhere.json().data).toEqual([]);
    expect((await server.request({ method: 'GET', url: '/api/v1/analytics/agents', token: other })).json().data).toEqual([]);
  });
});
