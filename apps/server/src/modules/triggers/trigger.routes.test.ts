// biome-ignore-all lint/suspicious/noThenProperty: `then` is the action of a trigger in the contract
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is CEL interpolation in trigger and workflow strings
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('triggers', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('starts a workflow once per matching event, with ${event…} inputs, and stops at its loop guard', async () => {
    await server.request({
      method: 'POST',
      url: '/api/v1/workflows',
      payload: {
        name: 'follow-up',
        inputs: { key: { type: 'string', required: true } },
        steps: [{ id: 'check', kind: 'task', task: { title: 'Follow up ${inputs.key}' } }],
      },
    });
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/triggers',
      payload: {
        name: 'Blocked work gets a follow-up',
        on: 'task-status-changed',
        if: "event.data.to == 'blocked'",
        then: { startWorkflow: { workflow: 'follow-up', inputs: { key: '${event.data.key}' } } },
        maxDepth: 1,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const task = (await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Stuck' } })).json();
    await server.request({ method: 'POST', url: `/api/v1/tasks/${task.key}/status`, payload: { status: 'in_progress' } });
    await server.request({ method: 'POST', url: `/api/v1/tasks/${task.key}/status`, payload: { status: 'blocked' } });
    await Promise.all([server.services.triggers.feedTriggers(), server.services.triggers.feedTriggers()]);
    await server.services.triggers.feedTriggers();
    await server.services.workflowEngine.tick();
    const runs = (await server.request({ method: 'GET', url: '/api/v1/workflow-runs' })).json();
    expect(runs.data).toEqual([expect.objectContaining({ workflowName: 'follow-up', inputs: { key: task.key } })]);
    const followUp = await server.database.db
      .selectFrom('tasks')
      .select('number')
      .where('title', '=', `Follow up ${task.key}`)
      .executeTakeFirstOrThrow();

    // The follow-up task blocked: its event is one trigger action deep, at the guard, so nothing fires.
    await server.request({ method: 'POST', url: `/api/v1/tasks/TASK-${followUp.number}/status`, payload: { status: 'blocked' } });
    await server.services.triggers.feedTriggers();
    expect((await server.request({ method: 'GET', url: '/api/v1/workflow-runs' })).json().data).toHaveLength(1);
    const triggers = (await server.request({ method: 'GET', url: '/api/v1/triggers' })).json();
    expect(triggers.data[0].firedCount).toBe(1);
  });

  it('answers 400 TRIGGER_INVALID for an if that is not CEL and stores nothing', async () => {
    const response = await server.request({
      method: 'POST',
      url: '/api/v1/triggers',
      payload: { name: 'x', on: 'task-created', if: 'event.data ==', then: { createTask: { title: 'x' } } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('TRIGGER_INVALID');
    expect(await server.database.db.selectFrom('triggers').selectAll().execute()).toEqual([]);
  });
});
