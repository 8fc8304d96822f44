import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMissionControlError, MissionControl, MissionControlError } from './index.js';
import { describeEachEngine, ownerEmail, ownerPassword, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('the SDK against a real server', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server.close();
  });

  const agentClient = async (input: Record<string, unknown> = {}) => {
    const { agent, apiKey } = await server.createAgentWithKey(input);
    return { agent, client: new MissionControl({ baseUrl: server.url, apiKey }) };
  };

  it('signs in with a password and uses the new access token from then on', async () => {
    const client = new MissionControl({ baseUrl: `${server.url}/api/v1/` });
    const session = await client.auth.login({ email: ownerEmail, password: ownerPassword });
    expect(session.tokenType).toBe('Bearer');
    const me = await client.auth.me();
    expect(me.kind).toBe('user');
    expect((await client.workspaces.current()).id).toBe(server.workspaceId);
  });

  it('claims the next task, reports progress, finishes it with the lease token, then gets null', async () => {
    const { agent, client } = await agentClient({ capabilities: ['typescript'] });
    const created = await owner.tasks.create({ title: 'Ship the SDK', requiredCapabilities: ['typescript'], priority: 'urgent' });

    const claimed = await client.tasks.claimNext();
    expect(claimed?.task.id).toBe(created.id);
    expect(claimed?.lease.holder).toEqual({ kind: 'agent', id: agent.id });
    const leaseToken = claimed?.lease.token ?? '';

    const message = await client.messages.post(created.key, { content: 'Working on it', type: 'status_update' });
    const reply = await owner.messages.post(created.id, { content: 'Thanks', replyToId: message.id });
    expect(reply.replyToId).toBe(message.id);
    const thread = await client.messages.list(created.key).toArray();
    expect(thread.map((entry) => entry.content)).toEqual(['Working on it', 'Thanks']);

    const done = await client.tasks.updateStatus(created.key, { status: 'done', leaseToken, reason: 'shipped' });
    expect(done.status).toBe('done');
    expect((await owner.tasks.get(created.id)).status).toBe('done');
    expect(await client.tasks.claimNext()).toBeNull();
  });

  it('surfaces server errors as MissionControlError with code, status and message', async () => {
    const missing = await owner.tasks.get('TASK-99999').catch((error: unknown) => error);
    expect(isMissionControlError(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 'TASK_NOT_FOUND', status: 404 });

    const invalid = await owner.tasks.create({ title: '' }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(MissionControlError);
    expect(invalid).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });

    const { client } = await agentClient();
    const task = await owner.tasks.create({ title: 'Contended' });
    const claim = await client.tasks.claim(task.key);
    const withoutToken = await client.tasks.updateStatus(task.key, { status: 'review' }).catch((error: unknown) => error);
    expect(withoutToken).toMatchObject({ code: 'LEASE_REQUIRED', status: 409 });
    await client.tasks.release(task.key, { leaseToken: claim.lease.token, status: 'blocked', reason: 'waiting' });
    expect((await owner.tasks.get(task.key)).status).toBe('blocked');

    const badKey = new MissionControl({ baseUrl: server.url, apiKey: 'mc_not_a_real_key', retry: { retries: 0 } });
    await expect(badKey.auth.me()).rejects.toMatchObject({ status: 401 });
  });

  it('walks every page of a list with for await, and one page with page()', async () => {
    const marker = `paged-${Math.random().toString(36).slice(2, 8)}`;
    for (let index = 0; index < 5; index += 1) await owner.tasks.create({ title: `${marker} ${index}` });
    const titles: string[] = [];
    for await (const task of owner.tasks.list({ q: marker, limit: 2 })) titles.push(task.title);
    expect(titles.sort()).toEqual([0, 1, 2, 3, 4].map((index) => `${marker} ${index}`));

    const first = await owner.tasks.list({ q: marker, limit: 2 }).page();
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await owner.tasks.list({ q: marker, limit: 2 }).page(first.nextCursor);
    expect(second.data.map((task) => task.id)).not.toContain(first.data[0]?.id);
  });

  it('heartbeats for the agent behind the key and hears about assigned work and mentions', async () => {
    const { agent, client } = await agentClient();
    const task = await owner.tasks.create({ title: 'For the heartbeat', assignees: [{ kind: 'agent', id: agent.id }] });
    await owner.messages.post(task.key, { content: `@${agent.name} please look` });
    const beat = await client.agents.heartbeat({ status: 'active' });
    expect(beat.agent.id).toBe(agent.id);
    expect(beat.hasWork).toBe(true);
    expect(beat.assignedTasks.map((assigned) => assigned.id)).toContain(task.id);

    const page = await client.notifications.list({ unread: true }).page();
    expect(page.unreadCount).toBeGreaterThan(0);
    const first = page.data[0];
    if (!first) throw new Error('expected a notification');
    expect((await client.notifications.markRead(first.id)).readAt).not.toBeNull();
    await client.notifications.markAllRead();
    expect((await client.notifications.list({ unread: true }).page()).unreadCount).toBe(0);
  });

  it('replaces an agent: fields left out take their registration defaults, the status is kept', async () => {
    const created = await owner.agents.create({ name: `replaced-${engine}`, role: 'Writer', capabilities: ['copy'], concurrencyLimit: 3 });
    const replaced = await owner.agents.replace(created.id, { name: created.name, role: 'Editor', kind: 'reviewer' });
    expect(replaced).toMatchObject({
      id: created.id,
      role: 'Editor',
      kind: 'reviewer',
      status: created.status,
      capabilities: [],
      concurrencyLimit: 1,
      sessionKey: `agent:editor:${created.name}`,
    });
    expect(await owner.agents.get(created.id)).toEqual(replaced);
  });

  it('reads the health report without credentials', async () => {
    const anonymous = new MissionControl({ baseUrl: server.url });
    expect(await anonymous.health()).toMatchObject({ status: 'ok', database: { status: 'up', engine } });
  });

  it('writes documents in versions and refuses a stale base version', async () => {
    const document = await owner.documents.create({ title: 'Plan', content: '# v1' });
    const second = await owner.documents.update(document.id, { content: '# v2', baseVersion: 1 });
    expect(second.version).toBe(2);
    await expect(owner.documents.update(document.id, { content: '# stale', baseVersion: 1 })).rejects.toMatchObject({
      code: 'DOCUMENT_VERSION_CONFLICT',
    });
    const versions = await owner.documents.listVersions(document.id).toArray();
    expect(versions.map((version) => version.version)).toEqual([2, 1]);
    expect((await owner.documents.getVersion(document.id, 1)).content).toBe('# v1');
    const replaced = await owner.documents.replace(document.id, { title: 'Plan (final)', baseVersion: 2 });
    expect(replaced).toMatchObject({ version: 3, title: 'Plan (final)', content: '', type: 'deliverable' });
  });

  it('updates WORKING.md with If-Match and answers 412 to a stale version', async () => {
    const state = await owner.workingState.get();
    const updated = await owner.workingState.update({ notes: 'Focus: the SDK', version: state.version });
    expect(updated.version).toBe(state.version + 1);
    expect(await owner.workingState.getMarkdown()).toContain('Focus: the SDK');
    await expect(owner.workingState.update({ notes: 'stale', version: state.version })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      status: 412,
    });
  });

  it('subscribes to events, reconnects after the server drops the socket and resumes without duplicates', async () => {
    const seen: number[] = [];
    const titles: string[] = [];
    const errors: string[] = [];
    let readyCount = 0;
    const unsubscribe = owner.events.subscribe({
      onEvent: (activity, seq) => {
        seen.push(seq);
        if (activity.type === 'task-created') titles.push(String(activity.summary));
      },
      onReady: () => {
        readyCount += 1;
      },
      onError: (error) => errors.push(error.code),
    });
    const client = new MissionControl({
      baseUrl: server.url,
      accessToken: server.ownerToken,
      reconnect: { minDelayMs: 20, maxDelayMs: 100 },
    });
    try {
      await expect.poll(() => readyCount).toBe(1);
      await client.tasks.create({ title: 'before the drop' });
      await expect.poll(() => titles.some((title) => title.includes('before the drop'))).toBe(true);

      server.dropSockets();
      // Written while the client is disconnected: it must arrive through the replay after the reconnect.
      await client.tasks.create({ title: 'during the drop' });
      await expect.poll(() => readyCount, { timeout: 10_000 }).toBe(2);
      await client.tasks.create({ title: 'after the drop' });
      await expect.poll(() => titles.some((title) => title.includes('after the drop'))).toBe(true);

      expect(titles.filter((title) => title.includes('during the drop'))).toHaveLength(1);
      expect(errors).toContain('NETWORK_ERROR');
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((left, right) => left - right)).toEqual(seen);
    } finally {
      unsubscribe();
    }
  });

  it('replays the backlog after a given sequence and follows one agent', async () => {
    const { agent, client } = await agentClient();
    const task = await owner.tasks.create({ title: 'Followed', assignees: [{ kind: 'agent', id: agent.id }] });
    const types: string[] = [];
    const unsubscribe = client.events.subscribe({ agentId: agent.id, after: 0, onEvent: (activity) => types.push(activity.type) });
    try {
      await expect.poll(() => types.includes('task-assigned') || types.includes('task-created')).toBe(true);
      await client.messages.post(task.key, { content: 'on it' });
      await expect.poll(() => types.includes('message-posted')).toBe(true);
    } finally {
      unsubscribe();
    }
  });

  it('gives up on the stream when the key is refused, saying so', async () => {
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_wrong' });
    const failures: { code: string; willReconnect: boolean }[] = [];
    const unsubscribe = client.events.subscribe({
      onEvent: () => {},
      onError: (error, state) => failures.push({ code: error.code, ...state }),
    });
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0]?.willReconnect).toBe(false);
    unsubscribe();
  });
});

describe('MissionControl.fromEnvironment', () => {
  it('reads MISSION_URL and MISSION_API_KEY', () => {
    const client = MissionControl.fromEnvironment({ MISSION_URL: 'http://127.0.0.1:4000/', MISSION_API_KEY: 'mc_x' });
    expect(client.baseUrl).toBe('http://127.0.0.1:4000');
  });

  it('says which variable is missing and how to set it', () => {
    expect(() => MissionControl.fromEnvironment({ MISSION_URL: 'http://127.0.0.1:4000' })).toThrow(/MISSION_API_KEY is not set/);
    expect(() => MissionControl.fromEnvironment({})).toThrow(/MISSION_URL is not set/);
  });
});
