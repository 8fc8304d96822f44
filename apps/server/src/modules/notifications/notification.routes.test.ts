import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('notifications and activities', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('delivers assignment notifications to the agent, marks one and then all read', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    for (const title of ['One', 'Two', 'Three']) {
      await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title, assignees: [{ kind: 'agent', id: agent.id }] } });
    }
    const list = (await server.request({ method: 'GET', url: '/api/v1/notifications', token: apiKey })).json();
    expect(list.unreadCount).toBe(3);
    expect(list.data.map((notification: { content: string }) => notification.content)).toEqual([
      'You were assigned TASK-3: Three',
      'You were assigned TASK-2: Two',
      'You were assigned TASK-1: One',
    ]);
    const first = list.data[0];
    const read = await server.request({ method: 'PUT', url: `/api/v1/notifications/${first.id}/read`, token: apiKey });
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    const unread = (await server.request({ method: 'GET', url: '/api/v1/notifications?unread=true', token: apiKey })).json();
    expect(unread.data).toHaveLength(2);

    // The owner cannot read the agent's notification: it is not addressed to them.
    const notMine = await server.request({ method: 'PUT', url: `/api/v1/notifications/${first.id}/read` });
    expect(notMine.statusCode).toBe(404);

    const all = await server.request({ method: 'POST', url: '/api/v1/notifications/mark-all-read', token: apiKey });
    expect(all.json()).toEqual({ updated: 2 });
    const stored = await server.database.db.selectFrom('notifications').select('read_at').where('recipient_id', '=', agent.id).execute();
    expect(stored.every((row) => row.read_at !== null)).toBe(true);
  });

  it('serves the activity feed newest first, by task and by agent, paginated by sequence', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Feed me' } });
    await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/assign', payload: { assignees: [{ kind: 'agent', id: agent.id }] } });
    await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/status', payload: { status: 'in_progress' }, token: apiKey });

    const feed = (await server.request({ method: 'GET', url: '/api/v1/activities?limit=2' })).json();
    expect(feed.data).toHaveLength(2);
    expect(feed.data[0].seq).toBeGreaterThan(feed.data[1].seq);
    expect(feed.data[0]).toMatchObject({ type: 'task-status-changed', actor: { kind: 'agent', id: agent.id } });
    const next = (await server.request({ method: 'GET', url: `/api/v1/activities?limit=2&cursor=${feed.nextCursor}` })).json();
    expect(next.data[0].seq).toBeLessThan(feed.data[1].seq);

    const byTask = (await server.request({ method: 'GET', url: '/api/v1/activities/task/TASK-1' })).json();
    expect(byTask.data.map((activity: { type: string }) => activity.type).reverse()).toEqual([
      'task-created',
      'task-assigned',
      'task-status-changed',
      'notification-created',
      'task-status-changed',
    ]);
    const byAgent = (await server.request({ method: 'GET', url: `/api/v1/activities/agent/${agent.id}` })).json();
    expect(byAgent.data.map((activity: { type: string }) => activity.type)).toContain('task-status-changed');
    const filtered = (await server.request({ method: 'GET', url: '/api/v1/activities?type=task-created' })).json();
    expect(filtered.data).toHaveLength(1);

    const otherToken = await server.createOtherWorkspaceToken();
    expect((await server.request({ method: 'GET', url: '/api/v1/activities/task/TASK-1', token: otherToken })).statusCode).toBe(404);
    expect((await server.request({ method: 'GET', url: `/api/v1/activities/agent/${agent.id}`, token: otherToken })).statusCode).toBe(404);
  });
});
