import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { connectStream } from '../test/stream-client.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { redactSecrets } from './log-redaction.js';

describe('redactSecrets', () => {
  it('replaces keys, refresh tokens, JWTs, credential query parameters and credential headers', () => {
    const line = JSON.stringify({
      url: '/api/v1/ws/activities?after=3&token=abc.def&access_token=xyz&apiKey=k1',
      msg: 'Route GET:/x/mc_abcdefghijklmnop not found',
      refresh: 'mcr_ABCDEFGHijklmnop',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'session=1' },
      text: 'sent Bearer opaque-token-123',
    });
    const redacted = redactSecrets(line);
    for (const secret of [
      'abc.def',
      'xyz',
      'k1"',
      'mc_abcdefghijklmnop',
      'mcr_ABCDEFGH',
      'eyJhbGci',
      'dXNlcjpwYXNz',
      'session=1',
      'opaque-token-123',
    ]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain('after=3');
    expect(JSON.parse(redacted).url).toBe('/api/v1/ws/activities?after=3&token=[redacted]&access_token=[redacted]&apiKey=[redacted]');
  });
});

describeEachEngine('the server log', (engine) => {
  let server: TestServer;
  let baseUrl: string;
  let log = '';

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    server = await createTestServer(engine, { logger: { level: 'trace', stream } });
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('holds no secret after sockets with ?token= and requests with keys in headers, queries and paths', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const login = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: 'correct horse battery staple' },
      token: null,
    });
    const { accessToken, refreshToken } = login.json() as { accessToken: string; refreshToken: string };
    const wsUrl = baseUrl.replace('http', 'ws');
    for (const url of [
      `${wsUrl}/api/v1/ws/activities?token=${apiKey}`,
      `${wsUrl}/api/v1/ws/agents/${agent.id}?after=0&token=${apiKey}`,
      `${wsUrl}/api/v1/ws/activities?token=${accessToken}`,
    ]) {
      const client = connectStream(url);
      await client.waitFor((messages) => messages.some((message) => message.type === 'ready'), 'ready');
      client.close();
      await client.closed;
    }
    const refused = connectStream(`${wsUrl}/api/v1/ws/activities?token=${apiKey}x`);
    await refused.closed;
    await fetch(`${baseUrl}/api/v1/tasks?access_token=${accessToken}&apiKey=${apiKey}`, { headers: { authorization: `Bearer ${apiKey}` } });
    await fetch(`${baseUrl}/api/v1/no-such-route/${apiKey}`, { headers: { authorization: `Bearer ${accessToken}` } });
    await fetch(`${baseUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    server.app.log.info({ headers: { authorization: `Bearer ${apiKey}` } }, `a careless line naming ${apiKey}`);

    // The URLs were logged, with their secrets replaced.
    expect(log).toContain('/api/v1/ws/activities?token=[redacted]');
    expect(log).toContain(`/api/v1/ws/agents/${agent.id}?after=0&token=[redacted]`);
    for (const secret of [apiKey, apiKey.slice(3, 20), accessToken, accessToken.split('.')[1] as string, refreshToken]) {
      expect(log).not.toContain(secret);
    }
  });
});
