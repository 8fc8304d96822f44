import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';

describeEachEngine('requests that fail authentication', (engine) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 429 with Retry-After once an address has sent too many bad credentials, and still serves good ones', async () => {
    const test = await createTestServer(engine, { config: { unauthenticatedRateLimitPerMinute: 5 } });
    server = test;
    const { apiKey } = await test.createAgentWithKey();
    const attempts = [
      () => test.request({ method: 'GET', url: '/api/v1/tasks', token: 'mc_not-a-real-key' }),
      () => test.request({ method: 'GET', url: '/api/v1/tasks', token: null }),
      () => test.request({ method: 'GET', url: '/api/v1/tasks', token: 'forged.jwt.token' }),
    ];
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 9; attempt += 1) {
      const response = await attempts[attempt % attempts.length]?.();
      if (!response) throw new Error('no attempt');
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json().error.code).toBe('RATE_LIMITED');
        expect(response.json().error.message).toMatch(/without a valid credential/);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429]);

    // A valid credential from the same address is neither counted nor refused.
    expect((await test.request({ method: 'GET', url: '/api/v1/tasks', token: apiKey })).statusCode).toBe(200);
    expect((await test.request({ method: 'GET', url: '/api/v1/tasks' })).statusCode).toBe(200);

    // Another address has its own count.
    const elsewhere = await test.request({ method: 'GET', url: '/api/v1/tasks', token: 'mc_not-a-real-key', remoteAddress: '203.0.113.9' });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('answers 429 to 240 of 300 bad-key requests from one address with the default limit of 60 a minute', async () => {
    expect(loadConfig({}).unauthenticatedRateLimitPerMinute).toBe(60);
    const test = await createTestServer(engine, { config: { unauthenticatedRateLimitPerMinute: 60 } });
    server = test;
    const statuses = new Map<number, number>();
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const response = await test.request({ method: 'GET', url: '/api/v1/agents', token: `mc_guess${attempt}` });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    }
    expect(statuses.get(401)).toBe(60);
    expect(statuses.get(429)).toBe(240);
  });

  it('does not count expired access tokens, whose clients are about to refresh', async () => {
    const test = await createTestServer(engine, { config: { unauthenticatedRateLimitPerMinute: 2 } });
    server = test;
    test.clock.advance(901_000);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await test.request({ method: 'GET', url: '/api/v1/tasks' });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('TOKEN_EXPIRED');
    }
  });
});
