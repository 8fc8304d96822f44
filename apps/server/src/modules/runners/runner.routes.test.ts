import type { AgentRun, EventType, Runner, RunnerHeartbeatResponse } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('runner routes', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer(engine);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const registration = (overrides: Record<string, unknown> = {}) => ({
    runnerKey: `key_${Math.random().toString(36).slice(2)}_abcdefgh`,
    name: 'laptop: app',
    host: 'laptop',
    version: '0.1.0',
    adapters: [{ name: 'claude-code', version: '2.0.1 (Claude Code)' }],
    concurrency: 2,
    adapter: 'claude-code',
    ...overrides,
  });

  async function eventsOfType(type: EventType) {
    return server.database.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('seq').execute();
  }

  it('creates a runner (201) and maps a second agent with the same runner key to it (200)', async () => {
    const first = await server.createAgentWithKey();
    const second = await server.createAgentWithKey();
    const body = registration();
    const created = await server.request({ method: 'POST', url: '/api/v1/runners', token: first.apiKey, payload: body });
    expect(created.statusCode).toBe(201);
    const runner = created.json() as Runner;
    expect(runner).toMatchObject({ name: 'laptop: app', host: 'laptop', status: 'online', concurrency: 2, activeRuns: [] });
    expect(runner.agents).toEqual([expect.objectContaining({ agentId: first.agent.id, adapter: 'claude-code' })]);

    const again = await server.request({
      method: 'POST',
      url: '/api/v1/runners',
      token: second.apiKey,
      payload: { ...body, adapter: 'codex', adapters: [...body.adapters, { name: 'codex', version: 'codex-cli 0.40.0' }] },
    });
    expect(again.statusCode).toBe(200);
    const joined = again.json() as Runner;
    expect(joined.id).toBe(runner.id);
    expect(joined.adapters.map((adapter) => adapter.name)).toEqual(['claude-code', 'codex']);
    expect(joined.agents.map((agent) => [agent.agentId, agent.adapter])).toEqual([
      [first.agent.id, 'claude-code'],
      [second.agent.id, 'codex'],
    ]);
    expect(await server.database.db.selectFrom('runners').select('id').where('runner_key', '=', body.runnerKey).execute()).toHaveLength(1);
    const registered = (await eventsOfType('runner-registered')).filter((row) => JSON.stringify(row.data).includes(runner.id));
    expect(registered).toHaveLength(2);

    const listed = await server.request({ method: 'GET', url: `/api/v1/runners?agentId=${second.agent.id}` });
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { data: Runner[] }).data.map((item) => item.id)).toEqual([runner.id]);
    const fetched = await server.request({ method: 'GET', url: `/api/v1/runners/${runner.id}` });
    expect(fetched.json()).toMatchObject({ id: runner.id, agents: [{ agentId: first.agent.id }, { agentId: second.agent.id }] });
  });

  it('refuses registration by a person (403) and stores nothing', async () => {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/runners',
      payload: registration({ runnerKey: 'person_key_0123456789' }),
    });
    expect(answer.statusCode).toBe(403);
    expect(await server.database.db.selectFrom('runners').select('id').where('runner_key', '=', 'person_key_0123456789').execute()).toEqual(
      [],
    );
  });

  it('answers the runs to cancel in the heartbeat, refuses agents it does not work for, and 404 for another workspace', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const stranger = await server.createAgentWithKey();
    const runner = (
      await server.request({ method: 'POST', url: '/api/v1/runners', token: apiKey, payload: registration() })
    ).json() as Runner;
    const task = (
      await server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: { title: 'Fix the build', assignees: [{ kind: 'agent', id: agent.id }] },
      })
    ).json() as { id: string };
    const claim = (await server.request({ method: 'POST', url: `/api/v1/tasks/${task.id}/claim`, token: apiKey, payload: {} })).json() as {
      lease: { token: string };
    };
    const run = (
      await server.request({
        method: 'POST',
        url: '/api/v1/runs',
        token: apiKey,
        payload: { taskId: task.id, leaseToken: claim.lease.token, adapter: 'claude-code', runnerId: runner.id, prompt: 'Fix it' },
      })
    ).json() as AgentRun;

    const quiet = await server.request({ method: 'POST', url: `/api/v1/runners/${runner.id}/heartbeat`, token: apiKey, payload: {} });
    expect(quiet.statusCode).toBe(200);
    expect(quiet.json()).toMatchObject({ cancelRunIds: [], runner: { activeRuns: [{ runId: run.id, cancelRequestedAt: null }] } });

    expect((await server.request({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel` })).statusCode).toBe(202);
    const told = (
      await server.request({ method: 'POST', url: `/api/v1/runners/${runner.id}/heartbeat`, token: apiKey, payload: {} })
    ).json() as RunnerHeartbeatResponse;
    expect(told.cancelRunIds).toEqual([run.id]);

    const refused = await server.request({
      method: 'POST',
      url: `/api/v1/runners/${runner.id}/heartbeat`,
      token: stranger.apiKey,
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    const otherToken = await server.createOtherWorkspaceToken();
    expect((await server.request({ method: 'GET', url: `/api/v1/runners/${runner.id}`, token: otherToken })).json()).toMatchObject({
      error: { code: 'RUNNER_NOT_FOUND' },
    });
  });

  it('turns a silent runner offline, closing its running runs, and announces it once', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const runner = (
      await server.request({
        method: 'POST',
        url: '/api/v1/runners',
        token: apiKey,
        payload: registration({ heartbeatIntervalSeconds: 10 }),
      })
    ).json() as Runner;
    const task = (
      await server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: { title: 'Write docs', assignees: [{ kind: 'agent', id: agent.id }] },
      })
    ).json() as { id: string };
    const claim = (await server.request({ method: 'POST', url: `/api/v1/tasks/${task.id}/claim`, token: apiKey, payload: {} })).json() as {
      lease: { token: string };
    };
    const run = (
      await server.request({
        method: 'POST',
        url: '/api/v1/runs',
        token: apiKey,
        payload: { taskId: task.id, leaseToken: claim.lease.token, adapter: 'claude-code', runnerId: runner.id, prompt: 'Docs' },
      })
    ).json() as AgentRun;

    expect(await server.services.runners.markSilentRunnersOffline()).toBe(0);
    server.clock.advance(31_000);
    expect(await server.services.runners.markSilentRunnersOffline()).toBeGreaterThanOrEqual(1);
    expect(await server.services.runners.markSilentRunnersOffline()).toBe(0);
    const fetched = (await server.request({ method: 'GET', url: `/api/v1/runners/${runner.id}` })).json() as Runner;
    expect(fetched).toMatchObject({ status: 'offline', activeRuns: [] });
    const closed = (await server.request({ method: 'GET', url: `/api/v1/runs/${run.id}` })).json() as AgentRun;
    expect(closed).toMatchObject({ status: 'failed', error: expect.stringContaining('stopped sending heartbeats') });
    const offline = (await eventsOfType('runner-offline')).filter((row) => JSON.stringify(row.data).includes(runner.id));
    expect(offline).toHaveLength(1);
    expect(JSON.stringify(offline[0]?.data)).toContain(run.id);

    // A heartbeat brings it back online.
    const back = await server.request({ method: 'POST', url: `/api/v1/runners/${runner.id}/heartbeat`, token: apiKey, payload: {} });
    expect(back.json()).toMatchObject({ runner: { status: 'online' } });
  });

  it('deletes a runner for people only, asking its runs to cancel', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const runner = (
      await server.request({ method: 'POST', url: '/api/v1/runners', token: apiKey, payload: registration() })
    ).json() as Runner;
    const task = (
      await server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: { title: 'Tidy up', assignees: [{ kind: 'agent', id: agent.id }] },
      })
    ).json() as { id: string };
    const claim = (await server.request({ method: 'POST', url: `/api/v1/tasks/${task.id}/claim`, token: apiKey, payload: {} })).json() as {
      lease: { token: string };
    };
    const run = (
      await server.request({
        method: 'POST',
        url: '/api/v1/runs',
        token: apiKey,
        payload: { taskId: task.id, leaseToken: claim.lease.token, adapter: 'process', runnerId: runner.id, prompt: 'Tidy' },
      })
    ).json() as AgentRun;
    expect((await server.request({ method: 'DELETE', url: `/api/v1/runners/${runner.id}`, token: apiKey })).statusCode).toBe(403);
    const removed = await server.request({ method: 'DELETE', url: `/api/v1/runners/${runner.id}` });
    expect(removed.statusCode).toBe(204);
    expect((await server.request({ method: 'GET', url: `/api/v1/runners/${runner.id}` })).statusCode).toBe(404);
    expect(await server.database.db.selectFrom('runner_agents').select('agent_id').where('runner_id', '=', runner.id).execute()).toEqual(
      [],
    );
    const after = (await server.request({ method: 'GET', url: `/api/v1/runs/${run.id}` })).json() as AgentRun;
    expect(after.cancelRequestedAt).not.toBeNull();
    expect((await eventsOfType('runner-deleted')).some((row) => JSON.stringify(row.data).includes(runner.id))).toBe(true);
  });
});
