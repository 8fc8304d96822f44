import type { StreamMessage } from '@mission-control/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { connectStream, type TestStreamClient } from '../test/stream-client.js';
import { createTestServer, type TestServer } from '../test/test-server.js';

describeEachEngine('open streams stop when their credential stops giving access', (engine) => {
  let server: TestServer;
  let baseUrl: string;
  const clients: TestStreamClient[] = [];

  beforeEach(async () => {
    server = await createTestServer(engine, { stream: { expiryCheckIntervalMs: 50, authTimeoutMs: 500 } });
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = address.replace('http', 'ws');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server.close();
  });

  /** A socket on the workspace stream, authenticated by its first message. */
  const connect = async (token: string, path = '/api/v1/ws/activities') => {
    const client = connectStream(`${baseUrl}${path}`, { authToken: token });
    clients.push(client);
    await client.waitFor((messages) => messages.some((message) => message.type === 'ready'), 'ready');
    return client;
  };
  const lastMessage = (client: TestStreamClient): StreamMessage | undefined => client.messages.at(-1);

  /** Adds a person to the workspace, signs them in and returns their tokens. */
  const addMember = async (email: string) => {
    const password = 'a long enough password';
    const added = await server.addMember({ email, role: 'member', password });
    const login = await server.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, token: null });
    const tokens = login.json() as { accessToken: string; refreshToken: string };
    return { id: added.id, ...tokens };
  };

  const expectClosedWith = async (client: TestStreamClient, closeCode: number, errorCode: string) => {
    const closed = await client.closed;
    expect(closed.code).toBe(closeCode);
    expect(closed.reason.length).toBeGreaterThan(0);
    expect(lastMessage(client)).toMatchObject({ type: 'error', data: { code: errorCode } });
    // Nothing reaches a closed socket: a later event is not in its messages.
    const count = client.messages.length;
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'After the close' } });
    await server.stream.tailer.waitUntilIdle();
    expect(client.messages).toHaveLength(count);
  };

  it('closes an agent-key socket with 4401 API_KEY_REVOKED when the key is revoked, and only that one', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const second = await server.request({ method: 'POST', url: `/api/v1/agents/${agent.id}/api-keys`, payload: { name: 'second' } });
    const revoked = await connect(apiKey);
    const untouched = await connect(second.json().secret);
    const keys = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/api-keys` });
    const first = keys.json().data.find((key: { name: string }) => key.name === 'test');
    expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}/api-keys/${first.id}` })).statusCode).toBe(200);
    await expectClosedWith(revoked, 4401, 'API_KEY_REVOKED');
    await untouched.waitFor((messages) => messages.some((message) => message.type === 'event' && message.data.type === 'task-created'));
    expect(untouched.socket.readyState).toBe(untouched.socket.OPEN);
  });

  it('closes the sockets of a deleted agent with 4401, on both streams', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const workspace = await connect(apiKey);
    const own = await connect(apiKey, `/api/v1/ws/agents/${agent.id}`);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}` })).statusCode).toBe(204);
    await expectClosedWith(workspace, 4401, 'API_KEY_REVOKED');
    await expectClosedWith(own, 4401, 'API_KEY_REVOKED');
  });

  it('closes a removed member’s socket with 4403 FORBIDDEN', async () => {
    const member = await addMember('leaving@example.com');
    const client = await connect(member.accessToken);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/members/${member.id}` })).statusCode).toBe(204);
    await expectClosedWith(client, 4403, 'FORBIDDEN');
  });

  it('keeps streaming to a member whose role was lowered to viewer, which may still read the workspace', async () => {
    const member = await addMember('demoted@example.com');
    const client = await connect(member.accessToken);
    const lowered = await server.request({ method: 'PATCH', url: `/api/v1/members/${member.id}`, payload: { role: 'viewer' } });
    expect(lowered.statusCode).toBe(200);
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Still visible to viewers' } });
    await client.waitFor((messages) => messages.some((message) => message.type === 'event' && message.data.type === 'task-created'));
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('closes the socket of a session that signed out with 4401 TOKEN_INVALID, and not the owner’s other session', async () => {
    const member = await addMember('signing-out@example.com');
    const client = await connect(member.accessToken);
    const owner = await connect(server.ownerToken);
    const logout = await server.request({ method: 'POST', url: '/api/v1/auth/logout', payload: {}, token: member.accessToken });
    expect(logout.statusCode).toBe(204);
    await expectClosedWith(client, 4401, 'TOKEN_INVALID');
    expect(owner.socket.readyState).toBe(owner.socket.OPEN);
    const ended = await server.database.db.selectFrom('events').selectAll().where('type', '=', 'session-ended').execute();
    expect(ended.map((row) => row.actor_id)).toEqual([member.id]);
  });

  it('closes the socket of a session ended for refresh-token reuse with 4401', async () => {
    const member = await addMember('replayed@example.com');
    const client = await connect(member.accessToken);
    const refresh = () =>
      server.request({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: member.refreshToken }, token: null });
    expect((await refresh()).statusCode).toBe(200);
    // Past any grace window for a retried refresh: this is a replay.
    server.clock.advance(60_000);
    const replay = await refresh();
    expect(replay.json().error.code).toBe('REFRESH_TOKEN_REUSED');
    await expectClosedWith(client, 4401, 'TOKEN_INVALID');
  });

  it('closes a socket at its access token’s expiry with 4401 TOKEN_EXPIRED', async () => {
    const client = await connect(server.ownerToken);
    server.clock.advance(899_000);
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Before the expiry' } });
    await client.waitFor((messages) => messages.some((message) => message.type === 'event' && message.data.type === 'task-created'));
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    server.clock.advance(2_000);
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(lastMessage(client)).toMatchObject({ type: 'error', data: { code: 'TOKEN_EXPIRED' } });
  });

  it('closes a socket at its API key’s expiry with 4401', async () => {
    const { agent } = await server.createAgentWithKey();
    const expiresAt = new Date(server.clock.now().getTime() + 60_000).toISOString();
    const key = await server.request({ method: 'POST', url: `/api/v1/agents/${agent.id}/api-keys`, payload: { name: 'brief', expiresAt } });
    const client = await connect(key.json().secret);
    server.clock.advance(61_000);
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(lastMessage(client)).toMatchObject({ type: 'error', data: { code: 'API_KEY_REVOKED' } });
  });
});
