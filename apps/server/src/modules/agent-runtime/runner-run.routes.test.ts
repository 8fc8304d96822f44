import type { AgentRun, AgentRunDetail, Runner, Usage } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { connectStream } from '../../test/stream-client.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('runs from runners', (engine) => {
  let server: TestServer;
  let baseUrl: string;

  beforeAll(async () => {
    server = await createTestServer(engine);
    baseUrl = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  /** An agent with a registered runner and a claimed task. */
  async function claimedTask(title = 'Fix the login bug') {
    const { agent, apiKey } = await server.createAgentWithKey();
    const runner = (
      await server.request({
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
      })
    ).json() as Runner;
    const task = (
      await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title, assignees: [{ kind: 'agent', id: agent.id }] } })
    ).json() as {
      id: string;
      key: string;
    };
    const claim = (await server.request({ method: 'POST', url: `/api/v1/tasks/${task.id}/claim`, token: apiKey, payload: {} })).json() as {
      lease: { token: string };
    };
    return { agent, apiKey, runner, task, leaseToken: claim.lease.token };
  }

  function startRun(setup: Awaited<ReturnType<typeof claimedTask>>, overrides: Record<string, unknown> = {}) {
    return server.request({
      method: 'POST',
      url: '/api/v1/runs',
      token: setup.apiKey,
      payload: {
        taskId: setup.task.key,
        leaseToken: setup.leaseToken,
        adapter: 'claude-code',
        runnerId: setup.runner.id,
        prompt: 'Fix the login bug in src/login.ts',
        ...overrides,
      },
    });
  }

  it('starts a run for the lease holder, records batched steps and a finish whose cost counts in usage', async () => {
    const setup = await claimedTask();
    const started = await startRun(setup);
    expect(started.statusCode).toBe(201);
    const run = started.json() as AgentRun;
    expect(run).toMatchObject({
      trigger: 'runner',
      status: 'running',
      adapter: 'claude-code',
      runnerId: setup.runner.id,
      taskId: setup.task.id,
    });

    const steps = await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/steps`,
      token: setup.apiKey,
      payload: {
        steps: [
          { kind: 'model', text: 'Reading the code', tokensIn: 10, tokensOut: 5 },
          { kind: 'tool-call', toolName: 'Edit', arguments: { file_path: 'src/login.ts' }, toolCallId: 'toolu_1' },
          { kind: 'tool-result', toolCallId: 'toolu_1', result: 'ok' },
        ],
      },
    });
    expect(steps.json()).toEqual({ recorded: 3, nextIndex: 3, cancelRequested: false });
    const more = await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/steps`,
      token: setup.apiKey,
      payload: { steps: [{ kind: 'parse-error', text: '{"type": broken', isError: true }] },
    });
    expect(more.json()).toMatchObject({ nextIndex: 4 });

    const finished = await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/finish`,
      token: setup.apiKey,
      payload: {
        outcome: 'completed',
        tokensIn: 1200,
        tokensOut: 300,
        costMicroDollars: 42_000,
        modelCalls: 3,
        output: 'Fixed the bug',
        sessionId: 'session-abc',
        branch: 'mission/task-1',
        commit: 'abc123def456',
        testResult: { command: 'npm test', exitCode: 0, passed: true, outputTail: '3 passed' },
        model: 'claude-sonnet-4',
      },
    });
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toMatchObject({
      status: 'completed',
      costMicroDollars: 42_000,
      sessionId: 'session-abc',
      commit: 'abc123def456',
      model: 'claude-sonnet-4',
      testResult: { passed: true },
    });

    const detail = (await server.request({ method: 'GET', url: `/api/v1/runs/${run.id}` })).json() as AgentRunDetail;
    expect(detail.prompt.prompt).toBe('Fix the login bug in src/login.ts');
    expect(detail.steps.map((step) => [step.index, step.kind])).toEqual([
      [0, 'model'],
      [1, 'tool-call'],
      [2, 'tool-result'],
      [3, 'parse-error'],
    ]);
    const usage = (await server.request({ method: 'GET', url: `/api/v1/usage?agentId=${setup.agent.id}` })).json() as Usage;
    expect(usage.total).toMatchObject({ runs: 1, tokensIn: 1200, tokensOut: 300, costMicroDollars: 42_000, modelCalls: 3 });
    const events = await server.database.db
      .selectFrom('events')
      .select('type')
      .where('task_id', '=', setup.task.id)
      .where('type', 'in', ['run-started', 'run-step', 'run-finished'])
      .orderBy('seq')
      .execute();
    expect(events.map((event) => event.type)).toEqual(['run-started', 'run-step', 'run-step', 'run-step', 'run-step', 'run-finished']);

    const again = await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/finish`,
      token: setup.apiKey,
      payload: { outcome: 'failed' },
    });
    expect(again.json()).toMatchObject({ error: { code: 'RUN_ALREADY_FINISHED' } });
    const listed = (await server.request({ method: 'GET', url: `/api/v1/runs?taskId=${setup.task.key}` })).json() as { data: AgentRun[] };
    expect(listed.data.map((item) => item.id)).toEqual([run.id]);
  });

  it('refuses a stale lease token (409 LEASE_CONFLICT), a runner that does not work for the agent (404) and people (403)', async () => {
    const setup = await claimedTask();
    expect((await startRun(setup, { leaseToken: 'not-the-token' })).json()).toMatchObject({ error: { code: 'LEASE_CONFLICT' } });
    const other = await claimedTask();
    expect((await startRun(setup, { runnerId: other.runner.id })).json()).toMatchObject({ error: { code: 'RUNNER_NOT_FOUND' } });
    const byPerson = await server.request({
      method: 'POST',
      url: '/api/v1/runs',
      payload: { taskId: setup.task.id, leaseToken: setup.leaseToken, adapter: 'codex', runnerId: setup.runner.id, prompt: 'x' },
    });
    expect(byPerson.statusCode).toBe(403);
    const stored = await server.database.db.selectFrom('agent_runs').select('id').where('task_id', '=', setup.task.id).execute();
    expect(stored).toEqual([]);
  });

  it('refuses a new run with 409 BUDGET_EXHAUSTED once the agent used its budget', async () => {
    const setup = await claimedTask();
    const run = (await startRun(setup)).json() as AgentRun;
    await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/finish`,
      token: setup.apiKey,
      payload: { outcome: 'completed', tokensIn: 900, tokensOut: 200 },
    });
    const budget = await server.request({
      method: 'POST',
      url: '/api/v1/budgets',
      payload: { agentId: setup.agent.id, monthlyTokenLimit: 1_000 },
    });
    expect(budget.json()).toMatchObject({ status: 'exhausted' });
    const refused = await startRun(setup);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'BUDGET_EXHAUSTED' } });
    expect(await server.database.db.selectFrom('agent_runs').select('id').where('task_id', '=', setup.task.id).execute()).toHaveLength(1);
  });

  it('closes a run left running when the next run of the task starts, so one runs at a time', async () => {
    const setup = await claimedTask();
    const first = (await startRun(setup)).json() as AgentRun;
    const second = (await startRun(setup)).json() as AgentRun;
    const runs = (await server.request({ method: 'GET', url: `/api/v1/runs?taskId=${setup.task.id}` })).json() as { data: AgentRun[] };
    expect(runs.data.map((run) => [run.id, run.status])).toEqual([
      [second.id, 'running'],
      [first.id, 'failed'],
    ]);
  });

  it('streams run-cancel-requested to the agent, answers cancelRequested on steps, and records the cancel', async () => {
    const setup = await claimedTask();
    const run = (await startRun(setup)).json() as AgentRun;
    const stream = connectStream(`${baseUrl}/api/v1/ws/agents/${setup.agent.id}?token=${setup.apiKey}`);
    await stream.waitFor((messages) => messages.some((message) => message.type === 'ready'), 'ready');

    const stranger = await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/cancel`,
      token: (await server.createAgentWithKey()).apiKey,
    });
    expect(stranger.statusCode).toBe(403);
    const cancel = await server.request({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel` });
    expect(cancel.statusCode).toBe(202);
    expect((cancel.json() as AgentRun).cancelRequestedAt).not.toBeNull();
    await stream.waitFor(
      (messages) =>
        messages.some(
          (message) => message.type === 'event' && message.data.type === 'run-cancel-requested' && message.data.data.runId === run.id,
        ),
      'run-cancel-requested',
    );
    stream.close();
    const steps = await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/steps`,
      token: setup.apiKey,
      payload: { steps: [{ kind: 'output', text: 'stopping' }] },
    });
    expect(steps.json()).toMatchObject({ cancelRequested: true });
    const finished = await server.request({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/finish`,
      token: setup.apiKey,
      payload: { outcome: 'cancelled' },
    });
    expect(finished.json()).toMatchObject({ status: 'cancelled' });
    const again = await server.request({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel` });
    expect(again.json()).toMatchObject({ error: { code: 'RUN_ALREADY_FINISHED' } });
  });

  it('refuses to cancel a built-in turn (409 RUN_NOT_CANCELLABLE)', async () => {
    const { agent } = await server.createAgentWithKey();
    const runId = await server.services.agentRuns.startRun({
      workspaceId: server.workspaceId,
      agentId: agent.id,
      agentName: agent.name,
      taskId: null,
      trigger: 'schedule',
      provider: 'openai-compatible',
      model: 'qwen3',
    });
    const answer = await server.request({ method: 'POST', url: `/api/v1/runs/${runId}/cancel` });
    expect(answer.json()).toMatchObject({ error: { code: 'RUN_NOT_CANCELLABLE' } });
  });
});
