import os from 'node:os';
import { afterEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';
import { createSystemProbe } from './system-probe.js';
import { createSystemSampler } from './system-sampler.js';

const start = new Date('2026-05-20T00:00:00.000Z');

describeEachEngine('status page', (engine) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 404 STATUS_PAGE_DISABLED on both routes unless MISSION_STATUS_PAGE is on', async () => {
    server = await createTestServer(engine);
    for (const url of ['/api/v1/status', '/status']) {
      const answer = await server.request({ method: 'GET', url, token: null });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.json().error.code).toBe('STATUS_PAGE_DISABLED');
    }
  });

  it('serves the stored health samples signed-out: components, uptime per day and p50/p95 latency', async () => {
    server = await createTestServer(engine, { clock: createTestClock(start), config: { statusPage: true } });
    const { system } = server.services;
    const instance = { id: 'host-a:4000', hostname: 'host-a' };
    // Day 1 (May 20): ten minutes sampled from 00:00, latencies 1..10 ms; the API down at 00:04.
    for (let minute = 0; minute < 10; minute += 1) {
      server.clock.set(new Date(start.getTime() + minute * 60_000));
      const up = minute !== 4;
      await system.recordHealthSample(instance, {
        apiUp: up,
        apiLatencyMs: up ? minute + 1 : null,
        databaseUp: true,
        eventStreamUp: true,
        redisUp: null,
      });
    }
    // The same minutes from a second instance do not count twice.
    server.clock.set(new Date(start.getTime() + 30_000));
    await system.recordHealthSample(
      { id: 'host-b:4000', hostname: 'host-b' },
      {
        apiUp: true,
        apiLatencyMs: 100,
        databaseUp: true,
        eventStreamUp: true,
        redisUp: null,
      },
    );
    // Now: 00:09:30 on May 20, so the day has 10 minutes since sampling began, 9 of them up.
    server.clock.set(new Date(start.getTime() + 9 * 60_000 + 30_000));

    const answer = await server.request({ method: 'GET', url: '/api/v1/status', token: null });
    expect(answer.statusCode, answer.body).toBe(200);
    const status = answer.json();
    expect(status.status).toBe('operational');
    expect(status.components).toEqual({
      api: { status: 'up', checkedAt: '2026-05-20T00:09:00.000Z' },
      eventStream: { status: 'up', checkedAt: '2026-05-20T00:09:00.000Z' },
      database: { status: 'up', checkedAt: '2026-05-20T00:09:00.000Z' },
    });
    expect(status.days).toHaveLength(90);
    expect(status.days[0]).toEqual({ day: '2026-02-20', uptimePercent: null, p50LatencyMs: null, p95LatencyMs: null, samples: 0 });
    // Up samples' latencies: 1, 2, 3, 4, 6, 7, 8, 9, 10 and 100 (ten); nearest rank p50 = 5th = 6, p95 = 10th = 100.
    expect(status.days[89]).toEqual({ day: '2026-05-20', uptimePercent: 90, p50LatencyMs: 6, p95LatencyMs: 100, samples: 11 });
    expect(status.uptimePercent90Days).toBe(90);

    const page = await server.request({ method: 'GET', url: '/status', token: null });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('All systems operational');
    expect(page.body).toContain('<th scope="row">2026-05-20</th><td>90.00 %</td><td>6 ms</td><td>100 ms</td>');
  });

  it('says the service is down when no instance checked itself in the last two minutes, and samples through the real HTTP stack', async () => {
    server = await createTestServer(engine, { clock: createTestClock(start), config: { statusPage: true } });
    const probe = createSystemProbe({ dataDirectory: os.tmpdir() });
    const sampler = createSystemSampler({
      system: server.services.system,
      instance: { id: 'host-a:4000', hostname: 'host-a' },
      probe,
      app: server.app,
    });
    probe.stop();
    await sampler.sampleHealth();
    let status = (await server.request({ method: 'GET', url: '/api/v1/status', token: null })).json();
    expect(status.status).toBe('operational');
    expect(status.days[89].samples).toBe(1);
    expect(status.days[89].p50LatencyMs).toBeGreaterThan(0);

    server.clock.advance(3 * 60_000);
    status = (await server.request({ method: 'GET', url: '/api/v1/status', token: null })).json();
    expect(status.status).toBe('down');
    expect(status.components.api.status).toBe('down');
    // One minute up out of the four since sampling began.
    expect(status.days[89].uptimePercent).toBe(25);
  });
});
