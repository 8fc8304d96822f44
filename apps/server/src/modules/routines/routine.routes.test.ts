import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('routines', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const createWorkflow = async () =>
    (
      await server.request({
        method: 'POST',
        url: '/api/v1/workflows',
        payload: { name: 'standup', steps: [{ id: 'write', kind: 'task', task: { title: 'Standup' } }] },
      })
    ).json() as { id: string };

  it('fires at its cron time under the test clock, once for slots missed while down', async () => {
    const workflow = await createWorkflow();
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/routines',
      payload: { name: 'Daily standup', schedule: '0 10 * * *', timezone: 'UTC', workflowId: workflow.id },
    });
    expect(created.statusCode, created.body).toBe(201);
    const routine = created.json() as { id: string; nextRunAt: string };
    // The test clock starts at 2026-01-01T09:00Z.
    expect(routine.nextRunAt).toBe('2026-01-01T10:00:00.000Z');
    expect(await server.services.routines.fireDueRoutines()).toBe(0);
    server.clock.set(new Date('2026-01-01T10:00:00.000Z'));
    expect(await server.services.routines.fireDueRoutines()).toBe(1);
    expect(await server.services.routines.fireDueRoutines()).toBe(0);
    await server.services.workflowEngine.tick();
    // The clock moved past the owner's access token: read through the service from here.
    const runs = await server.services.workflows.listWorkflowRuns(server.ownerPrincipal, { workflowId: workflow.id, limit: 50 });
    expect(runs.data).toEqual([expect.objectContaining({ status: 'running' })]);
    expect((await server.database.db.selectFrom('tasks').select('title').execute()).map((task) => task.title)).toEqual(['Standup']);

    // Down for three days: one run when it comes back, and the next slot is tomorrow's.
    server.clock.set(new Date('2026-01-04T12:00:00.000Z'));
    expect(await server.services.routines.fireDueRoutines()).toBe(1);
    const listed = await server.services.routines.listRoutines(server.ownerPrincipal);
    expect(listed.data[0]).toMatchObject({ nextRunAt: '2026-01-05T10:00:00.000Z', lastRunAt: '2026-01-04T12:00:00.000Z' });
    const fired = await server.database.db.selectFrom('events').select('type').where('type', '=', 'routine-fired').execute();
    expect(fired).toHaveLength(2);
  });

  it('runs now on trigger, creates tasks for task routines, and answers 400 ROUTINE_SCHEDULE_INVALID', async () => {
    const bad = await server.request({
      method: 'POST',
      url: '/api/v1/routines',
      payload: { name: 'x', schedule: 'every day', task: { title: 'x' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('ROUTINE_SCHEDULE_INVALID');
    const created = (
      await server.request({
        method: 'POST',
        url: '/api/v1/routines',
        payload: { name: 'Weekly', schedule: '0 9 * * 1', timezone: 'Europe/Paris', task: { title: 'Weekly review' } },
      })
    ).json() as { id: string };
    const triggered = await server.request({ method: 'POST', url: `/api/v1/routines/${created.id}/trigger` });
    expect(triggered.statusCode, triggered.body).toBe(201);
    expect(triggered.json().taskId).toEqual(expect.any(String));
    const patched = await server.request({ method: 'PATCH', url: `/api/v1/routines/${created.id}`, payload: { enabled: false } });
    expect(patched.json().enabled).toBe(false);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/routines/${created.id}` })).statusCode).toBe(204);
    expect((await server.request({ method: 'POST', url: `/api/v1/routines/${created.id}/trigger` })).json().error.code).toBe(
      'ROUTINE_NOT_FOUND',
    );
  });
});
