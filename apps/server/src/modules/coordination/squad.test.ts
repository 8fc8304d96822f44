import type { AgentRun, Task, Usage } from '@mission-control/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  type ScriptedAnswer,
  type ScriptedModelServer,
  type ScriptedRequest,
  startScriptedModelServer,
} from '../../../../../packages/runtime/src/test/scripted-model-server.js';
import { listEventsAfter, toActivity } from '../../events/event.repository.js';
import { createInjectFetch } from '../../http/inject-fetch.js';
import { AgentScheduler } from '../../scheduler/agent-scheduler.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';

const usage = { input: 1_000, output: 100 };

/** What each agent's model does, decided from what it is shown (so an extra turn is harmless, not a script error). */
function createSquadScript(goalKey: () => string) {
  const plans = new Map<string, ScriptedAnswer[]>();
  return (request: ScriptedRequest): ScriptedAnswer => {
    const name = /You are ([^,]+), an AI agent/.exec(request.system)?.[1] ?? 'unknown';
    const prompt = request.transcript[0] ?? '';
    if (request.toolResultCount === 0) plans.set(name, planTurn(name, prompt, goalKey()));
    return plans.get(name)?.[request.toolResultCount] ?? { text: 'Done for now.', usage };
  };
}

function call(name: string, args: Record<string, unknown>): ScriptedAnswer {
  return { toolCalls: [{ name, arguments: args }], usage };
}

function planTurn(agent: string, prompt: string, goal: string): ScriptedAnswer[] {
  const done: ScriptedAnswer = { text: 'Done for now.', usage };
  if (agent === 'lead') {
    if (prompt.includes('Every subtask of')) {
      return [
        call('update_task_status', { taskId: goal, status: 'in_progress', reason: 'checking the result' }),
        call('update_task_status', { taskId: goal, status: 'done', reason: 'every subtask is done and reviewed' }),
        call('mark_notifications_read', { all: true }),
        { text: `${goal} is done.`, usage },
      ];
    }
    if (prompt.includes(`${goal} [inbox`)) {
      return [
        call('plan_subtasks', {
          goalTaskId: goal,
          subtasks: [
            { title: 'Research the options', requiredCapabilities: ['research'] },
            { title: 'Write the report', requiredCapabilities: ['writing'], dependsOn: [0] },
            { title: 'Build a prototype', requiredCapabilities: ['code'] },
          ],
        }),
        call('assign_task', { taskId: goal, agentName: 'lead' }),
        { text: 'Planned three subtasks.', usage },
      ];
    }
    return [done];
  }
  if (agent === 'reviewer') {
    const key = /## Waiting for review \(\d+\)\n- (\S+) \[review/.exec(prompt)?.[1];
    if (!key) return [done];
    return [
      call('read_task', { taskId: key }),
      call('approve_task', { taskId: key, comment: 'Clear and complete.' }),
      { text: `Approved ${key}.`, usage },
    ];
  }
  const key = /## Focus: (\S+) \[assigned/.exec(prompt)?.[1];
  if (!key) return [done];
  return [
    call('claim_task', { taskId: key }),
    call('write_document', { title: `${agent} deliverable`, content: `# ${agent}\n\nThe work for ${key}.`, taskId: key }),
    call('update_task_status', { taskId: key, status: agent === 'writer' ? 'review' : 'done', reason: 'deliverable written' }),
    { text: `Finished ${key}.`, usage },
  ];
}

