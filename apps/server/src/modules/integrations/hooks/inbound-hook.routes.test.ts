import { createHmac } from 'node:crypto';
import type { InboundHookWithSecret } from '@mission-control/contracts';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.js';
import { createTestServer, type TestServer } from '../../../test/test-server.js';

describeEachEngine('inbound hooks', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server?.close();
  });

  async function createHook(payload: Record<string, unknown>): Promise<InboundHookWithSecret> {
    const answer = await server.request({ method: 'POST', url: '/api/v1/inbound-hooks', payload });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json();
  }

  const ciHook = {
    name: 'CI failures',
    action: 'create-task',
    template: {
      title: "'Build ' + string(payload.build) + ' failed on ' + payload.branch",
      description: 'payload.log',
      priority: "payload.branch == 'main' ? 'urgent' : 'medium'",
    },
  };

  function call(hookId: string, body: string, headers: Record<string, string>) {
    return server.app.inject({
      method: 'POST',
      url: `/api/v1/hooks/${hookId}`,
      payload: body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }

  it('creates a task from a payload sent with the bearer secret, mapped by the CEL template', async () => {
    const hook = await createHook(ciHook);
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook).toMatchObject({ action: 'create-task', enabled: true, path: `/api/v1/hooks/${hook.id}`, lastReceivedAt: null });
    const shown = await server.request({ method: 'GET', url: `/api/v1/inbound-hooks/${hook.id}` });
    expect(shown.json()).not.toHaveProperty('secret');

    const answer = await call(hook.id, JSON.stringify({ build: 812, branch: 'main', log: 'tests failed' }), {
      authorization: `Bearer ${hook.secret}`,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json()).toMatchObject({ action: 'create-task', taskKey: 'TASK-1', messageId: null });
    const task = (await server.request({ method: 'GET', url: `/api/v1/tasks/${answer.json().taskId}` })).json();
    expect(task).toMatchObject({
      title: 'Build 812 failed on main',
      description: 'tests failed',
      priority: 'urgent',
      creator: { kind: 'user', id: server.ownerPrincipal.id },
    });
    const received = await server.database.db
      .selectFrom('events')
      .select(['type', 'task_id'])
      .where('type', '=', 'inbound-hook-received')
      .execute();
    expect(received).toEqual([{ type: 'inbound-hook-received', task_id: task.id }]);
    expect((await server.request({ method: 'GET', url: `/api/v1/inbound-hooks/${hook.id}` })).json().lastReceivedAt).not.toBeNull();
  });

  it('accepts an HMAC of the body and Standard Webhooks headers signed with the secret', async () => {
    const hook = await createHook(ciHook);
    const body = JSON.stringify({ build: 9, branch: 'feature', log: '' });
    const hmac = createHmac('sha256', hook.secret).update(body).digest('hex');
    expect((await call(hook.id, body, { 'x-mission-signature': `sha256=${hmac}` })).statusCode).toBe(201);
    const signed = new StandardWebhook(hook.secret).sign('msg_1', server.clock.now(), body);
    const standard = await call(hook.id, body, {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(server.clock.now().getTime() / 1_000)),
      'webhook-signature': signed,
    });
    expect(standard.statusCode).toBe(201);
    expect(await server.database.db.selectFrom('tasks').select('id').execute()).toHaveLength(2);
  });

  it('refuses a body nested too deep or poisoning __proto__ with 400 before any template runs, like every other route', async () => {
    const hook = await createHook(ciHook);
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    const nested = await call(hook.id, `{"build":1,"branch":"main","log":${deep}}`, { authorization: `Bearer ${hook.secret}` });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error.code).toBe('VALIDATION_FAILED');
    const poisoned = await call(hook.id, '{"build":1,"branch":"main","log":"x","__proto__":{"admin":true}}', {
      authorization: `Bearer ${hook.secret}`,
    });
    expect(poisoned.statusCode).toBe(400);
    expect(await server.database.db.selectFrom('tasks').select('id').execute()).toHaveLength(0);
  });

  it('refuses a bad signature, a wrong bearer, a stale Standard Webhooks timestamp and no credential with 401, creating nothing', async () => {
    const hook = await createHook(ciHook);
    const body = JSON.stringify({ build: 1, branch: 'main', log: 'x' });
    const wrongHmac = createHmac('sha256', 'not-the-secret').update(body).digest('hex');
    const stale = new Date(server.clock.now().getTime() - 10 * 60_000);
    const attempts: Record<string, string>[] = [
      { 'x-mission-signature': `sha256=${wrongHmac}` },
      { 'x-mission-signature': `sha256=${createHmac('sha256', hook.secret).update(`${body} `).digest('hex')}` },
      { authorization: 'Bearer whsec_guessed' },
      {
        'webhook-id': 'msg_2',
        'webhook-timestamp': String(Math.floor(stale.getTime() / 1_000)),
        'webhook-signature': new StandardWebhook(hook.secret).sign('msg_2', stale, body),
      },
      {},
    ];
    for (const headers of attempts) {
      const answer = await call(hook.id, body, headers);
      expect(answer.statusCode).toBe(401);
      expect(answer.json().error.code).toBe('INBOUND_HOOK_SIGNATURE_INVALID');
    }
    expect(await server.database.db.selectFrom('tasks').select('id').execute()).toHaveLength(0);
    expect(await server.database.db.selectFrom('events').select('id').where('type', '=', 'inbound-hook-received').execute()).toHaveLength(
      0,
    );
    const unknown = await call('0190a0b0-0000-7000-8000-000000000000', body, { authorization: `Bearer ${hook.secret}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('INBOUND_HOOK_NOT_FOUND');
  });

  it('posts a message in a task thread, and answers 422 when the payload maps to invalid fields', async () => {
    const task = (await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Deploy' } })).json();
    const hook = await createHook({
      name: 'Deploy notes',
      action: 'post-message',
      template: { task: 'payload.task', content: "'Deployed ' + payload.version", type: "'status_update'" },
    });
    const posted = await call(hook.id, JSON.stringify({ task: task.key, version: '1.4.0' }), { authorization: `Bearer ${hook.secret}` });
    expect(posted.statusCode, posted.body).toBe(201);
    const messages = (await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}/messages` })).json();
    expect(messages.data[0]).toMatchObject({ id: posted.json().messageId, content: 'Deployed 1.4.0', type: 'status_update' });

    const missing = await call(hook.id, JSON.stringify({ task: task.key }), { authorization: `Bearer ${hook.secret}` });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error).toMatchObject({ code: 'INBOUND_HOOK_PAYLOAD_UNMAPPABLE', details: { field: 'content' } });
    const unknownTask = await call(hook.id, JSON.stringify({ task: 'TASK-99', version: '2' }), { authorization: `Bearer ${hook.secret}` });
    expect(unknownTask.statusCode).toBe(404);
    expect(unknownTask.json().error.code).toBe('TASK_NOT_FOUND');
  });

  it('starts a workflow run for start-workflow, answers 409 INBOUND_HOOK_DISABLED when disabled, and 400 for a template that is not CEL', async () => {
    const release = await server.request({
      method: 'POST',
      url: '/api/v1/workflows',
      payload: {
        name: 'release',
        inputs: { version: { type: 'string' } },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: ${…} is workflow CEL interpolation
        steps: [{ id: 'ship', kind: 'task', task: { title: 'Ship ${inputs.version}' } }],
      },
    });
    expect(release.statusCode, release.body).toBe(201);
    const workflow = await createHook({
      name: 'Start release',
      action: 'start-workflow',
      template: { workflow: "'release'", input: 'payload' },
    });
    const started = await call(workflow.id, JSON.stringify({ version: '2.0' }), { authorization: `Bearer ${workflow.secret}` });
    expect(started.statusCode, started.body).toBe(201);
    expect(started.json()).toMatchObject({ action: 'start-workflow' });
    const runs = (await server.request({ method: 'GET', url: '/api/v1/workflow-runs' })).json();
    expect(runs.data).toEqual([expect.objectContaining({ workflowName: 'release', inputs: { version: '2.0' } })]);
    const tasks = await server.database.db.selectFrom('tasks').select('title').execute();
    expect(tasks.map((task) => task.title)).toContain('Ship 2.0');

    const hook = await createHook(ciHook);
    expect(
      (await server.request({ method: 'PATCH', url: `/api/v1/inbound-hooks/${hook.id}`, payload: { enabled: false } })).statusCode,
    ).toBe(200);
    const disabled = await call(hook.id, '{"build":1,"branch":"x","log":""}', { authorization: `Bearer ${hook.secret}` });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().error.code).toBe('INBOUND_HOOK_DISABLED');

    for (const template of [{ title: "'unclosed" }, { description: 'payload.text' }, { title: 'payload.title', color: "'red'" }]) {
      const refused = await server.request({
        method: 'POST',
        url: '/api/v1/inbound-hooks',
        payload: { name: 'Bad', action: 'create-task', template },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('INBOUND_HOOK_TEMPLATE_INVALID');
    }
    expect((await server.request({ method: 'GET', url: '/api/v1/inbound-hooks' })).json().data).toHaveLength(2);
  });

  it('stops accepting the old secret after a rotation, and answers 404 once deleted', async () => {
    const hook = await createHook(ciHook);
    const rotated = (
      await server.request({ method: 'POST', url: `/api/v1/inbound-hooks/${hook.id}/rotate-secret` })
    ).json() as InboundHookWithSecret;
    const body = '{"build":2,"branch":"main","log":""}';
    expect((await call(hook.id, body, { authorization: `Bearer ${hook.secret}` })).statusCode).toBe(401);
    expect((await call(hook.id, body, { authorization: `Bearer ${rotated.secret}` })).statusCode).toBe(201);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/inbound-hooks/${hook.id}` })).statusCode).toBe(204);
    expect((await call(hook.id, body, { authorization: `Bearer ${rotated.secret}` })).statusCode).toBe(404);
    const { apiKey } = await server.createAgentWithKey();
    expect((await server.request({ method: 'GET', url: '/api/v1/inbound-hooks', token: apiKey })).statusCode).toBe(403);
  });
});
