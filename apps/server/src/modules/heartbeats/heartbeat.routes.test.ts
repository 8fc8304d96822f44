import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { countStatements } from '../../test/statement-count.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('agent heartbeats', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const heartbeat = (agentId: string, token: string, payload?: Record<string, unknown>) =>
    server.request({ method: 'POST', url: `/api/v1/agents/${agentId}/heartbeat`, token, ...(payload ? { payload } : {}) });
  const storedAgent = (agentId: string) =>
    server.database.db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();

  it('brings an offline agent online and answers what is waiting for it', async () => {
    const { agent, apiKey } = await server.createAgentWithKey({ heartbeatIntervalSeconds: 30 });
    await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: 'Do it', assignees: [{ kind: 'agent', id: agent.id }] },
    });
    const response = await heartbeat(agent.id, apiKey);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.agent).toMatchObject({ status: 'idle', lastHeartbeatAt: server.clock.now().toISOString() });
    expect(body.notifications.unreadCount).toBe(1);
    expect(body.assignedTasks.map((task: { title: string }) => task.title)).toEqual(['Do it']);
    expect(body.hasWork).toBe(true);
    expect(body.lead).toBeNull();
    expect(body.offlineAfter).toBe(new Date(server.clock.now().getTime() + 90_000).toISOString());
    expect(await storedAgent(agent.id)).toMatchObject({ status: 'idle', last_heartbeat_at: server.clock.now().toISOString() });
    const statusEvents = await server.database.db
      .selectFrom('events')
      .select('summary')
      .where('agent_id', '=', agent.id)
      .where('type', '=', 'agent-status-changed')
      .execute();
    expect(statusEvents).toHaveLength(1);
  });

  it('coalesces steady heartbeats into one batched write', async () => {
    const agents = await Promise.all([1, 2, 3].map(() => server.createAgentWithKey()));
    for (const { agent, apiKey } of agents) await heartbeat(agent.id, apiKey);
    const firstBeat = server.clock.now().toISOString();
    server.clock.advance(10_000);
    for (const { agent, apiKey } of agents) {
      const response = await heartbeat(agent.id, apiKey);
      expect(response.json().hasWork).toBe(false);
    }
    // Nothing written yet: the steady heartbeats sit in the presence buffer.
    for (const { agent } of agents) expect((await storedAgent(agent.id)).last_heartbeat_at).toBe(firstBeat);
    expect(await server.services.heartbeats.flushPresence()).toBe(3);
    for (const { agent } of agents) expect((await storedAgent(agent.id)).last_heartbeat_at).toBe(server.clock.now().toISOString());
    expect(await server.services.heartbeats.flushPresence()).toBe(0);
  });

  // The tailer has read every local commit, so summaries may be stored and used again.
  const settle = async () => {
    server.stream.tailer.wake();
    await server.stream.tailer.waitUntilIdle();
  };
  const agentPrincipal = (agentId: string) => ({
    kind: 'agent' as const,
    id: agentId,
    workspaceId: server.workspaceId,
    role: 'agent' as const,
    sessionId: null,
  });

  it('answers a steady heartbeat from memory, without a statement', async () => {
    const { agent, apiKey } = await server.createAgentWithKey({ heartbeatIntervalSeconds: 30 });
    await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: 'Queued', assignees: [{ kind: 'agent', id: agent.id }] },
    });
    await heartbeat(agent.id, apiKey); // offline → idle: written at once
    await settle();
    const read = (await heartbeat(agent.id, apiKey)).json(); // read once, kept
    server.clock.advance(5_000);
    const { result, statements } = await countStatements(() =>
      server.services.heartbeats.heartbeat(agentPrincipal(agent.id), agent.id, {}),
    );
    expect(statements).toEqual([]);
    expect(result).toMatchObject({
      agent: { id: agent.id, status: 'idle', lastHeartbeatAt: server.clock.now().toISOString() },
      notifications: read.notifications,
      assignedTasks: read.assignedTasks,
      hasWork: true,
      offlineAfter: new Date(server.clock.now().getTime() + 90_000).toISOString(),
    });
    // Through HTTP the same beat answers the same (the API key's lookup is the request's only statement).
    const overHttp = (await heartbeat(agent.id, apiKey)).json();
    expect(overHttp.assignedTasks).toEqual(read.assignedTasks);
    // Presence is still coalesced and written by the flush.
    await server.services.heartbeats.flushPresence();
    expect((await storedAgent(agent.id)).last_heartbeat_at).toBe(server.clock.now().toISOString());
  });

  it('answers what changed at once, before the stream has caught up', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    await heartbeat(agent.id, apiKey);
    await settle();
    expect((await heartbeat(agent.id, apiKey)).json().hasWork).toBe(false);
    await settle();
    const steadyBeat = () => server.services.heartbeats.heartbeat(agentPrincipal(agent.id), agent.id, {});
    expect((await countStatements(steadyBeat)).statements).toEqual([]);

    // A write acknowledged by this instance shows on the very next beat.
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'New', assignees: [{ kind: 'agent', id: agent.id }] } });
    const afterAssign = (await heartbeat(agent.id, apiKey)).json();
    expect(afterAssign.assignedTasks.map((task: { title: string }) => task.title)).toEqual(['New']);
    expect(afterAssign.notifications.unreadCount).toBe(1);
    await settle();
    await heartbeat(agent.id, apiKey);

    // Reading notifications writes no event; the summary is dropped all the same.
    expect((await server.request({ method: 'POST', url: '/api/v1/notifications/mark-all-read', token: apiKey })).statusCode).toBe(200);
    expect((await heartbeat(agent.id, apiKey)).json().notifications.unreadCount).toBe(0);

    // A change of status reported by the agent is a transition: written with its event.
    const blocked = (await heartbeat(agent.id, apiKey, { status: 'blocked' })).json();
    expect(blocked.agent.status).toBe('blocked');
    expect((await storedAgent(agent.id)).status).toBe('blocked');
  });

  it('renews leases past half their term', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Long job' } });
    const claimed = (
      await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/claim', payload: { leaseSeconds: 60 }, token: apiKey })
    ).json();
    server.clock.advance(10_000);
    const early = (await heartbeat(agent.id, apiKey)).json();
    expect(early.leases).toEqual([{ taskId: claimed.task.id, key: 'TASK-1', expiresAt: claimed.lease.expiresAt }]);
    server.clock.advance(30_000);
    const renewed = (await heartbeat(agent.id, apiKey)).json();
    expect(renewed.leases[0].expiresAt).toBe(new Date(server.clock.now().getTime() + 60_000).toISOString());
    const stored = await server.database.db.selectFrom('tasks').select('lease_expires_at').executeTakeFirstOrThrow();
    expect(stored.lease_expires_at).toBe(renewed.leases[0].expiresAt);
  });

  it('turns a silent agent offline, returns its work to the board and tells the lead', async () => {
    const lead = await server.createAgentWithKey({ name: 'lead', kind: 'lead' });
    const worker = await server.createAgentWithKey({ name: 'worker', heartbeatIntervalSeconds: 10 });
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Half done' } });
    await heartbeat(worker.agent.id, worker.apiKey);
    await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/claim', payload: { leaseSeconds: 300 }, token: worker.apiKey });

    server.clock.advance(29_000);
    expect(await server.services.heartbeats.markSilentAgentsOffline()).toBe(0);
    server.clock.advance(2_000);
    expect(await server.services.heartbeats.markSilentAgentsOffline()).toBe(1);

    expect((await storedAgent(worker.agent.id)).status).toBe('offline');
    const task = (await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1' })).json();
    expect(task).toMatchObject({ status: 'inbox', assignees: [], lease: null });
    const leadView = (await heartbeat(lead.agent.id, lead.apiKey)).json();
    expect(leadView.lead).toEqual({ inboxCount: 1, blockedCount: 0 });
    expect(leadView.notifications.latest[0].content).toContain('worker stopped sending heartbeats');
    expect(leadView.hasWork).toBe(true);

    // Coming back is a transition: written at once, with an event.
    const back = (await heartbeat(worker.agent.id, worker.apiKey)).json();
    expect(back.agent.status).toBe('idle');
  });

  it('tells the owners and admins, not members, when an agent goes offline, in words', async () => {
    const admin = await server.addMember({ email: 'ada@example.com', role: 'admin' });
    const member = await server.addMember({ email: 'max@example.com', role: 'member' });
    const worker = await server.createAgentWithKey({ name: 'forge', heartbeatIntervalSeconds: 60 });
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Half done' } });
    await heartbeat(worker.agent.id, worker.apiKey);
    await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/claim', payload: { leaseSeconds: 600 }, token: worker.apiKey });
    server.clock.advance(181_000);
    expect(await server.services.heartbeats.markSilentAgentsOffline()).toBe(1);

    const unread = async (token?: string) =>
      (await server.request({ method: 'GET', url: '/api/v1/notifications?unread=true', ...(token ? { token } : {}) })).json().data as {
        reason: string;
        taskId: string | null;
        content: string;
      }[];
    const expected = 'forge went offline: no heartbeat for 3 minutes. Its task went back to the board.';
    for (const token of [undefined, admin.token]) {
      const offline = (await unread(token)).filter((notification) => notification.taskId === null);
      expect(offline).toHaveLength(1);
      expect(offline[0]).toMatchObject({ reason: 'system' });
      expect(offline[0]?.content).toContain(expected);
    }
    expect((await unread(member.token)).some((notification) => notification.content.includes('went offline'))).toBe(false);
    const stored = await server.database.db
      .selectFrom('notifications')
      .select(['recipient_id', 'kind'])
      .where('content', 'like', 'forge went offline%')
      .execute();
    expect(stored.map((row) => row.kind)).toEqual(['system', 'system']);
    // The feed says it in the same words, not with a timestamp.
    const feed = await server.database.db
      .selectFrom('events')
      .select('summary')
      .where('agent_id', '=', worker.agent.id)
      .where('type', '=', 'agent-status-changed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(feed.summary).toBe('forge went offline: no heartbeat for 3 minutes');

    // Still offline on the next pass: nobody is told twice.
    server.clock.advance(60_000);
    expect(await server.services.heartbeats.markSilentAgentsOffline()).toBe(0);
    expect((await unread(admin.token)).filter((notification) => notification.content.includes('went offline'))).toHaveLength(1);
  });

  it('lets an agent beat only for itself, and validates the body', async () => {
    const first = await server.createAgentWithKey();
    const second = await server.createAgentWithKey();
    expect((await heartbeat(first.agent.id, second.apiKey)).statusCode).toBe(403);
    expect((await heartbeat(first.agent.id, first.apiKey, { status: 'sleeping' })).statusCode).toBe(400);
    const otherToken = await server.createOtherWorkspaceToken();
    expect((await heartbeat(first.agent.id, otherToken)).statusCode).toBe(404);
    const reported = await heartbeat(first.agent.id, first.apiKey, { status: 'blocked' });
    expect(reported.json().agent.status).toBe('blocked');
  });
});
