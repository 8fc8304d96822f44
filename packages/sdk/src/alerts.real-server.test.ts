import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: alerts and cost recommendations', (engine) => {
  let server: RealServer;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reads and changes the thresholds, lists alerts and answers 404 for an unknown one', async () => {
    expect((await client.alerts.settings()).costSpikeMultiple).toBe(3);
    expect(await client.alerts.updateSettings({ costSpikeMultiple: 4 })).toMatchObject({
      costSpikeMultiple: 4,
      stalledAgentFloorMinutes: 30,
    });
    expect(await client.alerts.page({ status: 'open' })).toEqual({ data: [], nextCursor: null, openCount: 0 });
    const missing = await client.alerts.acknowledge('0196f0a4-7b1e-7000-8000-000000000000').catch((error: unknown) => error);
    expect(isMissionControlError(missing) && missing.code).toBe('ALERT_NOT_FOUND');
  });

  it('reads the cost recommendations', async () => {
    expect(await client.analytics.recommendations({ costlyTaskMultiple: 4 })).toMatchObject({ models: [], costlyTasks: [] });
  });
});
