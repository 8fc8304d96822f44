import type { Activity, WebhookDelivery, WebhookWithSecret } from '@mission-control/contracts';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { describeEachEngine } from '../../../test/engines.js';
import { findClosedPort, type HttpReceiver, startHttpReceiver } from '../../../test/http-receiver.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../../test/test-server.js';

const schedule = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

describeEachEngine('outbound webhooks', (engine) => {
  let server: TestServer;
  const receivers: HttpReceiver[] = [];

  beforeEach(async () => {
    token = undefined;
    server = await createTestServer(engine, { integrations: { allowPrivateTargets: true, random: () => 0.5 } });
    // standardwebhooks checks webhook-timestamp against Date.now(): the process's Date follows the test clock.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(server.clock.now());
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const receiver of receivers.splice(0)) await receiver.close();
    await server?.close();
  });

  function advance(milliseconds: number) {
    server.clock.advance(milliseconds);
    vi.setSystemTime(server.clock.now());
  }

  let token: { value: string; at: number } | undefined;
  /** The owner's requests, signed in again once the clock has moved past the access token's life. */
  async function request(options: Parameters<TestServer['request']>[0]) {
    const now = server.clock.now().getTime();
    if (options.token === undefined && (!token || now - token.at > 10 * 60_000)) {
      const login = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: ownerEmail, password: ownerPassword },
      });
      token = { value: login.json().accessToken, at: now };
    }
    return server.request({ ...options, token: options.token === undefined ? token?.value : options.token });
  }

  async function receiver(...args: Parameters<typeof startHttpReceiver>) {
    const started = await startHttpReceiver(...args);
    receivers.push(started);
    return started;
  }

  async function createWebhook(payload: Record<string, unknown>): Promise<WebhookWithSecret> {
    const answer = await request({ method: 'POST', url: '/api/v1/webhooks', payload });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json();
  }

  async function createTask(title: string, extra: Record<string, unknown> = {}) {
    const answer = await request({ method: 'POST', url: '/api/v1/tasks', payload: { title, ...extra } });
    expect(answer.statusCode).toBe(201);
    return answer.json() as { id: string; key: string };
  }

  async function deliveries(webhookId: string, query = ''): Promise<WebhookDelivery[]> {
    const answer = await request({ method: 'GET', url: `/api/v1/webhooks/${webhookId}/deliveries${query}` });
    expect(answer.statusCode).toBe(200);
    return answer.json().data;
  }

  const tick = () => server.services.integrationsWorker.tick();

  function verify(secret: string, request: { body: string; headers: Record<string, string> }) {
    return new StandardWebhook(secret).verify(request.body, request.headers) as { type: string; timestamp: string; data: Activity };
  }

  it('answers the signing secret once and stores it sealed', async () => {
    const target = await receiver();
    const created = await createWebhook({ url: target.url, events: ['task-created'], description: 'CI' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(created).toMatchObject({ url: target.url, events: ['task-created'], enabled: true, filter: null, description: 'CI' });
    const shown = await request({ method: 'GET', url: `/api/v1/webhooks/${created.id}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).not.toHaveProperty('secret');
    expect(JSON.stringify((await request({ method: 'GET', url: '/api/v1/webhooks' })).json())).not.toContain(created.secret);
    const stored = await server.database.db.selectFrom('webhook_endpoints').selectAll().executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(created.secret.slice(6));
    const events = await server.database.db.selectFrom('events').select(['type', 'data']).where('type', '=', 'webhook-created').execute();
    expect(events).toHaveLength(1);
  });

  it('retries 500, 500 on the schedule, then delivers once with a valid signature, and keeps the endpoint in order', async () => {
    const verified: string[] = [];
    let secret = '';
    const target = await receiver((request, index) => {
      verified.push(verify(secret, request).data.type);
      return index < 2 ? { status: 500, body: 'busy' } : { status: 200, body: 'thanks' };
    });
    const webhook = await createWebhook({ url: target.url, events: ['task-created'] });
    secret = webhook.secret;
    const first = await createTask('First');
    const second = await createTask('Second');

    expect(await tick()).toBe(1);
    let [newer, older] = await deliveries(webhook.id);
    expect(older).toMatchObject({ eventType: 'task-created', status: 'failed', attemptCount: 1, lastStatusCode: 500 });
    expect(newer).toMatchObject({ status: 'pending', attemptCount: 0 });
    expect(Date.parse(older?.nextAttemptAt ?? '') - server.clock.now().getTime()).toBe(5_000);
    expect(older?.attempts[0]).toMatchObject({
      attempt: 1,
      statusCode: 500,
      responseExcerpt: 'busy',
      error: expect.stringContaining('500'),
    });

    // Nothing is due before the retry time, and the second event waits behind the first.
    advance(4_999);
    expect(await tick()).toBe(0);
    advance(1);
    expect(await tick()).toBe(1);
    [newer, older] = await deliveries(webhook.id);
    expect(older).toMatchObject({ status: 'failed', attemptCount: 2 });
    expect(Date.parse(older?.nextAttemptAt ?? '') - server.clock.now().getTime()).toBe(300_000);
    // The third attempt succeeds and the queue moves straight on to the second event.
    advance(300_000);
    expect(await tick()).toBe(1);
    expect(await tick()).toBe(0);

    [newer, older] = await deliveries(webhook.id);
    expect(older).toMatchObject({ status: 'succeeded', attemptCount: 3, lastStatusCode: 200, nextAttemptAt: null });
    expect(older?.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 200]);
    expect(older?.attempts.every((attempt) => attempt.durationMs >= 0)).toBe(true);
    expect(newer).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    expect(verified).toEqual(['task-created', 'task-created', 'task-created', 'task-created']);

    // Every attempt of one delivery carries the same webhook-id; the body is { type, timestamp, data: event }.
    const ids = target.requests.map((request) => request.headers['webhook-id']);
    expect(ids.slice(0, 3)).toEqual([older?.id, older?.id, older?.id]);
    expect(ids[3]).toBe(newer?.id);
    const delivered = target.requests.filter((request) => request.status === 200).map((request) => JSON.parse(request.body));
    expect(delivered.map((body) => body.data.data.title)).toEqual(['First', 'Second']);
    expect(delivered[0]).toMatchObject({ type: 'task-created', data: { type: 'task-created', taskId: first.id } });
    expect(delivered[1].data.taskId).toBe(second.id);
    expect(delivered[0].timestamp).toBe(delivered[0].data.createdAt);

    const succeeded = await deliveries(webhook.id, '?status=succeeded');
    expect(succeeded).toHaveLength(2);
    expect(await deliveries(webhook.id, '?status=dead')).toHaveLength(0);
  });

  it('moves the deliveries of a receiver that is down to the dead-letter queue after the last attempt, and replays them', async () => {
    const closedPort = await findClosedPort();
    const webhook = await createWebhook({ url: `http://127.0.0.1:${closedPort}/hook`, events: ['task-created'] });
    await createTask('Lost for now');
    await tick();
    for (const delay of schedule) {
      advance(delay);
      expect(await tick()).toBe(1);
    }
    const [dead] = await deliveries(webhook.id, '?status=dead');
    expect(dead).toMatchObject({ status: 'dead', attemptCount: 8, nextAttemptAt: null, lastStatusCode: null });
    expect(dead?.attempts).toHaveLength(8);
    expect(dead?.attempts.every((attempt) => attempt.statusCode === null && attempt.error !== null)).toBe(true);
    const deadEvents = await server.database.db.selectFrom('events').select('data').where('type', '=', 'webhook-delivery-dead').execute();
    expect(deadEvents).toHaveLength(1);
    // 27 hours of failures is not yet 5 days: the endpoint stays enabled.
    expect((await request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}` })).json()).toMatchObject({ enabled: true });

    const target = await receiver();
    const moved = await request({ method: 'PATCH', url: `/api/v1/webhooks/${webhook.id}`, payload: { url: target.url } });
    expect(moved.statusCode).toBe(200);
    const replayed = await request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/replay-dead` });
    expect(replayed.statusCode).toBe(202);
    expect(replayed.json()).toEqual({ replayed: 1 });
    await tick();
    const [delivered] = await deliveries(webhook.id);
    expect(delivered).toMatchObject({ id: dead?.id, status: 'succeeded', attemptCount: 9 });
    expect(target.requests.map((request) => request.headers['webhook-id'])).toEqual([dead?.id]);

    // One delivery replays on its own too, whatever its state, with the same id and body.
    const again = await request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${dead?.id}/replay` });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id: dead?.id, status: 'pending' });
    await tick();
    expect(target.requests).toHaveLength(2);
    expect(target.requests[1]?.body).toBe(target.requests[0]?.body);
    const missing = await request({
      method: 'POST',
      url: `/api/v1/webhooks/${webhook.id}/deliveries/0190a0b0-0000-7000-8000-000000000000/replay`,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
  });

  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const target = await receiver();
    const webhook = await createWebhook({ url: target.url, events: ['task-created'] });
    const rotated = await request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/rotate-secret` });
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json() as WebhookWithSecret;
    expect(fresh.secret).not.toBe(webhook.secret);
    expect(Date.parse(fresh.previousSecretExpiresAt ?? '')).toBe(server.clock.now().getTime() + 24 * 3_600_000);

    const ping = await request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test` });
    expect(ping.statusCode).toBe(202);
    expect(ping.json()).toMatchObject({ eventType: 'ping', status: 'pending', eventSeq: null });
    await tick();
    const during = target.requests[0] as NonNullable<(typeof target.requests)[0]>;
    expect(during.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verify(fresh.secret, during).type).toBe('ping');
    expect(verify(webhook.secret, during)).toMatchObject({ type: 'ping', data: { webhookId: webhook.id } });

    advance(24 * 3_600_000 + 1_000);
    await createTask('After the overlap');
    await tick();
    const after = target.requests[1] as NonNullable<(typeof target.requests)[0]>;
    expect(after.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(verify(fresh.secret, after).type).toBe('task-created');
    expect(() => verify(webhook.secret, after)).toThrow('No matching signature found');
  });

  it('disables an endpoint that answers 410, drops its queue to the dead-letter queue and tells the owner', async () => {
    const target = await receiver(() => ({ status: 410, body: 'gone' }));
    const webhook = await createWebhook({ url: target.url, events: ['task-created'] });
    await createTask('One');
    await createTask('Two');
    await tick();
    await tick();
    expect(target.requests).toHaveLength(1);
    const shown = (await request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}` })).json();
    expect(shown).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    const dead = await deliveries(webhook.id, '?status=dead');
    expect(dead).toHaveLength(2);
    expect(dead.map((delivery) => delivery.attemptCount).sort()).toEqual([0, 1]);
    const disabled = await server.database.db.selectFrom('events').select('data').where('type', '=', 'webhook-disabled').execute();
    expect(disabled).toHaveLength(1);
    const inbox = (await request({ method: 'GET', url: '/api/v1/notifications' })).json() as {
      data: { kind: string; content: string }[];
    };
    expect(inbox.data[0]).toMatchObject({ kind: 'integration', content: expect.stringContaining('410 Gone') });

    const refused = await request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('WEBHOOK_DISABLED');
    // New events are not queued while it is disabled; enabling it resumes from the current event.
    await createTask('While disabled');
    await tick();
    expect(await deliveries(webhook.id)).toHaveLength(2);
    target.answerWith(() => ({ status: 204 }));
    expect((await request({ method: 'PATCH', url: `/api/v1/webhooks/${webhook.id}`, payload: { enabled: true } })).statusCode).toBe(200);
    await createTask('After enabling');
    await tick();
    const all = await deliveries(webhook.id);
    expect(all).toHaveLength(3);
    expect(all[0]).toMatchObject({ status: 'succeeded' });
  });

  it('disables an endpoint that has failed for 5 days', async () => {
    await receiver();
    const target = await receiver(() => ({ status: 503 }));
    const webhook = await createWebhook({ url: target.url, events: ['task-created'] });
    await createTask('Day one');
    await tick();
    for (const delay of schedule) {
      advance(delay);
      await tick();
    }
    expect((await request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}` })).json()).toMatchObject({
      enabled: true,
      failingSince: expect.any(String),
    });
    advance(4 * 86_400_000);
    await createTask('Day five');
    await tick();
    expect((await request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}` })).json()).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining('5 days'),
    });
  });

  it('sends only the events the filter accepts, and refuses a filter that is not CEL', async () => {
    const target = await receiver();
    const refused = await request({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: target.url, filter: 'event.data.priority ==' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('WEBHOOK_FILTER_INVALID');
    expect(await server.database.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(0);

    const webhook = await createWebhook({
      url: target.url,
      events: ['*'],
      filter: 'event.type == "task-created" && event.data.priority == "urgent"',
    });
    await createTask('Calm', { priority: 'low' });
    await createTask('Fire', { priority: 'urgent' });
    await tick();
    await tick();
    const bodies = target.requests.map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => body.data.data.title)).toEqual(['Fire']);
    expect(await deliveries(webhook.id)).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    const elsewhere = await receiver();
    const target = await receiver(() => ({ status: 302, headers: { location: elsewhere.url } }));
    const webhook = await createWebhook({ url: target.url, events: ['task-created'] });
    await createTask('Redirected');
    await tick();
    expect(elsewhere.requests).toHaveLength(0);
    const [delivery] = await deliveries(webhook.id);
    expect(delivery).toMatchObject({ status: 'failed', lastStatusCode: 302 });
  });

  it('deletes an endpoint with its deliveries, and keeps endpoints to their workspace and to owners and admins', async () => {
    const target = await receiver(() => ({ status: 500 }));
    const webhook = await createWebhook({ url: target.url, events: ['task-created'] });
    await createTask('Queued');
    await tick();
    const otherToken = await server.createOtherWorkspaceToken();
    const foreign = await request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token: otherToken });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('WEBHOOK_NOT_FOUND');
    const { apiKey } = await server.createAgentWithKey();
    const agent = await request({ method: 'GET', url: '/api/v1/webhooks', token: apiKey });
    expect(agent.statusCode).toBe(403);

    const deleted = await request({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(await server.database.db.selectFrom('outbound_deliveries').select('id').execute()).toHaveLength(0);
    expect(await server.database.db.selectFrom('outbound_attempts').select('delivery_id').execute()).toHaveLength(0);
    expect((await request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}` })).statusCode).toBe(404);
  });
});

describeEachEngine('outbound webhook targets', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server?.close();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost:3000/hook',
    'http://10.1.2.3/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://metadata.google.internal/computeMetadata/v1',
  ])('answers 400 WEBHOOK_TARGET_REFUSED for %s without MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS', async (url) => {
    const answer = await server.request({ method: 'POST', url: '/api/v1/webhooks', payload: { url } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error).toMatchObject({
      code: 'WEBHOOK_TARGET_REFUSED',
      message: expect.stringContaining('MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS'),
    });
    expect(await server.database.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(0);
  });
});
