import type { NotificationPreferences } from '@mission-control/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { type HttpReceiver, startHttpReceiver } from '../../test/http-receiver.js';
import { type SmtpReceiver, startSmtpReceiver } from '../../test/smtp-receiver.js';
import { createTestClock, createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';

const publicUrl = 'https://mission.example.com';

describeEachEngine('notification channels and preferences', (engine) => {
  let server: TestServer;
  let smtp: SmtpReceiver;
  let slack: HttpReceiver;
  let agent: { id: string; name: string };
  let agentKey: string;
  let taskId: string;

  beforeEach(async () => {
    smtp = await startSmtpReceiver();
    slack = await startHttpReceiver();
    server = await createTestServer(engine, {
      // 10:00 in Berlin.
      clock: createTestClock(new Date('2026-01-05T09:00:00.000Z')),
      integrations: {
        allowPrivateTargets: true,
        random: () => 0.5,
        smtp: { url: smtp.url, from: 'Mission Control <mission@example.com>' },
        publicUrl,
      },
    });
    ({ agent, apiKey: agentKey } = await server.createAgentWithKey());
    const task = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Ship the launch post' } });
    taskId = task.json().id;
  });
  afterEach(async () => {
    await server?.close();
    await smtp?.close();
    await slack?.close();
  });

  let token: { value: string; at: number } | undefined;
  async function asOwner(options: Parameters<TestServer['request']>[0]) {
    const now = server.clock.now().getTime();
    if (!token || now - token.at > 10 * 60_000) {
      const login = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: ownerEmail, password: ownerPassword },
      });
      token = { value: login.json().accessToken, at: now };
    }
    return server.request({ ...options, token: token.value });
  }
  beforeEach(() => {
    token = undefined;
  });

  async function setPreferences(payload: Record<string, unknown>, credential?: string): Promise<NotificationPreferences> {
    const answer = credential
      ? await server.request({ method: 'PUT', url: '/api/v1/notification-preferences', payload, token: credential })
      : await asOwner({ method: 'PUT', url: '/api/v1/notification-preferences', payload });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json();
  }

  async function agentMentionsOwner(text = 'please review the draft') {
    const posted = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/messages`,
      token: agentKey,
      payload: { content: `@owner ${text}` },
    });
    expect(posted.statusCode).toBe(201);
  }

  async function agentAssignsOwner(title: string) {
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token: agentKey,
      payload: { title, assignees: [{ kind: 'user', id: server.ownerPrincipal.id }] },
    });
    expect(created.statusCode).toBe(201);
  }

  const tick = () => server.services.integrationsWorker.tick();

  it('shows defaults, keeps Slack URLs sealed and masked, and keeps what a change leaves out', async () => {
    const defaults = (await asOwner({ method: 'GET', url: '/api/v1/notification-preferences' })).json() as NotificationPreferences;
    expect(defaults).toMatchObject({
      recipient: { kind: 'user', id: server.ownerPrincipal.id },
      timeZone: 'UTC',
      quietHours: null,
      digest: { mode: 'off' },
      email: { address: ownerEmail, available: true },
      slack: { webhookUrl: null, usesWorkspaceChannel: false },
      updatedAt: null,
    });
    expect(defaults.kinds.mention).toEqual({ channels: ['in-app'], priority: 'normal', muted: false });
    expect(defaults.kinds.escalation.priority).toBe('urgent');

    const saved = await setPreferences({ timeZone: 'Europe/Berlin', slackWebhookUrl: `${slack.url}/T000/B000/secretpart` });
    expect(saved.slack.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…part$/);
    expect(JSON.stringify(saved)).not.toContain('secretpart');
    const stored = await server.database.db.selectFrom('notification_preferences').selectAll().executeTakeFirstOrThrow();
    expect(stored.slack_webhook_url).not.toContain('secretpart');

    const changed = await setPreferences({ kinds: { mention: { channels: ['in-app', 'slack'], priority: 'urgent' } } });
    expect(changed).toMatchObject({ timeZone: 'Europe/Berlin', slack: { webhookUrl: saved.slack.webhookUrl } });
    expect(changed.kinds.mention).toEqual({ channels: ['in-app', 'slack'], priority: 'urgent', muted: false });
    expect(changed.kinds.assignment.channels).toEqual(['in-app']);

    const badZone = await asOwner({ method: 'PUT', url: '/api/v1/notification-preferences', payload: { timeZone: 'Mars/Olympus' } });
    expect(badZone.statusCode).toBe(400);
  });

  it('emails a mention at once with a link to the task, and batches the rest into one digest email', async () => {
    await setPreferences({
      digest: { mode: 'interval', everyMinutes: 30 },
      kinds: {
        mention: { channels: ['in-app', 'email'], priority: 'urgent' },
        assignment: { channels: ['in-app', 'email'], priority: 'normal' },
      },
    });
    await agentMentionsOwner();
    await tick();
    expect(smtp.messages).toHaveLength(1);
    const mention = smtp.messages[0];
    expect(mention?.to).toEqual([ownerEmail]);
    expect(mention?.subject).toContain('Mention');
    expect(mention?.text).toContain('please review the draft');
    expect(mention?.text).toContain(`${publicUrl}/tasks?task=${taskId}`);
    expect(mention?.raw).toMatch(/Content-Type: text\/plain/i);
    expect(mention?.raw).toMatch(/Content-Type: text\/html/i);

    await agentAssignsOwner('Check the numbers');
    await agentAssignsOwner('Book the venue');
    await tick();
    expect(smtp.messages).toHaveLength(1);
    server.clock.advance(29 * 60_000);
    await tick();
    expect(smtp.messages).toHaveLength(1);
    server.clock.advance(60_000);
    await tick();
    expect(smtp.messages).toHaveLength(2);
    const digest = smtp.messages[1];
    expect(digest?.subject).toContain('2 notifications');
    expect(digest?.text).toContain('Check the numbers');
    expect(digest?.text).toContain('Book the venue');
    expect(await server.database.db.selectFrom('notification_digest_items').select('id').execute()).toHaveLength(0);
    // Both went through the durable sender, each attempt logged.
    const attempts = await server.database.db.selectFrom('outbound_attempts').select(['status_code']).execute();
    expect(attempts.map((attempt) => attempt.status_code)).toEqual([250, 250]);
  });

  it('posts an urgent mention to Slack at once and the rest in one digest message, retrying a failure', async () => {
    await setPreferences({
      slackWebhookUrl: slack.url,
      digest: { mode: 'interval', everyMinutes: 15 },
      kinds: {
        mention: { channels: ['in-app', 'slack'], priority: 'urgent' },
        assignment: { channels: ['in-app', 'slack'], priority: 'normal' },
      },
    });
    slack.answerWith((_request, index) => (index === 0 ? { status: 500, body: 'oops' } : { status: 200, body: 'ok' }));
    await agentMentionsOwner('the build is red');
    await agentAssignsOwner('Fix the build');
    await tick();
    expect(slack.requests).toHaveLength(1);
    server.clock.advance(5_000);
    await tick();
    expect(slack.requests).toHaveLength(2);
    const logged = (await asOwner({ method: 'GET', url: '/api/v1/notification-deliveries' })).json();
    expect(logged.data).toHaveLength(1);
    expect(logged.data[0]).toMatchObject({ channel: 'slack', eventType: 'notification.mention', status: 'succeeded', attemptCount: 2 });
    expect(logged.data[0].attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([500, 200]);
    const urgent = JSON.parse(slack.requests[1]?.body ?? '{}');
    expect(urgent.text).toContain('the build is red');
    expect(urgent.text).toContain(`<${publicUrl}/tasks?task=${taskId}|Open the task>`);

    await agentAssignsOwner('Write the post-mortem');
    server.clock.advance(15 * 60_000);
    await tick();
    expect(slack.requests).toHaveLength(3);
    const digest = JSON.parse(slack.requests[2]?.body ?? '{}');
    expect(digest.text).toContain('2 notifications');
    expect(digest.text).toContain('Fix the build');
    expect(digest.text).toContain('Write the post-mortem');
  });

  it('holds normal notifications through quiet hours in the time zone, while urgent ones go at once', async () => {
    await setPreferences({
      slackWebhookUrl: slack.url,
      timeZone: 'Europe/Berlin',
      quietHours: { start: '22:00', end: '07:00' },
      kinds: {
        escalation: { channels: ['slack'], priority: 'urgent' },
        mention: { channels: ['in-app', 'slack'], priority: 'normal' },
      },
    });
    // 23:30 in Berlin.
    server.clock.set(new Date('2026-01-05T22:30:00.000Z'));
    await agentMentionsOwner('late thought');
    await tick();
    expect(slack.requests).toHaveLength(0);
    const escalated = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/escalate`,
      token: agentKey,
      payload: { reason: 'the customer is waiting' },
    });
    expect(escalated.statusCode).toBe(200);
    await tick();
    expect(slack.requests).toHaveLength(1);
    expect(JSON.parse(slack.requests[0]?.body ?? '{}').text).toContain('customer is waiting');

    // 06:59 in Berlin: still quiet; 07:00: the held mention goes.
    server.clock.set(new Date('2026-01-06T05:59:00.000Z'));
    await tick();
    expect(slack.requests).toHaveLength(1);
    server.clock.set(new Date('2026-01-06T06:00:00.000Z'));
    await tick();
    expect(slack.requests).toHaveLength(2);
    expect(JSON.parse(slack.requests[1]?.body ?? '{}').text).toContain('late thought');
  });

  it("uses the workspace's Slack channel for someone without one of their own, naming them", async () => {
    const channels = await asOwner({ method: 'PUT', url: '/api/v1/notification-channels', payload: { slackWebhookUrl: slack.url } });
    expect(channels.statusCode).toBe(200);
    expect(channels.json().slack.webhookUrl).toMatch(/…/);
    const refused = await server.request({
      method: 'PUT',
      url: '/api/v1/notification-channels',
      token: agentKey,
      payload: { slackWebhookUrl: null },
    });
    expect(refused.statusCode).toBe(403);
    const preferences = await setPreferences({ kinds: { mention: { channels: ['slack'], priority: 'urgent' } } });
    expect(preferences.slack).toEqual({ webhookUrl: null, usesWorkspaceChannel: true });
    await agentMentionsOwner();
    await tick();
    expect(JSON.parse(slack.requests[0]?.body ?? '{}').text).toMatch(/^For Owner: /);
  });

  it('lets an agent mute a kind entirely, and keeps the others', async () => {
    await setPreferences({ kinds: { mention: { channels: [], priority: 'normal', muted: true } } }, agentKey);
    await asOwner({ method: 'POST', url: `/api/v1/tasks/${taskId}/messages`, payload: { content: `@${agent.name} can you take this?` } });
    await asOwner({ method: 'POST', url: `/api/v1/tasks/${taskId}/assign`, payload: { assignees: [{ kind: 'agent', id: agent.id }] } });
    const inbox = (await server.request({ method: 'GET', url: '/api/v1/notifications', token: agentKey })).json() as {
      data: { kind: string }[];
    };
    expect(inbox.data.map((notification) => notification.kind)).toEqual(['assignment']);
  });
});

describeEachEngine('notification channels without SMTP or private targets', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server?.close();
  });

  it('answers 409 NOTIFICATION_CHANNEL_UNAVAILABLE for email and 400 WEBHOOK_TARGET_REFUSED for a private Slack URL, storing nothing', async () => {
    const email = await server.request({
      method: 'PUT',
      url: '/api/v1/notification-preferences',
      payload: { kinds: { mention: { channels: ['email'], priority: 'urgent' } } },
    });
    expect(email.statusCode).toBe(409);
    expect(email.json().error.code).toBe('NOTIFICATION_CHANNEL_UNAVAILABLE');
    const slack = await server.request({
      method: 'PUT',
      url: '/api/v1/notification-preferences',
      payload: { slackWebhookUrl: 'https://127.0.0.1/services/T/B/C' },
    });
    expect(slack.statusCode).toBe(400);
    expect(slack.json().error.code).toBe('WEBHOOK_TARGET_REFUSED');
    expect(await server.database.db.selectFrom('notification_preferences').select('recipient_id').execute()).toHaveLength(0);
  });
});
