import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createId } from '../../core/ids.js';
import { appendEvent } from '../../events/event.repository.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';
import { startOfLocal } from './time-zones.js';

const minute = 60_000;

describe('local calendar boundaries', () => {
  it('finds local midnights, hours, Mondays and months across offsets and DST', () => {
    const at = new Date('2026-01-15T07:30:00.000Z');
    expect(startOfLocal(at, 'UTC', 'day').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(startOfLocal(at, 'America/Los_Angeles', 'day').toISOString()).toBe('2026-01-14T08:00:00.000Z');
    expect(startOfLocal(at, 'Pacific/Kiritimati', 'day').toISOString()).toBe('2026-01-14T10:00:00.000Z');
    expect(startOfLocal(at, 'Asia/Kolkata', 'hour').toISOString()).toBe('2026-01-15T07:30:00.000Z');
    expect(startOfLocal(at, 'Europe/Paris', 'week').toISOString()).toBe('2026-01-11T23:00:00.000Z');
    expect(startOfLocal(at, 'America/Los_Angeles', 'month').toISOString()).toBe('2026-01-01T08:00:00.000Z');
    // Paris springs forward on 2026-03-29: that day starts at UTC+1 and the next at UTC+2.
    expect(startOfLocal(new Date('2026-03-29T12:00:00Z'), 'Europe/Paris', 'day').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocal(new Date('2026-03-30T12:00:00Z'), 'Europe/Paris', 'day').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});

describeEachEngine('analytics', (engine) => {
  let server: TestServer;
  let token: string;
  let agentId: string;
  let agentKey: string;
  const clock = () => server.clock;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-01-15T07:30:00.000Z')) });
    // An API key outlives the access token while the test clock moves on.
    const created = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'analytics test' } });
    token = created.json().secret;
    const agent = await server.createAgentWithKey();
    agentId = agent.agent.id;
    agentKey = agent.apiKey;
  });
  afterEach(async () => {
    await server.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => server.request({ method: 'GET', url, token, headers });
  const createTask = async (title: string) => {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token,
      payload: { title, assignees: [{ kind: 'agent', id: agentId }] },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json() as { id: string; status: string };
  };
  const move = async (taskId: string, status: string, as = token) => {
    const answer = await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, token: as, payload: { status } });
    expect(answer.statusCode, answer.body).toBe(200);
  };
  const post = async (taskId: string, content: string) => {
    const answer = await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/messages`, token, payload: { content } });
    expect(answer.statusCode, answer.body).toBe(201);
  };
  const insertRun = (startedAt: string, costMicroDollars: number, tokens: number) =>
    server.database.db
      .insertInto('agent_runs')
      .values({
        id: createId(),
        workspace_id: server.workspaceId,
        agent_id: agentId,
        task_id: null,
        trigger: 'schedule',
        status: 'completed',
        provider: 'test',
        model: 'test-model',
        prompt: '[]',
        output: '',
        tokens_in: tokens,
        tokens_out: 0,
        cost_micro_dollars: costMicroDollars,
        model_calls: 1,
        duration_ms: 1000,
        error: null,
        started_at: startedAt,
        finished_at: startedAt,
        test_result: 'null',
      })
      .execute();

  it('answers every status, agents, messages, events, approvals and spend against hand-computed numbers, in each time zone', async () => {
    // 07:30Z: Jan 15 in UTC and Kiritimati (21:30), still Jan 14 in Los Angeles (23:30).
    const bounced = await createTask('bounces between columns');
    const failing = await createTask('fails');
    const blocked = await createTask('blocked');
    const cancelled = await createTask('cancelled');
    const reviewed = await createTask('waits in review');
    await createTask('stays where it was created');
    await post(bounced.id, 'before midnight in Los Angeles');
    await post(bounced.id, 'also before');

    clock().advance(90 * minute); // 09:00Z: 01:00 on Jan 15 in Los Angeles.
    await move(bounced.id, 'in_progress', agentKey);
    await move(bounced.id, 'review', agentKey);
    await move(bounced.id, 'in_progress', token);
    await move(bounced.id, 'done', agentKey);
    await move(failing.id, 'in_progress', agentKey);
    await move(failing.id, 'failed', agentKey);
    await move(blocked.id, 'blocked', token);
    await move(cancelled.id, 'cancelled', token);
    await move(reviewed.id, 'in_progress', agentKey);
    await move(reviewed.id, 'review', agentKey);
    await post(bounced.id, 'after midnight everywhere');
    await post(bounced.id, 'two');
    await post(bounced.id, 'three');

    await insertRun('2025-12-31T12:00:00.000Z', 999, 999); // last month
    await insertRun('2026-01-10T12:00:00.000Z', 2_000, 200); // this month, not today
    await insertRun('2026-01-15T08:30:00.000Z', 500, 50); // today in UTC and Los Angeles

    const utc = await get('/api/v1/analytics/overview');
    expect(utc.statusCode, utc.body).toBe(200);
    const overview = utc.json();
    const created = bounced.status; // where a task with an assignee lands when created
    const expectedTasks: Record<string, number> = {
      inbox: 0,
      assigned: 0,
      in_progress: 0,
      review: 1,
      done: 1,
      blocked: 1,
      failed: 1,
      cancelled: 1,
    };
    expectedTasks[created] = (expectedTasks[created] ?? 0) + 1;
    expect(overview.tasks).toEqual({ ...expectedTasks, total: 6 });
    expect(overview.openApprovals).toBe(1);
    expect(overview.agents).toMatchObject({ total: 1 });
    expect(overview.messagesToday).toBe(5);
    expect(overview.todayStartsAt).toBe('2026-01-15T00:00:00.000Z');
    expect(overview.spend).toEqual({ todayMicroDollars: 500, monthMicroDollars: 2_500, tokensToday: 50, tokensMonth: 250 });
    const storedToday = await server.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('workspace_id', '=', server.workspaceId)
      .where('created_at', '>=', '2026-01-15T00:00:00.000Z')
      .executeTakeFirstOrThrow();
    expect(overview.eventsToday).toBe(Number(storedToday.count));

    const losAngeles = (await get('/api/v1/analytics/overview?timeZone=America/Los_Angeles')).json();
    expect(losAngeles.todayStartsAt).toBe('2026-01-15T08:00:00.000Z');
    expect(losAngeles.monthStartsAt).toBe('2026-01-01T08:00:00.000Z');
    expect(losAngeles.messagesToday).toBe(3);
    expect(losAngeles.spend.todayMicroDollars).toBe(500);
    // 09:00Z is 23:00 on Jan 15 in Kiritimati: its day began at 10:00Z on Jan 14.
    const kiritimati = (await get('/api/v1/analytics/overview?timeZone=Pacific/Kiritimati')).json();
    expect(kiritimati.todayStartsAt).toBe('2026-01-14T10:00:00.000Z');
    expect(kiritimati.messagesToday).toBe(5);

    const csv = await get('/api/v1/analytics/overview', { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain('tasks.done,1\r\n');
    expect(csv.body).toContain('messagesToday,5\r\n');

    // Throughput by local day: the moves at 09:00Z fall on Jan 15 everywhere but Kiritimati, where it is still Jan 15 too.
    const throughput = await get(
      '/api/v1/analytics/throughput?from=2026-01-14T00:00:00Z&to=2026-01-16T00:00:00Z&interval=day&timeZone=America/Los_Angeles',
    );
    expect(throughput.statusCode, throughput.body).toBe(200);
    expect(throughput.json().data).toEqual([
      { periodStart: '2026-01-14T08:00:00.000Z', created: 6, started: 0, done: 0, failed: 0 },
      { periodStart: '2026-01-15T08:00:00.000Z', created: 0, started: 4, done: 1, failed: 1 },
    ]);
    const byAgent = await get('/api/v1/analytics/throughput?from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z&interval=hour&groupBy=agent');
    expect(byAgent.json().data).toEqual([
      { periodStart: '2026-01-15T07:00:00.000Z', agentId: null, created: 6, started: 0, done: 0, failed: 0 },
      // The person sent the bounced task back to in_progress; the agent made every other move.
      { periodStart: '2026-01-15T09:00:00.000Z', agentId: null, created: 0, started: 1, done: 0, failed: 0 },
      { periodStart: '2026-01-15T09:00:00.000Z', agentId, created: 0, started: 3, done: 1, failed: 1 },
    ]);
    const throughputCsv = await get('/api/v1/analytics/throughput?from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z', {
      accept: 'text/csv',
    });
    expect(throughputCsv.body).toBe('periodStart,created,started,done,failed\r\n2026-01-15T00:00:00.000Z,6,4,1,1\r\n');
  });

  it('answers 400 VALIDATION_FAILED to an unknown time zone, an unknown interval, a reversed or too long range', async () => {
    for (const url of [
      '/api/v1/analytics/overview?timeZone=Mars/Olympus',
      '/api/v1/analytics/overview?zone=UTC',
      '/api/v1/analytics/throughput?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&interval=minute',
      '/api/v1/analytics/throughput?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/api/v1/analytics/throughput?from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      '/api/v1/analytics/throughput?to=2026-01-01T00:00:00Z',
    ]) {
      const answer = await get(url);
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lets agents read the overview and keeps workspaces apart', async () => {
    const answer = await server.request({ method: 'GET', url: '/api/v1/analytics/overview', token: agentKey });
    expect(answer.statusCode).toBe(200);
    const other = await server.createOtherWorkspaceToken();
    await createTask('only in the first workspace');
    const elsewhere = await server.request({ method: 'GET', url: '/api/v1/analytics/overview', token: other });
    expect(elsewhere.json().tasks.total).toBe(0);
  });

  it('keeps the command center numbers right after 10,000 events', async () => {
    const task = await createTask('busy thread');
    for (let index = 0; index < 300; index += 1) {
      await server.services.messages.postMessage(server.ownerPrincipal, task.id, {
        content: `message ${index}`,
        type: 'comment',
        attachments: [],
      });
    }
    const stored = async () =>
      Number(
        (
          await server.database.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<number>().as('count'))
            .where('workspace_id', '=', server.workspaceId)
            .executeTakeFirstOrThrow()
        ).count,
      );
    // The rest of the 10,000 through the outbox writer, in batches (edits of the task's description).
    let remaining = 10_000 - (await stored());
    while (remaining > 0) {
      const batch = Math.min(remaining, 1_000);
      await server.database.db.transaction().execute(async (trx) => {
        for (let index = 0; index < batch; index += 1) {
          await appendEvent(trx, {
            workspaceId: server.workspaceId,
            type: 'task-updated',
            actor: { kind: 'user', id: server.ownerPrincipal.id },
            taskId: task.id,
            summary: 'description edited',
            data: { key: 'TASK-1', fields: ['description'] },
            at: server.clock.now(),
          });
        }
      });
      remaining -= batch;
    }
    expect(await stored()).toBe(10_000);
    const overview = (await get('/api/v1/analytics/overview')).json();
    // Every event but the owner's API key made before the clock started is from today; all are.
    expect(overview.eventsToday).toBe(10_000);
    expect(overview.messagesToday).toBe(300);
    expect(overview.tasks.total).toBe(1);
  }, 120_000);
});
