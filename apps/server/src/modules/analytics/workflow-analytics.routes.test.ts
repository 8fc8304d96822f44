import { afterEach, beforeEach, expect, it } from 'vitest';
import { createId } from '../../core/ids.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('analytics: workflows', (engine) => {
  let server: TestServer;
  const research = createId();
  const release = createId();

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-04-30T12:00:00.000Z')) });
  });
  afterEach(async () => {
    await server.close();
  });

  const insertRun = (run: { workflowId: string; name: string; version: number; status: string; startedAt: string; minutes?: number }) =>
    server.database.db
      .insertInto('workflow_runs')
      .values({
        id: createId(),
        workspace_id: server.workspaceId,
        workflow_id: run.workflowId,
        workflow_name: run.name,
        version: run.version,
        definition: '{}',
        status: run.status as 'completed',
        inputs: '{}',
        error: null,
        parent_run_id: null,
        parent_step_row_id: null,
        depth: 0,
        started_by_kind: 'user',
        started_by_id: server.ownerPrincipal.id,
        started_by_role: 'owner',
        started_at: run.startedAt,
        finished_at: run.minutes === undefined ? null : new Date(Date.parse(run.startedAt) + run.minutes * 60_000).toISOString(),
        wake_at: null,
        lease_owner: null,
        lease_expires_at: null,
      })
      .execute();

  const seed = async () => {
    // research v1: completed in 10, 20 and 40 min, failed after 5, one still running.
    for (const [status, minutes] of [
      ['completed', 10],
      ['completed', 20],
      ['completed', 40],
      ['failed', 5],
      ['running', undefined],
    ] as const) {
      await insertRun({ workflowId: research, name: 'research', version: 1, status, startedAt: '2026-04-10T08:00:00.000Z', minutes });
    }
    // research v2: one cancelled after 2 min.
    await insertRun({
      workflowId: research,
      name: 'research',
      version: 2,
      status: 'cancelled',
      startedAt: '2026-04-20T08:00:00.000Z',
      minutes: 2,
    });
    // release v1: waiting only; and one run before the range, which is left out.
    await insertRun({ workflowId: release, name: 'release', version: 1, status: 'waiting', startedAt: '2026-04-21T08:00:00.000Z' });
    await insertRun({
      workflowId: release,
      name: 'release',
      version: 1,
      status: 'completed',
      startedAt: '2026-03-01T08:00:00.000Z',
      minutes: 1,
    });
  };

  it('counts runs, success and duration p50/p90 per workflow and version against a hand-computed fixture', async () => {
    await seed();
    const answer = await server.request({
      method: 'GET',
      url: '/api/v1/analytics/workflows?from=2026-04-01T00:00:00.000Z&to=2026-05-01T00:00:00.000Z',
    });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({
      from: '2026-04-01T00:00:00.000Z',
      to: '2026-05-01T00:00:00.000Z',
      data: [
        {
          workflowId: release,
          workflowName: 'release',
          version: 1,
          runs: 1,
          completed: 0,
          failed: 0,
          cancelled: 0,
          active: 1,
          successRate: null,
          duration: null,
        },
        {
          workflowId: research,
          workflowName: 'research',
          version: 1,
          runs: 5,
          completed: 3,
          failed: 1,
          cancelled: 0,
          active: 1,
          successRate: 0.75,
          // Finished durations 5, 10, 20, 40 min: nearest rank p50 = 2nd = 10 min, p90 = 4th = 40 min.
          duration: { p50Ms: 10 * 60_000, p90Ms: 40 * 60_000 },
        },
        {
          workflowId: research,
          workflowName: 'research',
          version: 2,
          runs: 1,
          completed: 0,
          failed: 0,
          cancelled: 1,
          active: 0,
          successRate: 0,
          duration: { p50Ms: 2 * 60_000, p90Ms: 2 * 60_000 },
        },
      ],
    });
  });

  it('exports CSV, and answers 400 for a range over 366 days and only the caller’s workspace', async () => {
    await seed();
    const csv = await server.request({
      method: 'GET',
      url: '/api/v1/analytics/workflows?from=2026-04-01T00:00:00.000Z&to=2026-05-01T00:00:00.000Z',
      headers: { accept: 'text/csv' },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0] ?? csv.body.split('\n')[0]).toBe(
      'workflowId,workflowName,version,runs,completed,failed,cancelled,active,successRate,p50DurationMs,p90DurationMs',
    );
    expect(csv.body).toContain(`${research},research,1,5,3,1,0,1,0.75,600000,2400000`);
    const tooLong = await server.request({
      method: 'GET',
      url: '/api/v1/analytics/workflows?from=2024-01-01T00:00:00.000Z&to=2026-01-01T00:00:00.000Z',
    });
    expect(tooLong.statusCode).toBe(400);
    const other = await server.createOtherWorkspaceToken();
    const elsewhere = await server.request({
      method: 'GET',
      url: '/api/v1/analytics/workflows?from=2026-04-01T00:00:00.000Z',
      token: other,
    });
    expect(elsewhere.json().data).toEqual([]);
  });
});
