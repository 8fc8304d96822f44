import os from 'node:os';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';
import { createSystemProbe, type SystemProbe, type SystemReading } from './system-probe.js';
import { createSystemSampler } from './system-sampler.js';

const start = new Date('2026-03-10T12:00:00.000Z');
const reading = (overrides: Partial<SystemReading> = {}): SystemReading => ({
  cpuPercent: 10,
  rssBytes: 100,
  heapUsedBytes: 50,
  heapTotalBytes: 80,
  diskFreeBytes: 1_000,
  diskTotalBytes: 2_000,
  eventLoopDelayMs: 1,
  eventLoopDelayP99Ms: 2,
  websocketClients: 0,
  dbPoolTotal: null,
  dbPoolIdle: null,
  dbPoolWaiting: null,
  ...overrides,
});

describeEachEngine('system metrics', (engine) => {
  let server: TestServer;
  let probe: SystemProbe;
  let ownerKey: string;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(start) });
    probe = createSystemProbe({
      dataDirectory: os.tmpdir(),
      websocketClients: () => server.stream.hub.subscriptionCount,
      poolStats: server.database.poolStats,
    });
    // An API key: access tokens expire when the test clock jumps days ahead.
    ownerKey = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'system test' } })).json().secret;
  });
  afterEach(async () => {
    probe.stop();
    await server.close();
  });

  const instance = { id: 'host-a:4000', hostname: 'host-a' };
  const metrics = (query = '', token?: string) =>
    server.request({ method: 'GET', url: `/api/v1/system/metrics${query}`, token: token ?? ownerKey });

  it('stores a real sample of the process every time the sampler runs, stamped with the clock', async () => {
    const sampler = createSystemSampler({ system: server.services.system, instance, probe, app: server.app });
    await sampler.sampleSystem();
    server.clock.advance(10_000);
    await sampler.sampleSystem();

    const answer = await metrics();
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body.samples.map((sample: { sampledAt: string }) => sample.sampledAt)).toEqual([
      '2026-03-10T12:00:00.000Z',
      '2026-03-10T12:00:10.000Z',
    ]);
    const [first] = body.samples;
    expect(first).toMatchObject({ instanceId: 'host-a:4000', resolutionSeconds: 10, websocketClients: 0 });
    expect(first.rssBytes).toBeGreaterThan(0);
    expect(first.heapUsedBytes).toBeGreaterThan(0);
    expect(first.diskTotalBytes).toBeGreaterThan(0);
    expect(first.diskFreeBytes).toBeGreaterThanOrEqual(0);
    expect(first.cpuPercent).toBeGreaterThanOrEqual(0);
    if (engine === 'postgres') expect(first.dbPoolTotal).toBeGreaterThan(0);
    else expect(first.dbPoolTotal).toBeNull();
    expect(body.instances).toEqual([
      { instanceId: 'host-a:4000', hostname: 'host-a', lastSeenAt: '2026-03-10T12:00:10.000Z', status: 'up' },
    ]);
  });

  it('shows each instance of a cluster, and one that stopped sampling as down', async () => {
    await server.services.system.recordSystemSample({ id: 'host-b:4000', hostname: 'host-b' }, reading());
    server.clock.advance(60_000);
    await server.services.system.recordSystemSample(instance, reading());
    const body = (await metrics()).json();
    expect(body.instances).toEqual([
      { instanceId: 'host-a:4000', hostname: 'host-a', lastSeenAt: '2026-03-10T12:01:00.000Z', status: 'up' },
      { instanceId: 'host-b:4000', hostname: 'host-b', lastSeenAt: '2026-03-10T12:00:00.000Z', status: 'down' },
    ]);
    expect(body.samples).toHaveLength(2);
  });

  it('keeps raw samples a day, then 5-minute averages for 7 days, then nothing', async () => {
    const { system } = server.services;
    // Three raw samples in the 12:00 bucket and one in 12:05, on the first day.
    for (const [offsetMs, cpu] of [
      [0, 10],
      [10_000, 20],
      [20_000, 60],
      [300_000, 5],
    ] as const) {
      server.clock.set(new Date(start.getTime() + offsetMs));
      await system.recordSystemSample(instance, reading({ cpuPercent: cpu, rssBytes: cpu * 10 }));
    }
    // A day and 10 minutes later: both buckets are older than a day.
    server.clock.set(new Date(start.getTime() + 24 * 3_600_000 + 10 * 60_000));
    await system.recordSystemSample(instance, reading({ cpuPercent: 99 }));
    await system.compactSamples();

    const from = start.toISOString();
    const answer = await metrics(`?from=${from}&to=${new Date(start.getTime() + 2 * 24 * 3_600_000).toISOString()}`);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(
      body.samples.map((sample: { sampledAt: string; resolutionSeconds: number; cpuPercent: number; rssBytes: number }) => [
        sample.sampledAt,
        sample.resolutionSeconds,
        sample.cpuPercent,
        sample.rssBytes,
      ]),
    ).toEqual([
      ['2026-03-10T12:00:00.000Z', 300, 30, 300],
      ['2026-03-10T12:05:00.000Z', 300, 5, 50],
      ['2026-03-11T12:10:00.000Z', 10, 99, 100],
    ]);

    // Compacting again changes nothing; past 7 days the averages go too.
    await system.compactSamples();
    expect((await metrics(`?from=${from}&to=2026-03-12T00:00:00.000Z`)).json().samples).toHaveLength(3);
    server.clock.set(new Date(start.getTime() + 7 * 24 * 3_600_000 + 6 * 60_000));
    await system.compactSamples();
    const later = (await metrics(`?from=2026-03-10T00:00:00.000Z&to=2026-03-17T00:00:00.000Z`)).json();
    expect(later.samples.map((sample: { sampledAt: string }) => sample.sampledAt)).toEqual(['2026-03-11T12:10:00.000Z']);
  });

  it('answers 403 to members and viewers and 400 to a range over 7 days', async () => {
    const member = await server.addMember({ email: 'member@example.com', role: 'member' });
    const denied = await metrics('', member.token);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('FORBIDDEN');
    const admin = await server.addMember({ email: 'admin@example.com', role: 'admin' });
    expect((await metrics('', admin.token)).statusCode).toBe(200);
    const tooLong = await metrics('?from=2026-03-01T00:00:00.000Z&to=2026-03-09T00:00:00.000Z');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe('VALIDATION_FAILED');
  });
});
