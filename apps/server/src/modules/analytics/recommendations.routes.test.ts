import { afterEach, beforeEach, expect, it } from 'vitest';
import { createId } from '../../core/ids.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('analytics: cost recommendations', (engine) => {
  let server: TestServer;
  let token: string;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-02-20T10:00:00.000Z')) });
    token = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'recommendations test' } })).json()
      .secret;
  });
  afterEach(async () => {
    await server.close();
  });

  const createTask = async (title: string, capability: string) => {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token,
      payload: { title, requiredCapabilities: [capability] },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json() as { id: string; key: string };
  };
  const insertRun = (agentId: string, taskId: string, model: string, status: 'completed' | 'failed', cost: number) =>
    server.database.db
      .insertInto('agent_runs')
      .values({
        id: createId(),
        workspace_id: server.workspaceId,
        agent_id: agentId,
        task_id: taskId,
        trigger: 'schedule',
        status,
        provider: 'openai',
        model,
        prompt: '[]',
        output: '',
        tokens_in: 10,
        tokens_out: 1,
        cost_micro_dollars: cost,
        model_calls: 1,
        duration_ms: 1000,
        error: null,
        started_at: '2026-02-19T09:00:00.000Z',
        finished_at: '2026-02-19T09:01:00.000Z',
        test_result: 'null',
      })
      .execute();

  it('recommends the cheapest model as good on the agent’s capabilities and lists tasks far above their capability’s median', async () => {
    const { agent: writer } = await server.createAgentWithKey({ name: 'Writer', capabilities: ['writing'] });
    const { agent: coder } = await server.createAgentWithKey({ name: 'Coder', capabilities: ['code'] });
    const [first, second, third, fourth] = [
      await createTask('Blog post', 'writing'),
      await createTask('Release notes', 'writing'),
      await createTask('Newsletter', 'writing'),
      await createTask('Launch essay', 'writing'),
    ];
    const fix = await createTask('Fix the build', 'code');
    if (!first || !second || !third || !fourth) throw new Error('tasks not created');
    // Writer on gpt-big: 3 of 4 completed, (3000 + 3000 + 3000 + 20000) / 4 = 7250 a run.
    await insertRun(writer.id, first.id, 'gpt-big', 'completed', 3000);
    await insertRun(writer.id, second.id, 'gpt-big', 'completed', 3000);
    await insertRun(writer.id, third.id, 'gpt-big', 'failed', 3000);
    await insertRun(writer.id, fourth.id, 'gpt-big', 'completed', 20_000);
    // Coder on gpt-small: 2 of 2 writing runs completed at 1000, its own code run failed.
    await insertRun(coder.id, second.id, 'gpt-small', 'completed', 1000);
    await insertRun(coder.id, third.id, 'gpt-small', 'completed', 1000);
    await insertRun(coder.id, fix.id, 'gpt-small', 'failed', 1000);
    // Outside the default 30 days: ignored.
    await server.database.db
      .insertInto('agent_runs')
      .values({
        id: createId(),
        workspace_id: server.workspaceId,
        agent_id: writer.id,
        task_id: first.id,
        trigger: 'schedule',
        status: 'completed',
        provider: 'openai',
        model: 'gpt-tiny',
        prompt: '[]',
        output: '',
        tokens_in: 1,
        tokens_out: 1,
        cost_micro_dollars: 1,
        model_calls: 1,
        duration_ms: 1,
        error: null,
        started_at: '2025-12-01T09:00:00.000Z',
        finished_at: '2025-12-01T09:00:00.000Z',
        test_result: 'null',
      })
      .execute();

    const answer = await server.request({ method: 'GET', url: '/api/v1/analytics/recommendations', token });
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body.from).toBe('2026-01-21T10:00:00.000Z');
    expect(body.models).toEqual([
      {
        agentId: writer.id,
        agentName: 'Writer',
        capabilities: ['writing'],
        currentModel: 'openai/gpt-big',
        currentCostPerRunMicroDollars: 7250,
        currentSuccessRate: 0.75,
        recommendedModel: 'openai/gpt-small',
        recommendedCostPerRunMicroDollars: 1000,
        recommendedSuccessRate: 1,
        runsCompared: 2,
      },
    ]);
    // Writing tasks cost 3000, 4000, 4000 and 20000: median 4000; the launch essay is 5× that.
    expect(body.costlyTasks).toEqual([
      {
        taskId: fourth.id,
        taskKey: fourth.key,
        title: 'Launch essay',
        capability: 'writing',
        costMicroDollars: 20_000,
        medianCostMicroDollars: 4000,
        multiple: 5,
      },
    ]);

    const looser = await server.request({ method: 'GET', url: '/api/v1/analytics/recommendations?costlyTaskMultiple=6', token });
    expect(looser.json().costlyTasks).toEqual([]);
    const backwards = await server.request({
      method: 'GET',
      url: '/api/v1/analytics/recommendations?from=2026-02-10T00:00:00Z&to=2026-02-01T00:00:00Z',
      token,
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('VALIDATION_FAILED');
    const otherToken = await server.createOtherWorkspaceToken();
    const elsewhere = await server.request({ method: 'GET', url: '/api/v1/analytics/recommendations', token: otherToken });
    expect(elsewhere.json()).toMatchObject({ models: [], costlyTasks: [] });
  });
});
