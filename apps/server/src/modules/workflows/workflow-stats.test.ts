import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('workflow stats', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers the cost of each version: the runner runs on the tasks of its runs, in total and per run', async () => {
    const { agent, apiKey } = await server.createAgentWithKey({ name: 'coder' });
    const runner = await server.request({
      method: 'POST',
      url: '/api/v1/runners',
      token: apiKey,
      payload: {
        runnerKey: `runner_${agent.id.replace(/-/g, '')}`,
        name: 'ci box',
        host: 'ci',
        version: '0.1.0',
        adapters: [{ name: 'claude-code', version: '2.0.1' }],
        adapter: 'claude-code',
      },
    });
    expect(runner.statusCode, runner.body).toBe(201);
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/workflows',
      payload: { name: 'costly', steps: [{ id: 'work', kind: 'task', task: { title: 'Do the work' } }] },
    });
    const workflowId = created.json().id as string;
    const updated = await server.request({
      method: 'PUT',
      url: `/api/v1/workflows/${workflowId}`,
      payload: { name: 'costly', steps: [{ id: 'work', kind: 'task', task: { title: 'Do the work again' } }] },
    });
    expect(updated.statusCode, updated.body).toBe(200);

    /** Runs a version; the agent claims its task and a runner run on it costs `cost`. */
    const runCosting = async (version: number, cost: number) => {
      const run = await server.request({ method: 'POST', url: `/api/v1/workflows/${workflowId}/runs`, payload: { version } });
      expect(run.statusCode, run.body).toBe(201);
      const claimed = await server.request({ method: 'POST', url: '/api/v1/tasks/next', token: apiKey });
      const { task, lease } = claimed.json() as { task: { key: string }; lease: { token: string } };
      const started = await server.request({
        method: 'POST',
        url: '/api/v1/runs',
        token: apiKey,
        payload: { taskId: task.key, leaseToken: lease.token, adapter: 'claude-code', runnerId: runner.json().id, prompt: 'Do it' },
      });
      expect(started.statusCode, started.body).toBe(201);
      const finished = await server.request({
        method: 'POST',
        url: `/api/v1/runs/${started.json().id}/finish`,
        token: apiKey,
        payload: { outcome: 'completed', costMicroDollars: cost },
      });
      expect(finished.statusCode, finished.body).toBe(200);
      const done = await server.request({
        method: 'POST',
        url: `/api/v1/tasks/${task.key}/status`,
        token: apiKey,
        payload: { status: 'done', leaseToken: lease.token },
      });
      expect(done.statusCode, done.body).toBe(200);
      await server.services.workflowEngine.tick();
    };
    await runCosting(1, 1_000);
    await runCosting(1, 3_000);
    await runCosting(2, 500);

    const stats = await server.request({ method: 'GET', url: `/api/v1/workflows/${workflowId}/stats` });
    expect(stats.statusCode, stats.body).toBe(200);
    expect(stats.json().versions).toEqual([
      expect.objectContaining({ version: 1, runs: 2, completed: 2, costMicroDollars: 4_000, medianCostMicroDollars: 2_000 }),
      expect.objectContaining({ version: 2, runs: 1, completed: 1, costMicroDollars: 500, medianCostMicroDollars: 500 }),
    ]);
  });
});
