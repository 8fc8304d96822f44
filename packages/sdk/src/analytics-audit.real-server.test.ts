import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: analytics and the audit log', (engine) => {
  let server: RealServer;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reads the overview and throughput', async () => {
    await client.tasks.create({ title: 'Counted' });
    const overview = await client.analytics.overview({ timeZone: 'Europe/Paris' });
    expect(overview.tasks.inbox).toBe(1);
    expect(overview.timeZone).toBe('Europe/Paris');
    const now = new Date();
    const throughput = await client.analytics.throughput({
      from: new Date(now.getTime() - 86_400_000).toISOString(),
      to: new Date(now.getTime() + 60_000).toISOString(),
    });
    expect(throughput.data.reduce((sum, point) => sum + point.created, 0)).toBe(1);
  });

  it('reads costs and the per-agent report, and refuses an unknown grouping', async () => {
    const costs = await client.analytics.costs({ groupBy: 'model' });
    expect(costs).toMatchObject({ groupBy: 'model', total: { runs: 0, costMicroDollars: 0 }, data: [], budgets: [] });
    expect((await client.analytics.agents()).data).toEqual([]);
    expect((await client.analytics.cycleTime({ interval: 'day' })).overall).toEqual({ tasks: 0, leadTime: null, columns: [] });
    // @ts-expect-error an unknown grouping is refused by the server too
    const refused = await client.analytics.costs({ groupBy: 'week' }).catch((error: unknown) => error);
    expect(isMissionControlError(refused) && refused.code).toBe('VALIDATION_FAILED');
  });

  it('lists, exports and configures the audit log', async () => {
    const entries = await client.auditLog.list({ action: 'auth.signed-in' }).toArray(10);
    expect(entries.length).toBeGreaterThan(0);
    const exported = await client.auditLog.export();
    expect(exported.map((entry) => entry.action)).toContain('auth.signed-in');
    expect(await client.auditLog.updateSettings({ retentionDays: 90 })).toEqual({ retentionDays: 90 });
    expect(await client.auditLog.settings()).toEqual({ retentionDays: 90 });
    const refused = await client.auditLog.updateSettings({ retentionDays: 0 }).catch((error: unknown) => error);
    expect(isMissionControlError(refused) && refused.code).toBe('VALIDATION_FAILED');
  });
});
