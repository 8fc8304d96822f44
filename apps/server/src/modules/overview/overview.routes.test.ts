import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('overview', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const createTask = async (title: string, assigneeId?: string) => {
    const response = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title, ...(assigneeId ? { assignees: [{ kind: 'agent', id: assigneeId }] } : {}) },
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; key: string; title: string };
  };
  const setStatus = async (key: string, status: string, token?: string, leaseToken?: string) => {
    const response = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${key}/status`,
      payload: { status, ...(leaseToken ? { leaseToken } : {}) },
      ...(token ? { token } : {}),
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const heartbeat = async (agentId: string, apiKey: string, status?: string) => {
    const response = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agentId}/heartbeat`,
      token: apiKey,
      ...(status ? { payload: { status } } : {}),
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const getOverview = async (query = '') => {
    const response = await server.request({ method: 'GET', url: `/api/v1/overview${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it('derives each agent’s state from its claims and tasks, not only from what it reported', async () => {
    const worker = await server.createAgentWithKey({ name: 'worker' });
    const stuck = await server.createAgentWithKey({ name: 'stuck' });
    const resting = await server.createAgentWithKey({ name: 'resting' });
    const absent = await server.createAgentWithKey({ name: 'absent' });
    // Every agent but the absent one reports itself idle.
    for (const each of [worker, stuck, resting]) await heartbeat(each.agent.id, each.apiKey, 'idle');

    const working = await createTask('Write the survey', worker.agent.id);
    const claim = await server.request({ method: 'POST', url: `/api/v1/tasks/${working.key}/claim`, token: worker.apiKey, payload: {} });
    expect(claim.statusCode, claim.body).toBe(200);
    const blocked = await createTask('Wait for the vendor', stuck.agent.id);
    await setStatus(blocked.key, 'blocked');

    const overview = await getOverview();
    const stateOf = (id: string) => overview.agents.find((state: { agentId: string }) => state.agentId === id);
    expect(stateOf(worker.agent.id)).toMatchObject({
      status: 'active',
      reportedStatus: 'idle',
      currentTask: { id: working.id, key: working.key, title: 'Write the survey', status: 'in_progress' },
      openTaskCount: 1,
    });
    expect(stateOf(stuck.agent.id)).toMatchObject({ status: 'blocked', currentTask: { key: blocked.key, status: 'blocked' } });
    expect(stateOf(resting.agent.id)).toMatchObject({ status: 'idle', currentTask: null, openTaskCount: 0 });
    expect(stateOf(absent.agent.id)).toMatchObject({ status: 'offline', lastHeartbeatAt: null });
    expect(overview).toMatchObject({ activeAgents: 1, totalAgents: 4 });

    // WORKING.md says the same, from the same definition.
    const working_md = await server.request({ method: 'GET', url: '/api/v1/state/working-md' });
    expect(working_md.json().markdown).toContain(`- worker (active) - working on ${working.key} Write the survey\n`);
    expect(working_md.json().markdown).toContain(`- stuck (blocked) - blocked on ${blocked.key} Wait for the vendor\n`);
  });

  it('counts every status, blocked, failed and cancelled included, and the messages since an instant', async () => {
    const agent = await server.createAgentWithKey({ name: 'doer' });
    await heartbeat(agent.agent.id, agent.apiKey);
    await createTask('Still in the inbox');
    const toBlock = await createTask('Blocked one');
    await setStatus(toBlock.key, 'blocked');
    const toCancel = await createTask('Cancelled one');
    await setStatus(toCancel.key, 'cancelled');
    const toFail = await createTask('Failed one', agent.agent.id);
    const claim = await server.request({ method: 'POST', url: `/api/v1/tasks/${toFail.key}/claim`, token: agent.apiKey, payload: {} });
    const leaseToken = claim.json().lease.token as string;
    await setStatus(toFail.key, 'failed', agent.apiKey, leaseToken);

    const before = server.clock.now().toISOString();
    server.clock.advance(60_000);
    for (const body of ['First', 'Second', 'Third']) {
      const posted = await server.request({ method: 'POST', url: `/api/v1/tasks/${toBlock.key}/messages`, payload: { content: body } });
      expect(posted.statusCode, posted.body).toBe(201);
    }

    const overview = await getOverview(`?since=${encodeURIComponent(before)}`);
    const stored = await server.database.db.selectFrom('tasks').select(['status']).where('workspace_id', '=', server.workspaceId).execute();
    const storedCounts: Record<string, number> = {};
    for (const row of stored) storedCounts[row.status] = (storedCounts[row.status] ?? 0) + 1;
    expect(overview.tasksByStatus).toEqual({
      inbox: 1,
      assigned: 0,
      in_progress: 0,
      review: 0,
      done: 0,
      blocked: 1,
      failed: 1,
      cancelled: 1,
    });
    for (const [status, count] of Object.entries(storedCounts)) expect(overview.tasksByStatus[status]).toBe(count);
    expect(overview.needsAttention).toBe(2);
    expect(overview.messagesSince).toBe(3);
    expect(overview.since).toBe(before);

    const later = new Date(server.clock.now().getTime() + 1_000).toISOString();
    expect((await getOverview(`?since=${encodeURIComponent(later)}`)).messagesSince).toBe(0);
  });

  it('refuses an unknown query field and a caller without a token', async () => {
    expect((await server.request({ method: 'GET', url: '/api/v1/overview?colour=red' })).statusCode).toBe(400);
    expect((await server.request({ method: 'GET', url: '/api/v1/overview', token: null })).statusCode).toBe(401);
  });
});
