import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  canonicalRequestText,
  signatureHeader,
  signatureNonceHeader,
  signatureTimestampHeader,
  signingKeyPurpose,
} from '@mission-control/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';

interface SignOptions {
  method: string;
  url: string;
  body?: string;
  timestamp?: number;
  nonce?: string;
}

/** Signs a request as the SDK does, with node:crypto: the key derived from the secret, the canonical text, v1=<hex>. */
function signRequest(secret: string, options: SignOptions & { timestamp: number }): Record<string, string> {
  const signingKey = createHmac('sha256', secret).update(signingKeyPurpose).digest();
  const timestamp = String(options.timestamp);
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const bodySha256 = createHash('sha256')
    .update(options.body ?? '')
    .digest('hex');
  const text = canonicalRequestText({ method: options.method, pathWithQuery: options.url, timestamp, nonce, bodySha256 });
  return {
    [signatureTimestampHeader]: timestamp,
    [signatureNonceHeader]: nonce,
    [signatureHeader]: `v1=${createHmac('sha256', signingKey).update(text).digest('hex')}`,
  };
}

describeEachEngine('API key controls', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const nowSeconds = () => Math.floor(server.clock.now().getTime() / 1000);
  const sign = (secret: string, options: SignOptions) => signRequest(secret, { timestamp: nowSeconds(), ...options });
  const createAgentKey = async (agentId: string, payload: Record<string, unknown>) => {
    const response = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agentId}/api-keys`,
      payload: { name: 'controlled', ...payload },
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { apiKey: { id: string } & Record<string, unknown>; secret: string };
  };
  const listKeys = async (agentId: string) =>
    (await server.request({ method: 'GET', url: `/api/v1/agents/${agentId}/api-keys` })).json().data as Array<Record<string, unknown>>;
  const heartbeatFrom = (agentId: string, secret: string, remoteAddress: string) =>
    server.request({ method: 'POST', url: `/api/v1/agents/${agentId}/heartbeat`, token: secret, remoteAddress, payload: {} });

  it('lets a key with an address allow-list work only from those addresses, and records where it was last used', async () => {
    const { agent } = await server.createAgentWithKey();
    const created = await createAgentKey(agent.id, { allowedIps: ['10.1.0.0/16', '2001:db8::1'] });
    expect(created.apiKey).toMatchObject({ allowedIps: ['10.1.0.0/16', '2001:db8::1'], lastUsedIp: null, requireSignature: false });

    const refused = await heartbeatFrom(agent.id, created.secret, '192.168.5.5');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'KEY_ADDRESS_NOT_ALLOWED', details: { address: '192.168.5.5' } });
    // The refused address is not the key's last use.
    expect((await listKeys(agent.id)).find((key) => key.id === created.apiKey.id)).toMatchObject({ lastUsedIp: null, lastUsedAt: null });
    server.clock.advance(2_000); // past the principal cache, so the next request looks the key up again

    expect((await heartbeatFrom(agent.id, created.secret, '10.1.200.3')).statusCode).toBe(200);
    expect((await heartbeatFrom(agent.id, created.secret, '2001:db8::1')).statusCode).toBe(200);
    expect((await heartbeatFrom(agent.id, created.secret, '::ffff:10.1.0.9')).statusCode).toBe(200);
    expect((await heartbeatFrom(agent.id, created.secret, '2001:db8::2')).statusCode).toBe(403);
    expect((await listKeys(agent.id)).find((key) => key.id === created.apiKey.id)).toMatchObject({ lastUsedIp: '10.1.200.3' });
  });

  it('refuses an allow-list entry that is not an address or range, and creates nothing', async () => {
    const { agent } = await server.createAgentWithKey();
    const before = await listKeys(agent.id);
    const response = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/api-keys`,
      payload: { name: 'bad', allowedIps: ['10.0.0.0/33'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(await listKeys(agent.id)).toHaveLength(before.length);
  });

  it('counts a key with its own rate limit alone, to that limit', async () => {
    const { agent, apiKey: otherKey } = await server.createAgentWithKey();
    const limited = await createAgentKey(agent.id, { rateLimitPerMinute: 2 });
    expect(limited.apiKey.rateLimitPerMinute).toBe(2);
    const call = (secret: string) => server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}`, token: secret });
    expect((await call(limited.secret)).statusCode).toBe(200);
    expect((await call(limited.secret)).statusCode).toBe(200);
    const third = await call(limited.secret);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('RATE_LIMITED');
    expect(third.json().error.message).toContain('this API key');
    // The agent's other key is not counted with it.
    expect((await call(otherKey)).statusCode).toBe(200);
  });

  it('rotates a key: the new one has the same settings, the old one works through the grace period and is then revoked', async () => {
    const { agent } = await server.createAgentWithKey();
    const old = await createAgentKey(agent.id, {
      scopes: ['tasks.read', 'agents.read'],
      allowedIps: ['127.0.0.1'],
      rateLimitPerMinute: 50,
    });
    const rotated = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/api-keys/${old.apiKey.id}/rotate`,
      payload: { graceSeconds: 60 },
    });
    expect(rotated.statusCode).toBe(201);
    const body = rotated.json();
    expect(body.secret).toMatch(/^mc_/);
    expect(body.apiKey).toMatchObject({
      name: 'controlled',
      scopes: ['agents.read', 'tasks.read'],
      allowedIps: ['127.0.0.1'],
      rateLimitPerMinute: 50,
      replacedById: null,
    });
    expect(body.previous).toMatchObject({ id: old.apiKey.id, replacedById: body.apiKey.id, revokedAt: null });
    expect(Date.parse(body.previous.expiresAt) - server.clock.now().getTime()).toBe(60_000);

    const read = (secret: string) => server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}`, token: secret });
    expect((await read(old.secret)).statusCode).toBe(200);
    expect((await read(body.secret)).statusCode).toBe(200);

    const again = await server.request({ method: 'POST', url: `/api/v1/agents/${agent.id}/api-keys/${old.apiKey.id}/rotate`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'API_KEY_NOT_ROTATABLE',
      details: { reason: 'rotated', replacedById: body.apiKey.id },
    });

    server.clock.advance(61_000);
    expect(await server.services.auth.apiKeys.revokeRotatedKeysPastGrace()).toBe(1);
    expect(await server.services.auth.apiKeys.revokeRotatedKeysPastGrace()).toBe(0);
    const refused = await read(old.secret);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('API_KEY_REVOKED');
    expect((await read(body.secret)).statusCode).toBe(200);
    const keys = await listKeys(agent.id);
    expect(keys.find((key) => key.id === old.apiKey.id)).toMatchObject({ revokedAt: server.clock.now().toISOString() });

    const events = await server.request({ method: 'GET', url: '/api/v1/activities?limit=20' });
    const types = (events.json().data as Array<{ type: string; data: { apiKeyId?: string } }>)
      .filter((event) => event.data.apiKeyId === old.apiKey.id || event.data.apiKeyId === body.apiKey.id)
      .map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['api-key-created', 'api-key-revoked']));

    const audit = await server.request({ method: 'GET', url: '/api/v1/audit-log?action=api-key.rotated' });
    expect(audit.statusCode).toBe(200);
    expect(audit.json().data[0]).toMatchObject({ action: 'api-key.rotated', targetId: old.apiKey.id });
  });

  it('rotates with no grace: the old key stops at once', async () => {
    const { agent } = await server.createAgentWithKey();
    const old = await createAgentKey(agent.id, {});
    const rotated = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/api-keys/${old.apiKey.id}/rotate`,
      payload: { graceSeconds: 0 },
    });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json().previous.revokedAt).toBe(server.clock.now().toISOString());
    const refused = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}`, token: old.secret });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('API_KEY_REVOKED');
  });

  it('rotates a personal key, and refuses to rotate a revoked one', async () => {
    const created = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'laptop' } });
    const key = created.json();
    const rotated = await server.request({
      method: 'POST',
      url: `/api/v1/auth/api-keys/${key.apiKey.id}/rotate`,
      payload: { graceSeconds: 0 },
    });
    expect(rotated.statusCode).toBe(201);
    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: rotated.json().secret });
    expect(me.statusCode).toBe(200);
    const revokedAgain = await server.request({ method: 'POST', url: `/api/v1/auth/api-keys/${key.apiKey.id}/rotate`, payload: {} });
    expect(revokedAgain.statusCode).toBe(409);
    expect(revokedAgain.json().error).toMatchObject({ code: 'API_KEY_NOT_ROTATABLE', details: { reason: 'rotated' } });
    const unknown = await server.request({ method: 'POST', url: `/api/v1/auth/api-keys/${server.workspaceId}/rotate`, payload: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('API_KEY_NOT_FOUND');
  });

  it('keeps the signing requirement through a rotation', async () => {
    const { agent } = await server.createAgentWithKey();
    const old = await createAgentKey(agent.id, { requireSignature: true });
    const rotated = (
      await server.request({
        method: 'POST',
        url: `/api/v1/agents/${agent.id}/api-keys/${old.apiKey.id}/rotate`,
        payload: { graceSeconds: 0 },
      })
    ).json();
    expect(rotated.apiKey.requireSignature).toBe(true);
    const url = `/api/v1/agents/${agent.id}`;
    expect((await server.request({ method: 'GET', url, token: rotated.secret })).statusCode).toBe(401);
    const signed = await server.request({
      method: 'GET',
      url,
      token: rotated.secret,
      headers: sign(rotated.secret, { method: 'GET', url }),
    });
    expect(signed.statusCode).toBe(200);
  });

  it('lets a signing key through only with a fresh, matching signature', async () => {
    const { agent } = await server.createAgentWithKey();
    const { secret, apiKey } = await createAgentKey(agent.id, { requireSignature: true });
    expect(apiKey.requireSignature).toBe(true);
    const url = `/api/v1/tasks?status=inbox`;
    const payload = JSON.stringify({ title: 'Signed work' });
    const post = (headers: Record<string, string>, body = payload) =>
      server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        token: secret,
        headers: { 'content-type': 'application/json', ...headers },
        payload: body,
      });
    const taskCount = async () => (await server.request({ method: 'GET', url: '/api/v1/tasks?limit=100' })).json().data.length as number;

    const unsigned = await server.request({ method: 'GET', url, token: secret });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.code).toBe('SIGNATURE_INVALID');
    expect(unsigned.json().error.message).toContain('x-mission-signature');

    expect((await server.request({ method: 'GET', url, token: secret, headers: sign(secret, { method: 'GET', url }) })).statusCode).toBe(
      200,
    );

    const before = await taskCount();
    const headers = sign(secret, { method: 'POST', url: '/api/v1/tasks', body: payload });
    const created = await post(headers);
    expect(created.statusCode).toBe(201);
    expect(created.json().title).toBe('Signed work');
    expect(await taskCount()).toBe(before + 1);

    const replayed = await post(headers);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.message).toContain('already received');

    const altered = await post(sign(secret, { method: 'POST', url: '/api/v1/tasks', body: payload }), JSON.stringify({ title: 'Changed' }));
    expect(altered.statusCode).toBe(401);
    expect(altered.json().error.message).toContain('does not match');

    const otherPath = await server.request({
      method: 'GET',
      url: '/api/v1/tasks?status=done',
      token: secret,
      headers: sign(secret, { method: 'GET', url }),
    });
    expect(otherPath.statusCode).toBe(401);

    const stale = await post(sign(secret, { method: 'POST', url: '/api/v1/tasks', body: payload, timestamp: nowSeconds() - 301 }));
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toContain('minutes');

    const badNonce = await post(sign(secret, { method: 'POST', url: '/api/v1/tasks', body: payload, nonce: 'short' }));
    expect(badNonce.statusCode).toBe(401);
    expect(await taskCount()).toBe(before + 1);

    // Two identical requests in one second pass, each with its own nonce.
    const now = nowSeconds();
    for (let index = 0; index < 2; index += 1) {
      const response = await server.request({
        method: 'GET',
        url,
        token: secret,
        headers: sign(secret, { method: 'GET', url, timestamp: now }),
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('refuses a signing key on the surfaces whose clients cannot sign: MCP, Agent2Agent and /metrics', async () => {
    const { agent } = await server.createAgentWithKey();
    const { secret } = await createAgentKey(agent.id, { requireSignature: true });
    expect(
      (await server.request({ method: 'PATCH', url: `/api/v1/agents/${agent.id}`, payload: { a2a: { published: true } } })).statusCode,
    ).toBe(200);
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} };
    const mcp = await server.request({ method: 'POST', url: '/mcp', token: secret, payload: initialize });
    expect(mcp.statusCode).toBe(401);
    expect(mcp.json().error).toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(mcp.json().error.message).toContain('MCP');
    // Signed or not: these clients follow their own protocols, which have no place for our signature.
    const signedMcp = await server.request({
      method: 'POST',
      url: '/mcp',
      token: secret,
      headers: sign(secret, { method: 'POST', url: '/mcp', body: JSON.stringify(initialize) }),
      payload: initialize,
    });
    expect(signedMcp.statusCode).toBe(401);
    const a2a = await server.request({
      method: 'POST',
      url: `/a2a/agents/${agent.id}`,
      token: secret,
      payload: { jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } },
    });
    expect(a2a.statusCode).toBe(401);
    expect(a2a.json().error.message).toContain('Agent2Agent');
    const metrics = await server.request({ method: 'GET', url: '/metrics', token: secret });
    expect(metrics.statusCode).toBe(401);
    expect(metrics.json().error.code).toBe('SIGNATURE_INVALID');
  });

  it('forgets signatures once they could no longer pass the clock check', async () => {
    const { agent } = await server.createAgentWithKey();
    const { secret } = await createAgentKey(agent.id, { requireSignature: true });
    const url = `/api/v1/agents/${agent.id}`;
    const headers = sign(secret, { method: 'GET', url });
    expect((await server.request({ method: 'GET', url, token: secret, headers })).statusCode).toBe(200);
    const countSignatures = async () =>
      Number(
        (
          await server.database.db
            .selectFrom('request_signatures')
            .select((expression) => expression.fn.countAll().as('count'))
            .executeTakeFirstOrThrow()
        ).count,
      );
    expect(await countSignatures()).toBe(1);
    await server.services.auth.apiKeys.deleteExpiredRequestSignatures();
    expect(await countSignatures()).toBe(1);
    server.clock.advance(10 * 60_000);
    await server.services.auth.apiKeys.deleteExpiredRequestSignatures();
    expect(await countSignatures()).toBe(0);
  });
});
