import os from 'node:os';
import type { EventType } from '@mission-control/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createId } from '../../core/ids.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';
import { createAlertService } from './alert.service.js';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

describeEachEngine('alerts', (engine) => {
  let server: TestServer;
  let ownerKey: string;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-03-10T12:00:00.000Z')) });
    // An API key: the test clock runs past the owner's access token.
    ownerKey = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'alerts test' } })).json().secret;
  });
  afterEach(async () => {
    await server.close();
  });

  const request = (options: Parameters<TestServer['request']>[0]) => server.request({ token: ownerKey, ...options });
  const detect = () => server.services.alerts.runDetector();
  const nextMinute = () => server.clock.advance(minuteMs);
  const listAlerts = async (query = '') => {
    const answer = await request({ method: 'GET', url: `/api/v1/alerts${query}` });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json() as {
      data: { id: string; kind: string; status: string; subject: { name: string }; resolvedBy: unknown }[];
      openCount: number;
    };
  };
  const eventsOf = (type: EventType) => server.database.db.selectFrom('events').selectAll().where('type', '=', type).execute();

  /** An online agent holding a claim on a task of its own. */
  const claimingAgent = async (name: string) => {
    const { agent, apiKey } = await server.createAgentWithKey({ name });
    const beat = await request({ method: 'POST', url: `/api/v1/agents/${agent.id}/heartbeat`, token: apiKey, payload: {} });
    expect(beat.statusCode, beat.body).toBe(200);
    const task = await request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: `Work of ${name}`, assignees: [{ kind: 'agent', id: agent.id }] },
    });
    expect(task.statusCode, task.body).toBe(201);
    const taskId = task.json().id as string;
    const claim = await request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/claim`,
      token: apiKey,
      payload: { leaseSeconds: 3600 },
    });
    expect(claim.statusCode, claim.body).toBe(200);
    const leaseToken = claim.json().lease.token as string;
    const progress = async () => {
      const answer = await request({
        method: 'POST',
        url: `/api/v1/tasks/${taskId}/messages`,
        token: apiKey,
        payload: { content: 'Still on it', leaseToken },
      });
      expect(answer.statusCode, answer.body).toBe(201);
    };
    return { agent, taskId, progress };
  };

  /** One run of an agent per entry: `costs[i]` micro-dollars, started i hours and 10 minutes before now (0 = the last hour). */
  const insertHourlyRuns = async (agentId: string, costs: readonly number[], status: 'completed' | 'failed' = 'completed') => {
    const now = server.clock.now().getTime();
    for (const [hoursAgo, cost] of costs.entries()) {
      await server.database.db
        .insertInto('agent_runs')
        .values({
          id: createId(),
          workspace_id: server.workspaceId,
          agent_id: agentId,
          task_id: null,
          trigger: 'schedule',
          status,
          provider: 'openai',
          model: 'gpt-a',
          prompt: '[]',
          output: '',
          tokens_in: 100,
          tokens_out: 10,
          cost_micro_dollars: cost,
          model_calls: 1,
          duration_ms: 1000,
          error: status === 'failed' ? 'broke' : null,
          started_at: new Date(now - hoursAgo * hourMs - 10 * minuteMs).toISOString(),
          finished_at: new Date(now - hoursAgo * hourMs - 10 * minuteMs).toISOString(),
          test_result: 'null',
        })
        .execute();
    }
  };

  it('raises exactly one alert for a stalled agent, notifies the owner, and resolves it when progress comes back', async () => {
    const stalled = await claimingAgent('Writer');
    server.clock.advance(20 * minuteMs);
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });

    server.clock.advance(15 * minuteMs);
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });
    nextMinute();
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    nextMinute();
    await detect();

    const listed = await listAlerts();
    expect(listed.openCount).toBe(1);
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({
      kind: 'stalled-agent',
      status: 'open',
      subject: { kind: 'agent', id: stalled.agent.id, name: 'Writer' },
    });
    const raised = await eventsOf('alert-raised');
    expect(raised).toHaveLength(1);
    expect(raised[0]?.agent_id).toBe(stalled.agent.id);
    const notified = await server.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_id', '=', server.ownerPrincipal.id)
      .where('kind', '=', 'system')
      .execute();
    expect(notified.map((row) => row.content)).toEqual([expect.stringContaining('Writer holds')]);

    await stalled.progress();
    nextMinute();
    expect(await detect()).toEqual({ raised: 0, resolved: 1 });
    const after = await listAlerts();
    expect(after.openCount).toBe(0);
    expect(after.data[0]).toMatchObject({ status: 'resolved', resolvedBy: null });
    const resolved = await eventsOf('alert-resolved');
    expect(resolved.map((row) => row.actor_kind)).toEqual([null]);
  });

  it('raises exactly one alert for a cost spike and none for a steady squad', async () => {
    const steady = await claimingAgent('Steady');
    const { agent: spender } = await server.createAgentWithKey({ name: 'Spender' });
    // A steady day: $0.50 every hour for 24 hours, and the same in the last hour.
    await insertHourlyRuns(spender.id, new Array(25).fill(500_000));
    for (let minute = 0; minute < 5; minute += 1) {
      await steady.progress();
      server.clock.advance(10 * minuteMs);
      expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    }
    expect(await listAlerts()).toMatchObject({ openCount: 0, data: [] });

    // Then $4.00 more within the last hour: 9× the median hour.
    await insertHourlyRuns(spender.id, [4_000_000]);
    // The minute was already checked: the next run is the next minute's.
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    nextMinute();
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });
    nextMinute();
    await detect();
    const listed = await listAlerts('?kind=cost-spike');
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ kind: 'cost-spike', status: 'open', subject: { kind: 'workspace' } });
    expect(await eventsOf('alert-raised')).toHaveLength(1);

    // Two hours later the spike has left the last hour: it resolves by itself.
    server.clock.advance(2 * hourMs);
    await detect();
    expect((await listAlerts('?status=resolved')).data.map((alert) => alert.kind)).toEqual(['cost-spike']);
  });

  it('raises an error-rate spike over the trailing median, once', async () => {
    const { agent } = await server.createAgentWithKey({ name: 'Flaky' });
    // One failed run every hour of the day, the last hour included: no spike.
    await insertHourlyRuns(agent.id, new Array(25).fill(0), 'failed');
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    // Three more in the last hour: 4 against a median of 1.
    for (let run = 0; run < 3; run += 1) await insertHourlyRuns(agent.id, [0], 'failed');
    nextMinute();
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });
    expect((await listAlerts('?kind=error-rate-spike')).data).toHaveLength(1);
  });

  it('runs the workspace checks on one instance per minute, and each instance checks its own disk', async () => {
    const { agent: spender } = await server.createAgentWithKey({ name: 'Spender' });
    await insertHourlyRuns(spender.id, [5_000_000]);
    const services = server.services;
    const dependencies = {
      agents: services.agents,
      claims: services.claims,
      agentUsage: services.agentUsage,
      analytics: services.analytics,
      workflows: services.workflows,
      notifications: services.notifications,
      workspaces: services.workspaces,
    };
    const first = createAlertService(services.context, dependencies, { instanceName: 'one', dataDirectory: os.tmpdir() });
    const second = createAlertService(services.context, dependencies, { instanceName: 'two', dataDirectory: os.tmpdir() });
    const put = await request({ method: 'PUT', url: '/api/v1/settings/alerts', payload: { diskFreePercentBelow: 100 } });
    expect(put.statusCode, put.body).toBe(200);

    const [one, two] = await Promise.all([first.runDetector(), second.runDetector()]);
    // One cost spike between them, and a disk alert from each instance.
    expect(one.raised + two.raised).toBe(3);
    const listed = await listAlerts();
    expect(listed.data.map((alert) => alert.kind).sort()).toEqual(['cost-spike', 'disk-almost-full', 'disk-almost-full']);
    expect(
      listed.data
        .filter((alert) => alert.kind === 'disk-almost-full')
        .map((alert) => alert.subject.name)
        .sort(),
    ).toEqual([`one: ${os.tmpdir()}`, `two: ${os.tmpdir()}`]);

    await request({ method: 'PUT', url: '/api/v1/settings/alerts', payload: { diskFreePercentBelow: 0 } });
    nextMinute();
    expect(await first.runDetector()).toEqual({ raised: 0, resolved: 1 });
    expect((await listAlerts('?kind=disk-almost-full&status=open')).data.map((alert) => alert.subject.name)).toEqual([
      `two: ${os.tmpdir()}`,
    ]);
  });

  it('acknowledges and resolves an alert, with their events, and answers 409 and 404 as documented', async () => {
    const { agent } = await server.createAgentWithKey({ name: 'Spender' });
    await insertHourlyRuns(agent.id, [5_000_000]);
    await detect();
    const [alert] = (await listAlerts()).data;
    if (!alert) throw new Error('no alert raised');

    const acknowledged = await request({ method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge` });
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    expect(acknowledged.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: { kind: 'user', id: server.ownerPrincipal.id } });
    expect((await listAlerts('?status=acknowledged')).data).toHaveLength(1);
    expect((await listAlerts('?status=open')).data).toHaveLength(0);
    // Acknowledged is not resolved: the detector neither raises it again nor closes it.
    nextMinute();
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });

    const resolved = await request({ method: 'POST', url: `/api/v1/alerts/${alert.id}/resolve` });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: { kind: 'user', id: server.ownerPrincipal.id } });
    const again = await request({ method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge` });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALERT_ALREADY_RESOLVED');
    expect((await eventsOf('alert-acknowledged')).map((row) => row.actor_id)).toEqual([server.ownerPrincipal.id]);
    expect((await eventsOf('alert-resolved')).map((row) => row.actor_id)).toEqual([server.ownerPrincipal.id]);

    // The spike still holds, so the next run raises a new alert.
    nextMinute();
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });

    const missing = await request({ method: 'POST', url: `/api/v1/alerts/${createId()}/resolve` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ALERT_NOT_FOUND');
    const otherToken = await server.createOtherWorkspaceToken();
    const elsewhere = await request({ method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge`, token: otherToken });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('keeps thresholds per workspace for owners and admins, and answers 403 to members and 400 to bad values', async () => {
    const defaults = await request({ method: 'GET', url: '/api/v1/settings/alerts' });
    expect(defaults.statusCode).toBe(200);
    expect(defaults.json()).toMatchObject({ costSpikeMultiple: 3, stalledAgentFloorMinutes: 30 });

    const admin = await server.addMember({ email: 'admin@example.com', role: 'admin' });
    const changed = await request({
      method: 'PUT',
      url: '/api/v1/settings/alerts',
      token: admin.token,
      payload: { costSpikeMultiple: 5 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ costSpikeMultiple: 5, stalledAgentFloorMinutes: 30 });
    expect((await request({ method: 'GET', url: '/api/v1/settings/alerts' })).json().costSpikeMultiple).toBe(5);

    const member = await server.addMember({ email: 'member@example.com', role: 'member' });
    for (const method of ['GET', 'PUT'] as const) {
      const answer = await request({
        method,
        url: '/api/v1/settings/alerts',
        token: member.token,
        ...(method === 'PUT' ? { payload: { costSpikeMultiple: 9 } } : {}),
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.json().error.code).toBe('FORBIDDEN');
    }
    const invalid = await request({ method: 'PUT', url: '/api/v1/settings/alerts', payload: { costSpikeMultiple: 0 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('VALIDATION_FAILED');
    const unknown = await request({ method: 'PUT', url: '/api/v1/settings/alerts', payload: { costSpike: 2 } });
    expect(unknown.statusCode).toBe(400);
    expect((await request({ method: 'GET', url: '/api/v1/settings/alerts' })).json().costSpikeMultiple).toBe(5);
    // Another workspace keeps its own defaults.
    const otherToken = await server.createOtherWorkspaceToken();
    expect((await request({ method: 'GET', url: '/api/v1/settings/alerts', token: otherToken })).json().costSpikeMultiple).toBe(3);
  });
});
