import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: system metrics and status', (engine) => {
  let server: RealServer;
  let hidden: RealServer;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine, { config: { statusPage: true } });
    hidden = await startRealServer(engine);
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await hidden?.close();
  });

  it('reads the samples of a range per instance, and answers VALIDATION_FAILED for a range over 7 days', async () => {
    const instance = { id: 'sdk-host:4000', hostname: 'sdk-host' };
    await server.services.system.recordSystemSample(instance, {
      cpuPercent: 20,
      rssBytes: 1_000,
      heapUsedBytes: 10,
      heapTotalBytes: 20,
      diskFreeBytes: 500,
      diskTotalBytes: 1_000,
      eventLoopDelayMs: 2,
      eventLoopDelayP99Ms: 3,
      websocketClients: 1,
      dbPoolTotal: null,
      dbPoolIdle: null,
      dbPoolWaiting: null,
    });
    const from = new Date(Date.now() - 60_000).toISOString();
    const metrics = await client.system.metrics({ from });
    expect(metrics.from).toBe(from);
    expect(metrics.instances).toEqual([expect.objectContaining({ instanceId: 'sdk-host:4000', hostname: 'sdk-host', status: 'up' })]);
    expect(metrics.samples).toEqual([expect.objectContaining({ instanceId: 'sdk-host:4000', cpuPercent: 20, websocketClients: 1 })]);
    const tooLong = await client.system
      .metrics({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-09T00:00:00.000Z' })
      .catch((error: unknown) => error);
    expect(isMissionControlError(tooLong) && tooLong.code).toBe('VALIDATION_FAILED');
  });

  it('reads the status, and answers STATUS_PAGE_DISABLED where the server keeps it off', async () => {
    await server.services.system.recordHealthSample(
      { id: 'sdk-host:4000', hostname: 'sdk-host' },
      { apiUp: true, apiLatencyMs: 5, databaseUp: true, eventStreamUp: true, redisUp: null },
    );
    const status = await client.status();
    expect(status.status).toBe('operational');
    expect(status.components.database.status).toBe('up');
    expect(status.days.at(-1)).toMatchObject({ p50LatencyMs: 5, samples: 1 });
    const off = await new MissionControl({ baseUrl: hidden.url, accessToken: hidden.ownerToken }).status().catch((error: unknown) => error);
    expect(isMissionControlError(off) && off.code).toBe('STATUS_PAGE_DISABLED');
  });
});
