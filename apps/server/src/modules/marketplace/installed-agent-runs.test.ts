import type { Installation, Listing } from '@mission-control/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type ScriptedModelServer, startScriptedModelServer } from '../../../../../packages/runtime/src/test/scripted-model-server.js';
import { createInjectFetch } from '../../http/inject-fetch.js';
import { AgentScheduler } from '../../scheduler/agent-scheduler.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('an agent installed from the marketplace', (engine) => {
  let server: TestServer;
  let model: ScriptedModelServer;
  let scheduler: AgentScheduler | undefined;

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
    await scheduler?.stop();
    await server?.close();
  });

  const call = async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    token: string | undefined,
    payload?: Record<string, unknown>,
  ) => {
    const answer = await server.request({ method, url, token, ...(payload ? { payload } : {}) });
    expect(answer.statusCode, `${method} ${url}: ${answer.body}`).toBeLessThan(300);
    return answer.json();
  };

  it('does the work of its new workspace with the instructions it was published with', async () => {
    // Published from the owner's workspace: a built-in researcher with its own instructions.
    const source = await call('POST', '/api/v1/agents', undefined, { name: 'digest', role: 'Researcher', capabilities: ['research'] });
    await call('PUT', `/api/v1/agents/${source.id}/runtime`, undefined, {
      runtime: 'builtin',
      stepLimit: 6,
      instructions: 'Always cite two sources.',
    });
    const listing = (await call('POST', '/api/v1/marketplace/listings', undefined, {
      kind: 'agent',
      sourceId: source.id,
      title: 'Digest',
      summary: 'Researches and cites',
      category: 'research',
    })) as Listing;
    // Built-in agents of the source workspace stay out of the way: it is turned external again.
    await call('PUT', `/api/v1/agents/${source.id}/runtime`, undefined, { runtime: 'external' });

    const otherToken = await server.createOtherWorkspaceToken();
    const installation = (await call('POST', `/api/v1/marketplace/listings/${listing.id}/install`, otherToken, {
      options: { shareFigures: true },
    })) as Installation;
    expect(installation.shareFigures).toBe(true);
    // Consented, but nothing finished yet: no figures that look measured.
    expect((await call('GET', `/api/v1/marketplace/listings/${listing.id}`, undefined)).figures).toMatchObject({
      installationsReporting: 1,
      tasksDone: 0,
      successRate: null,
      medianCostMicroDollarsPerTask: null,
    });
    const installedId = installation.items[0]?.id ?? '';
    const task = await call('POST', '/api/v1/tasks', otherToken, { title: 'Compare vector databases', requiredCapabilities: ['research'] });

    model.setScript((request) => {
      if (request.toolResultCount === 0)
        return { toolCalls: [{ name: 'claim_next_task', arguments: {} }], usage: { input: 900, output: 40 } };
      if (request.toolResultCount === 1) {
        return {
          toolCalls: [{ name: 'update_task_status', arguments: { taskId: task.key, status: 'review', reason: 'two sources cited' } }],
          usage: { input: 1_000, output: 30 },
        };
      }
      return { text: 'Sent to review with two sources.', usage: { input: 1_100, output: 10 } };
    });
    scheduler = new AgentScheduler({
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
    });
    const before = model.requests.length;
    await scheduler.tick();
    await scheduler.drain();

    expect(model.requests.length - before).toBe(3);
    expect(model.requests[before]?.system).toContain('Always cite two sources.');
    const moved = await call('GET', `/api/v1/tasks/${task.id}`, otherToken);
    expect(moved).toMatchObject({ status: 'review' });
    expect(moved.assignees).toEqual([expect.objectContaining({ kind: 'agent', id: installedId })]);
    const runs = await call('GET', `/api/v1/agents/${installedId}/runs`, otherToken);
    expect(runs.data).toHaveLength(1);
    const cost = runs.data[0].costMicroDollars as number;
    expect(cost).toBeGreaterThan(0);

    // A person approves the work: the listing's page now shows what the installed copy did.
    await call('POST', `/api/v1/tasks/${task.id}/status`, otherToken, { status: 'done' });
    const figures = (await call('GET', `/api/v1/marketplace/listings/${listing.id}`, undefined)).figures;
    expect(figures).toEqual({
      installationsReporting: 1,
      tasksDone: 1,
      tasksFailed: 0,
      successRate: 1,
      medianCostMicroDollarsPerTask: cost,
    });

    // Consent taken back: the listing shows no figures from it.
    const withdrawn = (await call('PATCH', `/api/v1/marketplace/installations/${installation.id}`, otherToken, {
      shareFigures: false,
    })) as Installation;
    expect(withdrawn.shareFigures).toBe(false);
    expect((await call('GET', `/api/v1/marketplace/listings/${listing.id}`, undefined)).figures).toBeNull();
  }, 120_000);
});
