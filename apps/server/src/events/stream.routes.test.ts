import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { connectStream, type TestStreamClient } from '../test/stream-client.js';
import { createTestServer, type TestServer } from '../test/test-server.js';

describeEachEngine('event stream over WebSockets', (engine) => {
  let server: TestServer;
  let baseUrl: string;
  const clients: TestStreamClient[] = [];

  beforeEach(async () => {
    server = await createTestServer(engine, { stream: { maxSubscriptionsPerPrincipal: 3, authTimeoutMs: 500 } });
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = address.replace('http', 'ws');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server.close();
  });

  const connect = (path: string) => {
    const client = connectStream(`${baseUrl}${path}`);
    clients.push(client);
    return client;
  };
  const ready = (client: TestStreamClient) => client.waitFor((messages) => messages.some((message) => message.type === 'ready'), 'ready');
  const createTask = (title: string, extra: Record<string, unknown> = {}, token?: string) =>
    server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title, ...extra }, ...(token ? { token } : {}) });

  it('shows a task created over REST to two connected clients, in order', async () => {
    const first = connect(`/api/v1/ws/activities?token=${server.ownerToken}`);
    const second = connect(`/api/v1/ws/activities?token=${server.ownerToken}`);
    await Promise.all([ready(first), ready(second)]);
    const { apiKey } = await server.createAgentWithKey();
    await createTask('Seen by everyone', {}, apiKey);
    await createTask('And this one too', {}, apiKey);
    for (const client of [first, second]) {
      await client.waitFor(
        (messages) => messages.filter((message) => message.type === 'event' && message.data.type === 'task-created').length === 2,
      );
      const created = client.events().filter((message) => message.data.type === 'task-created');
      expect(created.map((message) => (message.data.type === 'task-created' ? message.data.data.title : null))).toEqual([
        'Seen by everyone',
        'And this one too',
      ]);
      const seqs = client.events().map((message) => message.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(created[0]?.at).toBe(created[0]?.data.createdAt);
    }
  });

  it('replays exactly what was missed when resuming from the middle of a burst, then goes live', async () => {
    for (let index = 0; index < 30; index += 1) await createTask(`Burst ${index}`);
    const all = await server.database.db
      .selectFrom('events')
      .select('seq')
      .where('workspace_id', '=', server.workspaceId)
      .orderBy('seq')
      .execute();
    const middle = all[Math.floor(all.length / 2)]?.seq as number;
    const expected = all.filter((row) => row.seq > middle).map((row) => row.seq);

    const client = connect(`/api/v1/ws/activities?token=${server.ownerToken}&after=${middle}`);
    await ready(client);
    expect(client.events().map((message) => message.seq)).toEqual(expected);
    const readyMessage = client.messages.find((message) => message.type === 'ready');
    expect(readyMessage?.seq).toBeGreaterThanOrEqual(expected[expected.length - 1] as number);

    await createTask('After the replay');
    await client.waitFor((messages) =>
      messages.some(
        (message) => message.type === 'event' && message.data.type === 'task-created' && message.data.data.title === 'After the replay',
      ),
    );
    const seqs = client.events().map((message) => message.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('keeps events flowing in order while a client resumes during concurrent writes', async () => {
    const writes = Array.from({ length: 40 }, (_, index) => createTask(`Concurrent ${index}`));
    const client = connect(`/api/v1/ws/activities?token=${server.ownerToken}&after=0`);
    await Promise.all(writes);
    const total = await server.database.db
      .selectFrom('events')
      .select('seq')
      .where('workspace_id', '=', server.workspaceId)
      .orderBy('seq')
      .execute();
    await client.waitFor((messages) => messages.filter((message) => message.type === 'event').length >= total.length, 'every event');
    await server.stream.tailer.waitUntilIdle();
    expect(client.events().map((message) => message.seq)).toEqual(total.map((row) => row.seq));
  });

  it('closes a socket with a bad token, saying why', async () => {
    const client = connect('/api/v1/ws/activities?token=mc_not-a-real-key');
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toContain('not valid');
    expect(client.messages[0]).toMatchObject({ type: 'error', data: { code: 'API_KEY_INVALID' } });
    const noToken = connect('/api/v1/ws/activities');
    expect((await noToken.closed).code).toBe(4401);
  });

  it('authenticates by a first {type:"auth"} message, with no secret in the URL', async () => {
    const { apiKey } = await server.createAgentWithKey();
    const client = connectStream(`${baseUrl}/api/v1/ws/activities`, { authToken: apiKey });
    clients.push(client);
    await ready(client);
    await createTask('Seen after a message login');
    await client.waitFor((messages) => messages.some((message) => message.type === 'event' && message.data.type === 'task-created'));
  });

  it('closes with 4401 when no credential comes in time, or the first message is not an auth message', async () => {
    const silent = connect('/api/v1/ws/activities');
    expect((await silent.closed).code).toBe(4401);
    expect(silent.messages[0]).toMatchObject({ type: 'error', data: { code: 'UNAUTHENTICATED' } });
    const chatty = connect('/api/v1/ws/activities');
    await new Promise<void>((resolve) => chatty.socket.on('open', () => resolve()));
    chatty.socket.send('{"type":"ping"}');
    expect((await chatty.closed).code).toBe(4401);
    const wrong = connectStream(`${baseUrl}/api/v1/ws/activities`, { authToken: 'mc_not-a-real-key' });
    clients.push(wrong);
    expect((await wrong.closed).code).toBe(4401);
    expect(wrong.messages[0]).toMatchObject({ type: 'error', data: { code: 'API_KEY_INVALID' } });
  });

  it('answers CURSOR_AHEAD with the latest seq and closes with 4409 when after is beyond the newest event', async () => {
    await createTask('The newest event');
    const latest = await server.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    const latestSeq = Number(latest.seq);
    const client = connect(`/api/v1/ws/activities?token=${server.ownerToken}&after=${latestSeq + 1_000}`);
    const closed = await client.closed;
    expect(closed.code).toBe(4409);
    expect(client.messages).toEqual([
      expect.objectContaining({ type: 'error', data: expect.objectContaining({ code: 'CURSOR_AHEAD', latestSeq }) }),
    ]);
    // Resuming from the latest seq it was given works, and a cursor equal to the head is not ahead.
    const resumed = connect(`/api/v1/ws/activities?token=${server.ownerToken}&after=${latestSeq}`);
    await ready(resumed);
    await createTask('After the reset');
    await resumed.waitFor((messages) => messages.some((message) => message.type === 'event' && message.data.type === 'task-created'));
  });

  it('streams to an agent only what concerns it, and marks its notifications delivered', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const client = connect(`/api/v1/ws/agents/${agent.id}?token=${apiKey}`);
    await ready(client);
    await createTask('Not for the agent');
    const mine = (await createTask('For the agent', { assignees: [{ kind: 'agent', id: agent.id }] })).json();
    await server.request({ method: 'PATCH', url: `/api/v1/tasks/${mine.id}`, payload: { priority: 'urgent' } });
    await client.waitFor((messages) => messages.some((message) => message.type === 'event' && message.data.type === 'task-updated'));
    const types = client.events().map((message) => message.data.type);
    expect(types).toEqual(['task-created', 'notification-created', 'task-updated']);
    expect(client.events().every((message) => message.data.taskId === mine.id)).toBe(true);

    await server.stream.tailer.waitUntilIdle();
    await new Promise((resolve) => setImmediate(resolve));
    await expect
      .poll(async () => {
        const row = await server.database.db
          .selectFrom('notifications')
          .select('delivered_at')
          .where('recipient_id', '=', agent.id)
          .executeTakeFirst();
        return row?.delivered_at ?? null;
      })
      .not.toBeNull();

    const other = await server.createAgentWithKey();
    const spy = connect(`/api/v1/ws/agents/${agent.id}?token=${other.apiKey}`);
    expect((await spy.closed).code).toBe(4404);
  });

  it('leaves no subscription behind for clients that hang up while being authenticated', async () => {
    for (let index = 0; index < 6; index += 1) {
      const client = connect(`/api/v1/ws/activities?token=${server.ownerToken}`);
      await new Promise<void>((resolve) => client.socket.on('open', () => resolve()));
      client.socket.terminate();
      await client.closed;
    }
    await expect.poll(() => server.stream.hub.subscriptionCount).toBe(0);
    await expect.poll(() => server.stream.credentials.watchCount).toBe(0);
    // The cap is 3 in this suite: six abandoned sockets must not have used it up.
    const survivor = connect(`/api/v1/ws/activities?token=${server.ownerToken}`);
    await ready(survivor);
  });

  it('caps open streams per principal', async () => {
    const open = [1, 2, 3].map(() => connect(`/api/v1/ws/activities?token=${server.ownerToken}`));
    await Promise.all(open.map(ready));
    const extra = connect(`/api/v1/ws/activities?token=${server.ownerToken}`);
    const closed = await extra.closed;
    expect(closed.code).toBe(4429);
    open[0]?.close();
    await open[0]?.closed;
    await expect.poll(() => server.stream.hub.subscriptionCount).toBe(2);
    const again = connect(`/api/v1/ws/activities?token=${server.ownerToken}`);
    await ready(again);
  });
});
