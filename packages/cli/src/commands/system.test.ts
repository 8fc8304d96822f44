import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

const reading = {
  cpuPercent: 12.5,
  rssBytes: 256 * 1_024 * 1_024,
  heapUsedBytes: 50,
  heapTotalBytes: 80,
  diskFreeBytes: 3 * 1_024 * 1_024 * 1_024,
  diskTotalBytes: 10 * 1_024 * 1_024 * 1_024,
  eventLoopDelayMs: 1.25,
  eventLoopDelayP99Ms: 4,
  websocketClients: 3,
  dbPoolTotal: null,
  dbPoolIdle: null,
  dbPoolWaiting: null,
};

/** Resolves once the wall clock has moved past the millisecond it was called in. */
async function untilTheNextMillisecond(): Promise<void> {
  const start = Date.now();
  while (Date.now() === start) await new Promise((resolve) => setImmediate(resolve));
}

describe('mission system metrics and mission status against a real server', () => {
  const cli = useCliAgainstRealServer('system', { config: { statusPage: true } });
  const { run } = cli;

  it('shows the latest sample of each instance as a table and as JSON, and refuses a bad --from', async () => {
    const system = cli.server.services.system;
    await system.recordSystemSample({ id: 'host-a:4000', hostname: 'host-a' }, { ...reading, cpuPercent: 90 });
    // An instance keeps one sample per millisecond: the second must come at a later one to count.
    await untilTheNextMillisecond();
    await system.recordSystemSample({ id: 'host-a:4000', hostname: 'host-a' }, reading);
    await system.recordSystemSample({ id: 'host-b:4000', hostname: 'host-b' }, { ...reading, websocketClients: 0, diskFreeBytes: null });

    const table = await run(['system', 'metrics']);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^INSTANCE\s+STATUS\s+SAMPLED\s+CPU\s+MEMORY\s+DISK FREE\s+LOOP LAG\s+SOCKETS$/);
    const hostA = lines.find((line) => line.startsWith('host-a:4000')) ?? '';
    // The latest of host-a's two samples.
    expect(hostA).toMatch(/\bup\b.*12\.5%\s+256\.0 MiB\s+3\.0 GiB\s+1\.3 ms \(p99 4\.0\)\s+3$/);
    expect(lines.find((line) => line.startsWith('host-b:4000'))).toMatch(/MiB\s+-\s+1\.3 ms \(p99 4\.0\)\s+0$/);

    const json = await run(['system', 'metrics', '--from', '2h', '--json']);
    expect(json.code).toBe(0);
    const metrics = JSON.parse(json.stdout) as { from: string; instances: { instanceId: string }[]; samples: unknown[] };
    expect(metrics.instances.map((instance) => instance.instanceId).sort()).toEqual(['host-a:4000', 'host-b:4000']);
    expect(metrics.samples).toHaveLength(3);
    const hoursBack = (Date.now() - Date.parse(metrics.from)) / 3_600_000;
    expect(Math.round(hoursBack)).toBe(2);

    const refused = await run(['system', 'metrics', '--from', 'yesterday-ish']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--from takes an ISO time');
  }, 120_000);

  it('shows the status with its components and uptime, and the same as JSON', async () => {
    await cli.server.services.system.recordHealthSample(
      { id: 'host-a:4000', hostname: 'host-a' },
      { apiUp: true, apiLatencyMs: 7, databaseUp: true, eventStreamUp: true, redisUp: null },
    );
    const text = await run(['status']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Status:\s+operational$/m);
    expect(text.stdout).toMatch(/^API:\s+up \(checked /m);
    expect(text.stdout).toMatch(/^Event stream:\s+up/m);
    expect(text.stdout).toMatch(/^Database:\s+up/m);
    expect(text.stdout).toMatch(/^Latency today:\s+p50 7 ms, p95 7 ms$/m);
    expect(text.stdout).not.toContain('Redis');

    const json = await run(['status', '--json']);
    const status = JSON.parse(json.stdout) as { status: string; components: { api: { status: string } }; days: unknown[] };
    expect(status.status).toBe('operational');
    expect(status.components.api.status).toBe('up');
    expect(status.days.length).toBeGreaterThan(0);
  }, 120_000);
});
