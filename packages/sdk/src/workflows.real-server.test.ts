// biome-ignore-all lint/suspicious/noThenProperty: `then` is the action of a trigger in the contract
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: workflows, approvals, routines and triggers', (engine) => {
  let server: RealServer;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a workflow from a template, runs it to its approval, approves and lists routines and triggers', async () => {
    expect((await client.workflows.templates()).length).toBeGreaterThanOrEqual(7);
    expect((await client.workflows.validate({ name: 'x', steps: [] })).valid).toBe(false);
    const workflow = await client.workflows.create({
      name: 'gate',
      steps: [{ id: 'ok', kind: 'approval', approvers: { roles: ['owner'] } }],
    });
    const run = await client.workflows.run('gate');
    expect(run.status).toBe('waiting');
    const [approval] = await client.approvals.list({ status: 'pending' });
    expect((await client.approvals.approve(approval?.id as string, 'fine')).status).toBe('approved');
    await server.services.workflowEngine.tick();
    expect((await client.workflows.getRun(run.id)).status).toBe('completed');
    expect((await client.workflows.runs({ workflowId: workflow.id })).map((item) => item.id)).toEqual([run.id]);
    expect((await client.workflows.timeline(run.id)).at(-1)?.kind).toBe('run-finished');
    const routine = await client.automation.createRoutine({ name: 'daily', schedule: '0 9 * * *', workflowId: workflow.id });
    expect((await client.automation.routines()).map((item) => item.id)).toEqual([routine.id]);
    const fired = await client.automation.triggerRoutine(routine.id);
    expect(fired.workflowRunId).toEqual(expect.any(String));
    const trigger = await client.automation.createTrigger({
      name: 'new work',
      on: 'task-created',
      then: { notify: { roles: ['owner'], message: 'New task' } },
    });
    expect((await client.automation.triggers()).map((item) => item.id)).toEqual([trigger.id]);
  });
});
