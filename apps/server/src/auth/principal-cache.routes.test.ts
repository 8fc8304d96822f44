import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { countStatements } from '../test/statement-count.js';
import { createSecondInstance, createTestServer, type SecondInstance, type TestServer } from '../test/test-server.js';

describeEachEngine('principals answered from memory', (engine) => {
  let server: TestServer;
  let second: SecondInstance | undefined;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await second?.close();
    second = undefined;
    await server.close();
  });

  // The tailer has read every local commit: credentials may be kept again.
  const settle = async (stream = server.stream) => {
    stream.tailer.wake();
    await stream.tailer.waitUntilIdle();
  };
  const heartbeat = (agentId: string, token: string) =>
    server.request({ method: 'POST', url: `/api/v1/agents/${agentId}/heartbeat`, token });
  const me = (token: string) => server.request({ method: 'GET', url: '/api/v1/auth/me', token });
  /**
   * The statements of what the authenticate hook does for a request (app.inject does not carry the
   * counter's async context into Fastify's hooks, so the steps are called as the hook calls them).
   */
  const authenticationStatements = async (credential: string, auth = server.services.auth) =>
    (await countStatements(() => auth.authenticate(credential))).statements;
  /** A steady heartbeat as the route runs it: the credential resolved, then the beat. */
  const countedBeat = (agentId: string, apiKey: string) =>
    countStatements(async () => {
      const principal = await server.services.auth.authenticate(apiKey);
      return server.services.heartbeats.heartbeat(principal, agentId, {});
    });
  const keyIdOf = async (agentId: string) =>
    (await server.request({ method: 'GET', url: `/api/v1/agents/${agentId}/api-keys` })).json().data[0] as {
      id: string;
      lastUsedAt: string | null;
    };

  /** An agent that came online and whose key and heartbeat are kept: its next beat runs no statement. */
  const steadyAgent = async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    expect((await heartbeat(agent.id, apiKey)).statusCode).toBe(200); // offline → idle, written at once
    await settle();
    expect((await heartbeat(agent.id, apiKey)).statusCode).toBe(200); // key and summary read once, kept
    return { agent, apiKey };
  };

  it('answers a steady heartbeat over HTTP without a statement', async () => {
    const { agent, apiKey } = await steadyAgent();
    server.clock.advance(500);
    const { result, statements } = await countedBeat(agent.id, apiKey);
    expect(result.agent).toMatchObject({ id: agent.id, lastHeartbeatAt: server.clock.now().toISOString() });
    expect(statements).toEqual([]);
    // The route answers the same from memory.
    expect((await heartbeat(agent.id, apiKey)).json().agent.lastHeartbeatAt).toBe(server.clock.now().toISOString());
    // A second later the key is looked up again (one statement), and kept for the next second.
    server.clock.advance(1_000);
    expect((await countedBeat(agent.id, apiKey)).statements).toEqual([expect.stringContaining('"api_keys"')]);
    expect((await countedBeat(agent.id, apiKey)).statements).toEqual([]);
  });

  it('refuses a revoked key on the very next request, before the stream has caught up', async () => {
    const { agent, apiKey } = await steadyAgent();
    const key = await keyIdOf(agent.id);
    expect(await authenticationStatements(apiKey)).toEqual([]); // answered from memory until now
    const revoked = await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}/api-keys/${key.id}` });
    expect(revoked.statusCode).toBe(200);
    const refused = await heartbeat(agent.id, apiKey);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('API_KEY_REVOKED');
    await settle();
    expect((await heartbeat(agent.id, apiKey)).statusCode).toBe(401);
  });

  it('refuses the key of a deleted agent at once', async () => {
    const { agent, apiKey } = await steadyAgent();
    await settle();
    expect(await authenticationStatements(apiKey)).toEqual([]);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}` })).statusCode).toBe(204);
    const refused = await heartbeat(agent.id, apiKey);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('API_KEY_REVOKED');
  });

  it('ends a signed-out session at once, and keeps the other sessions', async () => {
    const member = await server.addMember({ email: 'leaving@example.com' });
    await settle();
    expect((await me(member.token)).statusCode).toBe(200);
    expect(await authenticationStatements(member.token)).toEqual([]);
    expect((await server.request({ method: 'POST', url: '/api/v1/auth/logout', token: member.token, payload: {} })).statusCode).toBe(204);
    const refused = await me(member.token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('TOKEN_INVALID');
    expect((await me(server.ownerToken)).statusCode).toBe(200);
  });

  it('follows a membership change at once: a new role, then removal for the member’s token and personal key', async () => {
    const member = await server.addMember({ email: 'moving@example.com', role: 'member' });
    const created = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', token: member.token, payload: { name: 'mine' } });
    const personalKey = created.json().secret as string;
    await settle();
    for (const credential of [member.token, personalKey]) expect((await me(credential)).json().role).toBe('member');
    await settle();
    expect(await authenticationStatements(personalKey)).toEqual([]);

    const demoted = await server.request({ method: 'PATCH', url: `/api/v1/members/${member.id}`, payload: { role: 'viewer' } });
    expect(demoted.statusCode).toBe(200);
    for (const credential of [member.token, personalKey]) expect((await me(credential)).json().role).toBe('viewer');
    await settle();

    expect((await server.request({ method: 'DELETE', url: `/api/v1/members/${member.id}` })).statusCode).toBe(204);
    for (const credential of [member.token, personalKey]) expect((await me(credential)).statusCode).toBe(401);
  });

  it('never answers an expired key from memory', async () => {
    const { agent } = await server.createAgentWithKey();
    const expiresAt = new Date(server.clock.now().getTime() + 800).toISOString();
    const created = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/api-keys`,
      payload: { name: 'short', expiresAt },
    });
    const apiKey = created.json().secret as string;
    expect((await heartbeat(agent.id, apiKey)).statusCode).toBe(200);
    await settle();
    expect((await heartbeat(agent.id, apiKey)).statusCode).toBe(200);
    server.clock.advance(500);
    expect(await authenticationStatements(apiKey)).toEqual([]);
    // Expired 300 ms later, before the second the key would otherwise be kept.
    server.clock.advance(300);
    const refused = await heartbeat(agent.id, apiKey);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toMatchObject({ code: 'API_KEY_REVOKED', message: 'This API key has expired. Create a new one.' });
  });

  it('still records when a key was last used, at most once a minute', async () => {
    const { agent, apiKey } = await steadyAgent();
    const firstUse = (await keyIdOf(agent.id)).lastUsedAt;
    expect(firstUse).not.toBeNull();
    server.clock.advance(30_000);
    await heartbeat(agent.id, apiKey);
    expect((await keyIdOf(agent.id)).lastUsedAt).toBe(firstUse);
    server.clock.advance(31_000);
    await heartbeat(agent.id, apiKey);
    expect((await keyIdOf(agent.id)).lastUsedAt).toBe(server.clock.now().toISOString());
  });

  it.runIf(engine === 'postgres')('refuses a key on another instance once that instance’s stream has read the revocation', async () => {
    const other = await createSecondInstance(server);
    second = other;
    const { agent, apiKey } = await server.createAgentWithKey();
    const beatOnOther = () => other.request({ method: 'POST', url: `/api/v1/agents/${agent.id}/heartbeat`, token: apiKey });
    expect((await beatOnOther()).statusCode).toBe(200);
    await settle(other.stream);
    expect((await beatOnOther()).statusCode).toBe(200);
    // The other instance answers the key from memory (the clock stands still from here on, so the
    // one-second lifetime never runs out: only the revoking event can drop it).
    expect(await authenticationStatements(apiKey, other.services.auth)).toEqual([]);

    const key = await keyIdOf(agent.id);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}/api-keys/${key.id}` })).statusCode).toBe(200);
    const revokedAt = await server.database.db
      .selectFrom('events')
      .select('seq')
      .where('type', '=', 'api-key-revoked')
      .executeTakeFirstOrThrow();
    await expect.poll(() => other.stream.tailer.latestSeq).toBeGreaterThanOrEqual(Number(revokedAt.seq));
    const refused = await beatOnOther();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('API_KEY_REVOKED');
  });
});
