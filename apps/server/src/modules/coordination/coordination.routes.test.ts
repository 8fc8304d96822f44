import type { Activity, AssignmentCandidate, Task } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listEventsAfter, toActivity } from '../../events/event.repository.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('coordination routes', (engine) => {
  let server: TestServer;
  let cursor = 0;

  beforeAll(async () => {
    server = await createTestServer(engine);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  async function coordinate() {
    const rows = await listEventsAfter(server.database.db, { afterSeq: cursor, limit: 500 });
    if (rows.length > 0) cursor = Number(rows[rows.length - 1]?.seq);
    await server.services.coordination.handleEvents(rows.map(toActivity));
  }

  async function createTask(payload: Record<string, unknown>): Promise<Task> {
    const answer = await server.request({ method: 'POST', url: '/api/v1/tasks', payload });
    expect(answer.statusCode).toBe(201);
    return answer.json();
  }

  it('scores agents for a task and assigns the best, ignoring those without the capability', async () => {
    const { agent: fit } = await server.createAgentWithKey({ name: 'fit-analyst', capabilities: ['analysis'], concurrencyLimit: 2 });
    await server.createAgentWithKey({ name: 'other-writer', capabilities: ['prose'] });
    const task = await createTask({ title: 'Analyse churn', requiredCapabilities: ['analysis'] });
    const candidates = (await server.request({ method: 'GET', url: `/api/v1/tasks/${task.key}/assignment-candidates` })).json() as {
      data: AssignmentCandidate[];
    };
    expect(candidates.data[0]).toMatchObject({ name: 'fit-analyst', eligible: true });
    expect(candidates.data.find((candidate) => candidate.name === 'other-writer')?.eligible).toBe(false);
    const assigned = await server.request({ method: 'POST', url: `/api/v1/tasks/${task.id}/assign-best` });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({
      task: { status: 'assigned', assignees: [{ kind: 'agent', id: fit.id }] },
      chosen: { name: 'fit-analyst' },
    });
  });

  it('auto-assigns new inbox tasks only once the workspace turns it on', async () => {
    const { agent } = await server.createAgentWithKey({ name: 'auto-coder', capabilities: ['rust'] });
    await coordinate();
    const before = await createTask({ title: 'Port the parser', requiredCapabilities: ['rust'] });
    await coordinate();
    expect(((await server.request({ method: 'GET', url: `/api/v1/tasks/${before.id}` })).json() as Task).status).toBe('inbox');

    const settings = await server.request({ method: 'PUT', url: '/api/v1/workspace/runtime-settings', payload: { autoAssign: true } });
    expect(settings.json()).toEqual({ autoAssign: true, humanReview: true });
    const after = await createTask({ title: 'Port the lexer', requiredCapabilities: ['rust'] });
    await coordinate();
    // A second pass (another instance seeing the same events) changes nothing.
    await server.services.coordination.handleEvents(
      (await listEventsAfter(server.database.db, { afterSeq: 0, limit: 500 })).map(toActivity),
    );
    const stored = (await server.request({ method: 'GET', url: `/api/v1/tasks/${after.id}` })).json() as Task;
    expect(stored).toMatchObject({ status: 'assigned', assignees: [{ kind: 'agent', id: agent.id }] });
    const assignedEvents = (await server.request({ method: 'GET', url: `/api/v1/activities/task/${after.id}` })).json() as {
      data: Activity[];
    };
    expect(assignedEvents.data.filter((event) => event.type === 'task-assigned')).toHaveLength(1);
    await server.request({ method: 'PUT', url: '/api/v1/workspace/runtime-settings', payload: { autoAssign: false } });
  });

  it('escalates a task to the owners: blocked, a task-escalated event and a notification', async () => {
    const { apiKey } = await server.createAgentWithKey({ name: 'escalating-lead', kind: 'lead' });
    const task = await createTask({ title: 'Pick a cloud vendor' });
    const answer = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.key}/escalate`,
      token: apiKey,
      payload: { reason: 'needs a budget decision' },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ status: 'blocked' });
    const events = (await server.request({ method: 'GET', url: `/api/v1/activities/task/${task.id}` })).json() as { data: Activity[] };
    expect(events.data.find((event) => event.type === 'task-escalated')).toMatchObject({ data: { reason: 'needs a budget decision' } });
    const notifications = (await server.request({ method: 'GET', url: '/api/v1/notifications?unread=true' })).json() as {
      data: { taskId: string; content: string }[];
    };
    expect(notifications.data.some((notification) => notification.taskId === task.id && notification.content.includes('escalated'))).toBe(
      true,
    );
  });

  it('lets a reviewer send work in review back with a comment that reaches the assignee', async () => {
    const { agent: worker, apiKey: workerKey } = await server.createAgentWithKey({ name: 'worker-bee' });
    const { apiKey: reviewerKey } = await server.createAgentWithKey({ name: 'strict-reviewer', kind: 'reviewer' });
    const task = await createTask({ title: 'Draft the changelog', assignees: [{ kind: 'agent', id: worker.id }] });
    const claim = (
      await server.request({ method: 'POST', url: `/api/v1/tasks/${task.id}/claim`, token: workerKey, payload: {} })
    ).json() as {
      lease: { token: string };
    };
    await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.id}/status`,
      token: workerKey,
      payload: { status: 'review', leaseToken: claim.lease.token },
    });
    await coordinate();
    const reviewerInbox = (await server.request({ method: 'GET', url: '/api/v1/notifications', token: reviewerKey })).json() as {
      data: { taskId: string; content: string }[];
    };
    expect(
      reviewerInbox.data.some((notification) => notification.taskId === task.id && notification.content.includes('ready for review')),
    ).toBe(true);

    const sentBack = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.id}/send-back`,
      token: reviewerKey,
      payload: { comment: 'List the breaking changes first.' },
    });
    expect(sentBack.statusCode).toBe(200);
    expect(sentBack.json()).toMatchObject({ status: 'in_progress' });
    const thread = (await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}/messages` })).json() as {
      data: { content: string }[];
    };
    expect(thread.data.at(-1)?.content).toBe('Changes requested @worker-bee: List the breaking changes first.');
    const workerInbox = (await server.request({ method: 'GET', url: '/api/v1/notifications', token: workerKey })).json() as {
      data: { taskId: string; reason: string }[];
    };
    expect(workerInbox.data.some((notification) => notification.taskId === task.id && notification.reason === 'mentioned')).toBe(true);

    const again = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.id}/send-back`,
      token: reviewerKey,
      payload: { comment: 'x' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('TASK_INVALID_TRANSITION');
  });
});
