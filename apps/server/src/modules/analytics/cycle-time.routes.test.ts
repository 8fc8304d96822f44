import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

const minutes = (count: number) => count * 60_000;

describeEachEngine('analytics: cycle time', (engine) => {
  let server: TestServer;
  let token: string;
  let agent: { id: string; key: string };

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-01-15T07:30:00.000Z')) });
    token = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'cycle test' } })).json().secret;
    const created = await server.createAgentWithKey();
    agent = { id: created.agent.id, key: created.apiKey };
  });
  afterEach(async () => {
    await server.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => server.request({ method: 'GET', url, token, headers });
  const createTask = async () => {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token,
      payload: { title: 'cycle fixture', assignees: [{ kind: 'agent', id: agent.id }] },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json().status).toBe('assigned');
    return answer.json().id as string;
  };
  const move = async (taskId: string, status: string, as = agent.key) => {
    const answer = await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, token: as, payload: { status } });
    expect(answer.statusCode, answer.body).toBe(200);
  };

  /** A bounces back from review once; B goes straight through; C is never done. */
  const seed = async () => {
    const bounced = await createTask();
    const straight = await createTask();
    server.clock.advance(minutes(60));
    await move(bounced, 'in_progress');
    await move(straight, 'in_progress');
    server.clock.advance(minutes(120));
    await move(bounced, 'review');
    server.clock.advance(minutes(30)); // 11:00Z
    await move(bounced, 'in_progress', token);
    await move(straight, 'done');
    server.clock.advance(minutes(60));
    await move(bounced, 'review');
    server.clock.advance(minutes(30)); // 12:30Z
    await move(bounced, 'done');
    const unfinished = await createTask();
    await move(unfinished, 'in_progress');
  };

  it('measures lead time and time in each column of done tasks against hand-computed numbers, bounces added up', async () => {
    await seed();
    const answer = await get('/api/v1/analytics/cycle-time?interval=day&groupBy=agent');
    expect(answer.statusCode, answer.body).toBe(200);
    const summary = {
      tasks: 2,
      // Lead times 210 and 300 minutes; nearest rank: p50 is the first, p90 the second.
      leadTime: { p50Ms: minutes(210), p90Ms: minutes(300) },
      columns: [
        { status: 'assigned', tasks: 2, p50Ms: minutes(60), p90Ms: minutes(60) },
        // The bounced task spent 120 + 60 minutes in progress, the straight one 150.
        { status: 'in_progress', tasks: 2, p50Ms: minutes(150), p90Ms: minutes(180) },
        { status: 'review', tasks: 1, p50Ms: minutes(60), p90Ms: minutes(60) },
      ],
    };
    expect(answer.json().overall).toEqual(summary);
    expect(answer.json().periods).toEqual([{ periodStart: '2026-01-15T00:00:00.000Z', ...summary }]);
    expect(answer.json().agents).toEqual([{ agentId: agent.id, ...summary }]);

    // In Kamchatka (UTC+12) local midnight falls between the two: 11:00Z is 23:00, 12:30Z is 00:30 the next day.
    const kamchatka = (await get('/api/v1/analytics/cycle-time?interval=day&timeZone=Asia/Kamchatka')).json();
    expect(kamchatka.agents).toBeUndefined();
    expect(kamchatka.periods.map((period: { periodStart: string; tasks: number }) => [period.periodStart, period.tasks])).toEqual([
      ['2026-01-14T12:00:00.000Z', 1],
      ['2026-01-15T12:00:00.000Z', 1],
    ]);
    expect(kamchatka.periods[0].leadTime).toEqual({ p50Ms: minutes(210), p90Ms: minutes(210) });

    // A range that ends before the bounced task was done holds only the straight one.
    const early = (await get('/api/v1/analytics/cycle-time?from=2026-01-15T00:00:00Z&to=2026-01-15T12:00:00Z')).json();
    expect(early.overall.tasks).toBe(1);
    expect(early.overall.columns.map((column: { status: string }) => column.status)).toEqual(['assigned', 'in_progress']);

    const csv = await get('/api/v1/analytics/cycle-time', { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('periodStart,measure,tasks,p50Ms,p90Ms\r\nall,lead time,2,12600000,18000000\r\n')).toBe(true);
  });

  it('keeps workspaces apart', async () => {
    const other = await server.createOtherWorkspaceToken();
    const done = await createTask();
    await move(done, 'in_progress');
    await move(done, 'done');
    expect((await get('/api/v1/analytics/cycle-time')).json().overall.tasks).toBe(1);
    const elsewhere = await server.request({ method: 'GET', url: '/api/v1/analytics/cycle-time', token: other });
    expect(elsewhere.json().overall.tasks).toBe(0);
  });

  it('answers no tasks for an empty range and 400 to a bad interval', async () => {
    await seed();
    const empty = (await get('/api/v1/analytics/cycle-time?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z')).json();
    expect(empty.overall).toEqual({ tasks: 0, leadTime: null, columns: [] });
    expect(empty.periods).toEqual([]);
    const bad = await get('/api/v1/analytics/cycle-time?interval=hour');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });
});