describeEachEngine('a squad of built-in agents', (engine) => {
  let server: TestServer;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    model = await startScriptedModelServer();
  });
  afterAll(async () => {
    await model?.close();
  });
  beforeEach(async () => {
    server = await createTestServer(engine);
  }, 60_000);
  afterEach(async () => {
    await server?.close();
  });

  async function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) {
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword },
    });
    const token = (login.json() as { accessToken: string }).accessToken;
    return server.request({ method, url, token, ...(payload ? { payload } : {}) });
  }

  it('turns a goal into subtasks, works them, reviews them and closes the goal, with every turn recorded and priced', async () => {
    const squad: Record<string, string> = {};
    for (const [name, kind, capabilities, provider, modelName] of [
      ['lead', 'lead', ['planning'], 'anthropic', 'claude-sonnet-4-5'],
      ['researcher', 'specialist', ['research'], null, null],
      ['writer', 'specialist', ['writing'], null, null],
      ['coder', 'specialist', ['code'], null, null],
      ['reviewer', 'reviewer', ['review'], null, null],
    ] as const) {
      const created = await api('POST', '/api/v1/agents', {
        name,
        role: name,
        kind,
        capabilities: [...capabilities],
        heartbeatIntervalSeconds: 60,
      });
      const id = (created.json() as { id: string }).id;
      squad[name] = id;
      const runtime = await api('PUT', `/api/v1/agents/${id}/runtime`, { runtime: 'builtin', provider, model: modelName, stepLimit: 8 });
      expect(runtime.statusCode).toBe(200);
    }
    let goal: Task | undefined;
    model.setScript(createSquadScript(() => goal?.key ?? 'none'));
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
        anthropic: { apiKey: 'test', baseUrl: model.baseUrl },
        openai: undefined,
        defaultModel: undefined,
      },
      random: () => 0.5,
    });
    // The coordination the server runs from its event stream, driven step by step here.
    let cursor = 0;
    const coordinate = async () => {
      for (;;) {
        const rows = await listEventsAfter(server.database.db, { afterSeq: cursor, limit: 500 });
        if (rows.length === 0) return;
        cursor = Number(rows[rows.length - 1]?.seq);
        await server.services.coordination.handleEvents(rows.map(toActivity));
      }
    };
    const minute = async () => {
      await scheduler.tick();
      await scheduler.drain();
      await coordinate();
      server.clock.advance(60_000);
    };

    await minute();
    expect(scheduler.stats.modelCalls).toBe(0);
    goal = (
      await api('POST', '/api/v1/tasks', { title: 'Ship a vector search report', requiredCapabilities: ['planning'], priority: 'high' })
    ).json() as Task;
    await coordinate();

    let status = goal.status;
    for (let step = 0; step < 15 && status !== 'done'; step += 1) {
      await minute();
      status = ((await api('GET', `/api/v1/tasks/${goal.id}`)).json() as Task).status;
    }
    expect(status).toBe('done');

    const subtasks = ((await api('GET', `/api/v1/tasks?parentId=${goal.id}`)).json() as { data: Task[] }).data;
    expect(subtasks.map((task) => [task.title, task.status]).sort()).toEqual([
      ['Build a prototype', 'done'],
      ['Research the options', 'done'],
      ['Write the report', 'done'],
    ]);
    const assigneeOf = (title: string) => subtasks.find((task) => task.title === title)?.assignees.map((assignee) => assignee.id);
    expect(assigneeOf('Research the options')).toEqual([squad.researcher]);
    expect(assigneeOf('Write the report')).toEqual([squad.writer]);
    expect(assigneeOf('Build a prototype')).toEqual([squad.coder]);
    const documents = (await api('GET', '/api/v1/documents?limit=50')).json() as { data: { title: string }[] };
    expect(documents.data.map((document) => document.title).sort()).toEqual([
      'coder deliverable',
      'researcher deliverable',
      'writer deliverable',
    ]);
    const report = subtasks.find((task) => task.title === 'Write the report');
    const thread = (await api('GET', `/api/v1/tasks/${report?.id}/messages`)).json() as { data: { content: string }[] };
    expect(thread.data.some((message) => message.content.startsWith('Approved: Clear and complete.'))).toBe(true);

    // Every turn is recorded, and tokens and costs add up to what the model was asked.
    const runs: AgentRun[] = [];
    for (const id of Object.values(squad))
      runs.push(...((await api('GET', `/api/v1/agents/${id}/runs`)).json() as { data: AgentRun[] }).data);
    expect(runs.every((run) => run.status === 'completed')).toBe(true);
    for (const name of ['lead', 'researcher', 'writer', 'coder', 'reviewer'])
      expect(runs.some((run) => run.agentId === squad[name])).toBe(true);
    const leadCalls = model.requests.filter((request) => request.protocol === 'anthropic').length;
    const otherCalls = model.requests.length - leadCalls;
    expect(scheduler.stats.modelCalls).toBe(model.requests.length);
    const usageAnswer = (await api('GET', '/api/v1/usage')).json() as Usage;
    expect(usageAnswer.total).toMatchObject({
      runs: runs.length,
      modelCalls: model.requests.length,
      tokensIn: model.requests.length * 1_000,
      tokensOut: model.requests.length * 100,
      // claude-sonnet-4: $3 / $15 per million; gpt-4o-mini: $0.15 / $0.60.
      costMicroDollars: leadCalls * (1_000 * 3 + 100 * 15) + otherCalls * Math.round(1_000 * 0.15 + 100 * 0.6),
    });
    const leadRuns = runs.filter((run) => run.agentId === squad.lead);
    expect(leadRuns.every((run) => run.provider === 'anthropic' && run.model === 'claude-sonnet-4-5')).toBe(true);
    const goalUsage = (await api('GET', `/api/v1/usage?taskId=${goal.id}`)).json() as Usage;
    expect(goalUsage.total.runs).toBeGreaterThanOrEqual(0);

    const planRun = (await api('GET', `/api/v1/runs/${leadRuns[leadRuns.length - 1]?.id}`)).json() as {
      steps: { toolName?: string; result?: string }[];
    };
    const plan = planRun.steps.find((step) => step.toolName === 'plan_subtasks');
    expect(plan?.result).toContain('assigned to researcher');
    expect(plan?.result).toContain('waits for its dependencies');

    // The work is over: an hour of ticks makes no further model calls.
    const callsWhenDone = model.requests.length;
    for (let tick = 0; tick < 60; tick += 1) await minute();
    expect(model.requests.length).toBe(callsWhenDone);
  }, 120_000);
});
