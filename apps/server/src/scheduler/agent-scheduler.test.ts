import type { Activity, AgentRunDetail, AgentRuntime, Budget, Usage } from '@mission-control/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type ScriptedModelServer, startScriptedModelServer } from '../../../../packages/runtime/src/test/scripted-model-server.js';
import { createInjectFetch } from '../http/inject-fetch.js';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../test/test-server.js';
import { AgentScheduler, type AgentSchedulerOptions } from './agent-scheduler.js';

describeEachEngine('agent scheduler', (engine) => {
  let server: TestServer;
  let model: ScriptedModelServer;
  const schedulers: AgentScheduler[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer();
  });
  afterAll(async () => {
    await model?.close();
  });
  // Each test gets its own server: squads and clocks do not leak between tests.
  beforeEach(async () => {
    server = await createTestServer(engine);
  }, 60_000);
  afterEach(async () => {
    for (const scheduler of schedulers.splice(0)) await scheduler.stop();
    await server?.close();
  });

  /** The owner's requests with a token signed at the test clock's time (the clock runs for days here). */
  async function request(options: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: Record<string, unknown> }) {
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword },
    });
    const token = (login.json() as { accessToken: string }).accessToken;
    return server.request({ ...options, token });
  }

  function api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) {
    return request({ method, url, ...(payload ? { payload } : {}) });
  }

  function createScheduler(overrides: Partial<AgentSchedulerOptions> = {}) {
    const scheduler = new AgentScheduler({
      context: server.services.context,
      heartbeats: server.services.heartbeats,
      agents: server.services.agents,
      agentRuntimeSettings: server.services.agentRuntimeSettings,
      agentRuns: server.services.agentRuns,
      agentUsage: server.services.agentUsage,
      apiFetch: createInjectFetch(server.app),
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: undefined,
        openai: undefined,
        defaultModel: 'gpt-4o-mini',
      },
      random: () => 0.5,
      ...overrides,
    });
    schedulers.push(scheduler);
    return scheduler;
  }

  async function createBuiltinAgent(input: Record<string, unknown> = {}) {
    const { agent } = await server.createAgentWithKey({ heartbeatIntervalSeconds: 60, ...input });
    const runtime = await request({
      method: 'PUT',
      url: `/api/v1/agents/${agent.id}/runtime`,
      payload: { runtime: 'builtin', stepLimit: 6 },
    });
    expect(runtime.statusCode).toBe(200);
    return agent;
  }

  async function getRuntime(agentId: string): Promise<AgentRuntime> {
    return (await request({ method: 'GET', url: `/api/v1/agents/${agentId}/runtime` })).json();
  }

  /** Ticks the way the timer would, minute after minute, turns included. */
  async function tickFor(scheduler: AgentScheduler, minutes: number) {
    for (let minute = 0; minute < minutes; minute += 1) {
      await scheduler.tick();
      await scheduler.drain();
      server.clock.advance(60_000);
    }
  }

  it('an idle squad makes zero model calls over three hours of ticks, while heartbeats keep it online', async () => {
    const squad = [
      await createBuiltinAgent({ kind: 'lead', name: 'idle-lead' }),
      await createBuiltinAgent({ capabilities: ['research'] }),
      await createBuiltinAgent({ capabilities: ['writing'] }),
      await createBuiltinAgent({ kind: 'reviewer' }),
    ];
    const scheduler = createScheduler();
    const requestsBefore = model.requests.length;
    await tickFor(scheduler, 3 * 60);
    expect(scheduler.stats.modelCalls).toBe(0);
    expect(scheduler.stats.turns).toBe(0);
    expect(model.requests.length).toBe(requestsBefore);
    // Every agent was checked once a minute: missed nothing, and never more often than its interval.
    expect(scheduler.stats.checks).toBe(squad.length * 3 * 60);
    const runs = await server.database.db.selectFrom('agent_runs').select('id').execute();
    expect(runs).toHaveLength(0);
    for (const agent of squad) {
      const stored = (await request({ method: 'GET', url: `/api/v1/agents/${agent.id}` })).json() as { status: string };
      expect(stored.status).toBe('idle');
    }
  }, 120_000);

  it('runs one turn when work appears, records it, and makes no further calls while nothing changes', async () => {
    const specialist = await createBuiltinAgent({ capabilities: ['research'] });
    const scheduler = createScheduler();
    await tickFor(scheduler, 3);
    expect(scheduler.stats.modelCalls).toBe(0);

    const created = await request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: 'Compare vector databases', requiredCapabilities: ['research'] },
    });
    const task = created.json() as { id: string; key: string };
    model.setScript((request) => {
      if (request.toolResultCount === 0)
        return { toolCalls: [{ name: 'claim_next_task', arguments: {} }], usage: { input: 2_000, output: 100 } };
      if (request.toolResultCount === 1) {
        return {
          toolCalls: [{ name: 'update_task_status', arguments: { taskId: task.key, status: 'review', reason: 'comparison written' } }],
          usage: { input: 2_500, output: 60 },
        };
      }
      return { text: 'Done: sent to review.', usage: { input: 2_600, output: 10 } };
    });
    const requestsBefore = model.requests.length;
    await tickFor(scheduler, 1);
    expect(scheduler.stats.turns).toBe(1);
    expect(scheduler.stats.modelCalls).toBe(3);
    expect(model.requests.length - requestsBefore).toBe(3);

    // Quiet afterwards: the task is in review, nothing waits for the specialist.
    await tickFor(scheduler, 60);
    expect(scheduler.stats.modelCalls).toBe(3);

    const runs = (await request({ method: 'GET', url: `/api/v1/agents/${specialist.id}/runs` })).json() as {
      data: { id: string }[];
    };
    expect(runs.data).toHaveLength(1);
    const run = (await request({ method: 'GET', url: `/api/v1/runs/${runs.data[0]?.id}` })).json() as AgentRunDetail;
    expect(run).toMatchObject({
      status: 'completed',
      trigger: 'schedule',
      provider: 'openai-compatible',
      model: 'gpt-4o-mini',
      tokensIn: 7_100,
      tokensOut: 170,
      modelCalls: 3,
      costMicroDollars: Math.round(7_100 * 0.15 + 170 * 0.6),
      output: 'Done: sent to review.',
      error: null,
    });
    expect(run.prompt.prompt).toContain('Compare vector databases');
    expect(run.steps.map((step) => (step.kind === 'tool-call' ? step.toolName : 'model'))).toEqual([
      'model',
      'claim_next_task',
      'model',
      'update_task_status',
      'model',
    ]);
    expect(run.steps[1]).toMatchObject({ isError: false, result: expect.stringContaining(`Claimed ${task.key}`) });
    const stored = (await request({ method: 'GET', url: `/api/v1/tasks/${task.id}` })).json() as { status: string };
    expect(stored.status).toBe('review');

    const usage = (await request({ method: 'GET', url: `/api/v1/usage?agentId=${specialist.id}` })).json() as Usage;
    expect(usage.total).toEqual({ runs: 1, modelCalls: 3, tokensIn: 7_100, tokensOut: 170, costMicroDollars: run.costMicroDollars });
    // The turn claimed the task, so its usage counts for the task too.
    expect(run.taskId).toBe(task.id);
    const taskUsage = (await api('GET', `/api/v1/usage?taskId=${task.id}`)).json() as Usage;
    expect(taskUsage.total.tokensIn).toBe(7_100);
    const eventsAnswer = await api('GET', '/api/v1/activities?limit=200');
    const events = eventsAnswer.json() as { data: Activity[] };
    const runEvents = events.data.filter((event) => event.type.startsWith('run-')).map((event) => event.type);
    expect(runEvents.filter((type) => type === 'run-step')).toHaveLength(5);
    expect(runEvents).toContain('run-started');
    expect(runEvents).toContain('run-finished');
  });

  it('wakes an agent on request even without work, and refuses to wake an external one', async () => {
    const agent = await createBuiltinAgent();
    const external = (await server.createAgentWithKey()).agent;
    const refused = await request({ method: 'POST', url: `/api/v1/agents/${external.id}/wake` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('AGENT_NOT_BUILTIN');

    const scheduler = createScheduler();
    await tickFor(scheduler, 2);
    model.setScript(() => ({ text: 'Checked in; nothing to do.' }));
    const woken = await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    expect(woken.statusCode).toBe(202);
    expect(woken.json().wakeRequestedAt).not.toBeNull();
    await tickFor(scheduler, 1);
    expect(scheduler.stats.modelCalls).toBe(1);
    const runtime = await getRuntime(agent.id);
    expect(runtime).toMatchObject({ state: 'idle', wakeRequestedAt: null, failures: 0 });
    expect(JSON.stringify(runtime)).not.toContain('mc_');
  });

  it('retries a failing provider with exponential backoff, then shows the agent blocked with the error', async () => {
    const agent = await createBuiltinAgent();
    const scheduler = createScheduler();
    model.setScript(() => ({ status: 503, error: 'upstream model unavailable' }));
    await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await scheduler.tick();
      await scheduler.drain();
      const runtime = await getRuntime(agent.id);
      expect(runtime.failures).toBe(attempt);
      expect(runtime.lastError).toContain('upstream model unavailable');
      const delay = Date.parse(runtime.nextRunAt ?? '') - server.clock.now().getTime();
      delays.push(delay);
      // Nothing runs before the backoff is over.
      server.clock.advance(delay - 1_000);
      await scheduler.tick();
      await scheduler.drain();
      expect(scheduler.stats.modelCalls).toBe(attempt);
      server.clock.advance(1_000);
      // After the backoff the agent's heartbeat shows no work: only the failed wake is retried (it stays due).
      if (attempt < 3) await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    }
    // 30 s, 60 s, 120 s with the jitter at its middle (¾).
    expect(delays).toEqual([22_500, 45_000, 90_000]);
    const failing = await getRuntime(agent.id);
    expect(failing.state).toBe('failing');
    const shown = (await request({ method: 'GET', url: `/api/v1/agents/${agent.id}` })).json() as { status: string };
    expect(shown.status).toBe('blocked');
    const failedRuns = (await request({ method: 'GET', url: `/api/v1/agents/${agent.id}/runs` })).json() as {
      data: { status: string }[];
    };
    expect(failedRuns.data.map((run) => run.status)).toEqual(['failed', 'failed', 'failed']);

    model.setScript(() => ({ text: 'Back.' }));
    await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    await scheduler.tick();
    await scheduler.drain();
    expect(await getRuntime(agent.id)).toMatchObject({ state: 'idle', failures: 0, lastError: null });
    const recovered = (await request({ method: 'GET', url: `/api/v1/agents/${agent.id}` })).json() as { status: string };
    expect(recovered.status).toBe('idle');
  });

  it('warns at 80% of a budget, stops the agent at 100% until the limit is raised', async () => {
    const agent = await createBuiltinAgent();
    const budget = (await api('POST', '/api/v1/budgets', { agentId: agent.id, monthlyTokenLimit: 1_300 })).json() as Budget;
    expect(budget).toMatchObject({ usedTokens: 0, percentUsed: 0, status: 'ok' });
    const scheduler = createScheduler();
    model.setScript(() => ({ text: 'ok', usage: { input: 1_000, output: 100 } }));

    await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    await tickFor(scheduler, 1);
    let budgets = (await api('GET', '/api/v1/budgets')).json() as { data: Budget[] };
    expect(budgets.data[0]).toMatchObject({ usedTokens: 1_100, status: 'warning' });

    await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    await tickFor(scheduler, 1);
    budgets = (await api('GET', '/api/v1/budgets')).json() as { data: Budget[] };
    expect(budgets.data[0]).toMatchObject({ usedTokens: 2_200, status: 'exhausted' });
    expect(scheduler.stats.modelCalls).toBe(2);

    // At 100% the wake is refused by the budget: no model call, a clear state.
    await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    await tickFor(scheduler, 5);
    expect(scheduler.stats.modelCalls).toBe(2);
    const stopped = await getRuntime(agent.id);
    expect(stopped.state).toBe('budget-exhausted');
    expect(stopped.lastError).toContain('monthly budget');

    const eventsAnswer = await api('GET', '/api/v1/activities?limit=200');
    const events = eventsAnswer.json() as { data: Activity[] };
    expect(events.data.filter((event) => event.type === 'budget-warning')).toHaveLength(1);
    expect(events.data.filter((event) => event.type === 'budget-exhausted')).toHaveLength(1);
    const notifications = (await api('GET', '/api/v1/notifications')).json() as { data: { content: string }[] };
    expect(notifications.data.some((notification) => notification.content.includes('used up'))).toBe(true);

    const raised = await request({ method: 'PATCH', url: `/api/v1/budgets/${budget.id}`, payload: { monthlyTokenLimit: 100_000 } });
    expect(raised.json()).toMatchObject({ status: 'ok' });
    await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    await tickFor(scheduler, 1);
    expect(scheduler.stats.modelCalls).toBe(3);
  });

  it('never runs two turns of one agent at once, even with two instances ticking together', async () => {
    const agent = await createBuiltinAgent();
    const first = createScheduler({ instanceId: 'instance-a' });
    const second = createScheduler({ instanceId: 'instance-b' });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inFlight = 0;
    let maxInFlight = 0;
    const slowFetch: typeof fetch = async (input, init) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await gate;
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const gatedFirst = createScheduler({ instanceId: 'instance-c', modelFetch: slowFetch });
    const gatedSecond = createScheduler({ instanceId: 'instance-d', modelFetch: slowFetch });
    model.setScript(() => ({ text: 'ok' }));
    await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/wake` });
    await Promise.all([gatedFirst.tick(), gatedSecond.tick(), first.tick(), second.tick()]);
    // The turn is in flight under one lease; later ticks on every instance leave the agent alone.
    server.clock.advance(5 * 60_000);
    await Promise.all([gatedFirst.tick(), gatedSecond.tick(), first.tick(), second.tick()]);
    release();
    await Promise.all([gatedFirst.drain(), gatedSecond.drain(), first.drain(), second.drain()]);
    const turns = [gatedFirst, gatedSecond, first, second].reduce((sum, scheduler) => sum + scheduler.stats.turns, 0);
    expect(turns).toBe(1);
    expect(maxInFlight).toBeLessThanOrEqual(1);
  });

  it('closes a run whose instance stopped mid-turn once its lease is long gone, and leaves live ones alone', async () => {
    const agent = await createBuiltinAgent();
    const runs = server.services.agentRuns;
    const runId = await runs.startRun({
      workspaceId: server.workspaceId,
      agentId: agent.id,
      agentName: agent.name,
      taskId: null,
      trigger: 'schedule',
      provider: 'openai-compatible',
      model: 'gpt-4o-mini',
    });
    server.clock.advance(10 * 60_000);
    expect(await runs.failAbandonedRuns()).toBe(0);
    server.clock.advance(25 * 60_000);
    expect(await runs.failAbandonedRuns()).toBe(1);
    const run = (await api('GET', `/api/v1/runs/${runId}`)).json() as AgentRunDetail;
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('abandoned') });
  });
});
