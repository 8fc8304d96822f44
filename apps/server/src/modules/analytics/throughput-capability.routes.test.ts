import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('analytics: throughput by capability', (engine) => {
  let server: TestServer;
  let token: string;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-02-02T10:00:00.000Z')) });
    // An API key: access tokens expire when the clock moves a day.
    token = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'capability test' } })).json().secret;
  });
  afterEach(async () => {
    await server.close();
  });

  const createTask = async (requiredCapabilities: string[]) => {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token,
      payload: { title: 'capability fixture', requiredCapabilities, assignees: [{ kind: 'user', id: server.ownerPrincipal.id }] },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json().id as string;
  };
  const move = async (taskId: string, status: string) => {
    const answer = await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, token, payload: { status } });
    expect(answer.statusCode, answer.body).toBe(200);
  };

  it('splits each day by the capabilities the task requires; a task requiring two counts under each, none under null', async () => {
    const written = await createTask(['writing']);
    const reviewed = await createTask(['review', 'writing']);
    await createTask([]);
    await move(written, 'in_progress');
    await move(reviewed, 'in_progress');
    // The next day: one done, one failed.
    server.clock.advance(24 * 3_600_000);
    await move(written, 'done');
    await move(reviewed, 'failed');

    const url = '/api/v1/analytics/throughput?from=2026-02-01T00:00:00.000Z&to=2026-02-05T00:00:00.000Z&interval=day&groupBy=capability';
    const answer = await server.request({ method: 'GET', url, token });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().data).toEqual([
      { periodStart: '2026-02-02T00:00:00.000Z', capability: null, created: 1, started: 0, done: 0, failed: 0 },
      { periodStart: '2026-02-02T00:00:00.000Z', capability: 'review', created: 1, started: 1, done: 0, failed: 0 },
      { periodStart: '2026-02-02T00:00:00.000Z', capability: 'writing', created: 2, started: 2, done: 0, failed: 0 },
      { periodStart: '2026-02-03T00:00:00.000Z', capability: 'review', created: 0, started: 0, done: 0, failed: 1 },
      { periodStart: '2026-02-03T00:00:00.000Z', capability: 'writing', created: 0, started: 0, done: 1, failed: 1 },
    ]);

    const csv = await server.request({ method: 'GET', url, token, headers: { accept: 'text/csv' } });
    expect(csv.body.split(/\r?\n/).slice(0, 2)).toEqual([
      'periodStart,capability,created,started,done,failed',
      '2026-02-02T00:00:00.000Z,,1,0,0,0',
    ]);
  });
});
