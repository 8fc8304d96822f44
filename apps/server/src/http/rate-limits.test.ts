import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, ownerEmail, type TestServer, testAppConfig } from '../test/test-server.js';

const redisUrl = 'redis://127.0.0.1:6379';

describeEachEngine('rate limits', (engine) => {
  let server: TestServer | undefined;
  const extraApps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of extraApps.splice(0)) await app.close();
    await server?.close();
    server = undefined;
  });

  const expectRateLimited = (response: {
    statusCode: number;
    headers: Record<string, unknown>;
    json(): { error: Record<string, unknown> };
  }) => {
    expect(response.statusCode).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const { error } = response.json();
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toMatch(/Retry in \d+ s/);
    expect(error.details).toMatchObject({ retryAfterSeconds: retryAfter });
  };

  it('answers 429 with Retry-After past the limit of a principal, while another principal goes on', async () => {
    server = await createTestServer(engine, { config: { rateLimitPerMinute: 5 } });
    // Four of the owner's five requests: two agents, each with a key.
    const first = await server.createAgentWithKey();
    const second = await server.createAgentWithKey();

    for (let index = 0; index < 5; index += 1) {
      const response = await server.request({ method: 'GET', url: '/api/v1/tasks', token: first.apiKey });
      expect(response.statusCode, `request ${index + 1}`).toBe(200);
      expect(response.headers['x-ratelimit-remaining']).toBe(String(4 - index));
    }
    const limited = await server.request({ method: 'GET', url: '/api/v1/tasks', token: first.apiKey });
    expectRateLimited(limited);
    expect(limited.json().error.details).toMatchObject({ limit: 5 });

    // A refused request never runs, so it claims no Idempotency-Key and creates nothing.
    const refusedWrite = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: 'Too many' },
      headers: { 'idempotency-key': 'refused' },
      token: first.apiKey,
    });
    expectRateLimited(refusedWrite);
    expect(await server.database.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
    expect(await server.database.db.selectFrom('tasks').selectAll().execute()).toEqual([]);

    const other = await server.request({ method: 'GET', url: '/api/v1/tasks', token: second.apiKey });
    expect(other.statusCode).toBe(200);
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks' })).statusCode).toBe(200);
    expectRateLimited(await server.request({ method: 'GET', url: '/api/v1/tasks' }));
  });

  it('limits sign-in and refresh per address, far below the API limit', async () => {
    // createTestServer signs the owner in once from 127.0.0.1: that is the first of three attempts.
    server = await createTestServer(engine, { config: { loginRateLimitPerMinute: 3 } });
    const attempt = (remoteAddress: string) =>
      server?.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: ownerEmail, password: 'a wrong password guess' },
        remoteAddress,
      }) as Promise<Awaited<ReturnType<FastifyInstance['inject']>>>;

    expect((await attempt('127.0.0.1')).statusCode).toBe(401);
    expect((await attempt('127.0.0.1')).statusCode).toBe(401);
    const limited = await attempt('127.0.0.1');
    expectRateLimited(limited);
    expect(limited.json().error.message).toContain('sign-in attempts');
    const refresh = await server.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: 'x'.repeat(40) } });
    expectRateLimited(refresh);

    expect((await attempt('10.0.0.7')).statusCode).toBe(401);
    // The authenticated API counts per principal, not per address: the owner is not affected.
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks' })).statusCode).toBe(200);
  });

  describe('with REDIS_URL', () => {
    it('shares the count between two separately built apps', async () => {
      const namespace = `mission-test-${randomBytes(6).toString('hex')}:`;
      const config = { redisUrl, rateLimitPerMinute: 4 };
      server = await createTestServer(engine, { config, rateLimitNamespace: namespace });
      const secondApp = await buildApp({
        config: { ...testAppConfig, ...config },
        services: server.services,
        rateLimitNamespace: namespace,
      });
      extraApps.push(secondApp);
      const headers = { authorization: `Bearer ${server.ownerToken}` };
      const list = (app: FastifyInstance) => app.inject({ method: 'GET', url: '/api/v1/tasks', headers });

      for (const app of [server.app, secondApp, server.app, secondApp]) expect((await list(app)).statusCode).toBe(200);
      expectRateLimited(await list(secondApp));
      expectRateLimited(await list(server.app));

      const redis = new Redis(redisUrl);
      try {
        const key = `${namespace}principal:user:${server.ownerPrincipal.id}`;
        expect(await redis.get(key)).toBe('6');
        expect(await redis.pttl(key)).toBeGreaterThan(0);
        const keys = await redis.keys(`${namespace}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });
  });
});
