import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('health', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers 200 without credentials while the database is up, with the engine and the event stream', async () => {
    const response = await server.request({ method: 'GET', url: '/api/health', token: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      database: { status: 'up', engine },
      eventStream: { status: 'up' },
    });
    // Counted per address, generously: probes every few seconds never come near it.
    expect(response.headers['x-ratelimit-limit']).toBe('600');
  });

  it('answers 429 with the error body to an address that checks more than 600 times a minute', async () => {
    for (let count = 0; count < 600; count += 1) await server.request({ method: 'GET', url: '/api/health', token: null });
    const refused = await server.request({ method: 'GET', url: '/api/health', token: null });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 503 with the same report, status degraded, once the database is gone', async () => {
    await server.stream.stop();
    await server.database.db.destroy();
    const response = await server.request({ method: 'GET', url: '/api/health', token: null });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'degraded', database: { status: 'down', engine } });
    expect(response.json().database.error).toEqual(expect.any(String));
    expect(response.json().error).toBeUndefined();
  });
});
