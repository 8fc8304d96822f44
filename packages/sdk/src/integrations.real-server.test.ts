import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type HttpReceiver, type RealServer, startHttpReceiver, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: webhooks, inbound hooks and notification preferences', (engine) => {
  let server: RealServer;
  let receiver: HttpReceiver;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine, { integrations: { allowPrivateTargets: true } });
    receiver = await startHttpReceiver();
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
  });

  it('creates a webhook, pings it, lists deliveries with attempts and replays one', async () => {
    const webhook = await client.webhooks.create({ url: receiver.url, events: ['task-created'], description: 'sdk' });
    expect(webhook.secret).toMatch(/^whsec_/);
    expect((await client.webhooks.list()).map((item) => item.id)).toContain(webhook.id);
    const ping = await client.webhooks.test(webhook.id);
    expect(ping).toMatchObject({ eventType: 'ping', status: 'pending' });
    await client.tasks.create({ title: 'Through the SDK' });
    await server.services.integrationsWorker.tick();
    const deliveries = await client.webhooks.deliveries(webhook.id, { status: 'succeeded' }).toArray(10);
    expect(deliveries.map((delivery) => delivery.eventType).sort()).toEqual(['ping', 'task-created']);
    expect(deliveries[0]?.attempts[0]).toMatchObject({ attempt: 1, statusCode: 200 });
    expect(receiver.requests.every((request) => request.headers['webhook-signature']?.startsWith('v1,'))).toBe(true);

    const replayed = await client.webhooks.replay(webhook.id, ping.id);
    expect(replayed.status).toBe('pending');
    expect(await client.webhooks.replayDead(webhook.id)).toBe(0);
    const rotated = await client.webhooks.rotateSecret(webhook.id);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();
    expect((await client.webhooks.update(webhook.id, { enabled: false })).enabled).toBe(false);
    const refused = await client.webhooks.test(webhook.id).catch((error: unknown) => error);
    expect(isMissionControlError(refused) && refused.code).toBe('WEBHOOK_DISABLED');
    await client.webhooks.delete(webhook.id);
    expect(await client.webhooks.list()).toHaveLength(0);
  });

  it('creates and calls an inbound hook, and reads and changes notification preferences', async () => {
    const hook = await client.inboundHooks.create({ name: 'Zap', action: 'create-task', template: { title: 'payload.subject' } });
    const called = await fetch(`${server.url}${hook.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hook.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'From Zapier' }),
    });
    expect(called.status).toBe(201);
    const result = (await called.json()) as { taskId: string };
    expect((await client.tasks.get(result.taskId)).title).toBe('From Zapier');
    expect((await client.inboundHooks.get(hook.id)).lastReceivedAt).not.toBeNull();

    const preferences = await client.notificationPreferences.update({
      timeZone: 'Europe/Paris',
      digest: { mode: 'daily', at: '08:30' },
      slackWebhookUrl: receiver.url,
      kinds: { mention: { channels: ['in-app', 'slack'], priority: 'urgent' } },
    });
    expect(preferences).toMatchObject({ timeZone: 'Europe/Paris', digest: { mode: 'daily', at: '08:30' } });
    expect(preferences.slack.webhookUrl).toContain('…');
    expect((await client.notificationPreferences.get()).kinds.mention.channels).toEqual(['in-app', 'slack']);
    expect((await client.notificationPreferences.workspaceChannels()).slack.webhookUrl).toBeNull();
    expect(await client.notificationPreferences.deliveries().toArray(10)).toEqual([]);
  });
});
