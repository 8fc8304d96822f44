import type { EventType } from '@mission-control/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonColumn } from '../../db/database.js';
import { encodeCursor } from '../../http/pagination.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('messages', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const createTask = async (title = 'Write the launch plan') => {
    const response = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title } });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; key: string };
  };

  const post = (taskReference: string, payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'POST', url: `/api/v1/tasks/${taskReference}/messages`, payload, ...(token ? { token } : {}) });

  /** Brings a person into the workspace (invited and accepted) and signs them in. */
  const addMember = (email: string, role: 'member' | 'viewer' = 'member') => server.addMember({ email, role });

  const storedMessages = () => server.database.db.selectFrom('messages').selectAll().orderBy('id').execute();
  const storedNotifications = () => server.database.db.selectFrom('notifications').selectAll().orderBy('id').execute();
  const storedEvents = (type: EventType) =>
    server.database.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('seq').execute();

  describe('posting', () => {
    it('posts a comment on a task by its key, stores it and appends a message-posted event', async () => {
      const task = await createTask();
      const response = await post(task.key, { content: '  First draft is up.  ' });
      expect(response.statusCode).toBe(201);
      const message = response.json();
      expect(message).toMatchObject({
        taskId: task.id,
        workspaceId: server.workspaceId,
        author: { kind: 'user', id: server.ownerPrincipal.id },
        content: 'First draft is up.',
        type: 'comment',
        replyToId: null,
        attachments: [],
      });

      const [stored] = await storedMessages();
      expect(stored).toMatchObject({
        id: message.id,
        task_id: task.id,
        author_kind: 'user',
        content: 'First draft is up.',
        type: 'comment',
      });
      expect(parseJsonColumn(stored?.attachments)).toEqual([]);

      const [event] = await storedEvents('message-posted');
      expect(event).toMatchObject({
        task_id: task.id,
        actor_kind: 'user',
        actor_id: server.ownerPrincipal.id,
        summary: 'user Owner commented on TASK-1',
      });
      expect(parseJsonColumn(event?.data)).toEqual({
        messageId: message.id,
        key: 'TASK-1',
        type: 'comment',
        replyToId: null,
        excerpt: 'First draft is up.',
      });
    });

    it('lets an agent post with its API key, as the author', async () => {
      const task = await createTask();
      const { agent, apiKey } = await server.createAgentWithKey({ name: 'jarvis' });
      const response = await post(task.id, { content: 'Status: blocked on the API', type: 'status_update' }, apiKey);
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ author: { kind: 'agent', id: agent.id }, type: 'status_update' });
      const [event] = await storedEvents('message-posted');
      expect(event?.summary).toBe('agent jarvis commented on TASK-1');
    });

    it('stores and returns attachments', async () => {
      const task = await createTask();
      const attachment = { name: 'chart.png', url: 'https://example.com/chart.png', contentType: 'image/png', sizeBytes: 1024 };
      const response = await post(task.key, { content: 'See chart', attachments: [attachment] });
      expect(response.statusCode).toBe(201);
      expect(response.json().attachments).toEqual([attachment]);
      const fetched = await server.request({ method: 'GET', url: `/api/v1/messages/${response.json().id}` });
      expect(fetched.json().attachments).toEqual([attachment]);
      const [stored] = await storedMessages();
      expect(parseJsonColumn(stored?.attachments)).toEqual([attachment]);
    });

    it('rejects bad input with 400 VALIDATION_FAILED and stores nothing', async () => {
      const task = await createTask();
      const cases = [
        { content: 'hello', pinned: true },
        { content: '' },
        { content: '   ' },
        { content: 'x'.repeat(50_001) },
        { content: 'hello', type: 'shout' },
        { content: 'hello', replyToId: 'not-a-uuid' },
        { content: 'hello', attachments: [{ name: 'x', url: 'javascript:alert(1)' }] },
        { content: 'hello', attachments: Array.from({ length: 21 }, () => ({ name: 'x', url: 'https://example.com/x' })) },
      ];
      for (const payload of cases) {
        const response = await post(task.key, payload);
        expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect(await storedMessages()).toEqual([]);
      expect(await storedEvents('message-posted')).toEqual([]);
    });

    it('answers 404 TASK_NOT_FOUND for an unknown task key', async () => {
      const response = await post('TASK-99', { content: 'hello' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('TASK_NOT_FOUND');
    });

    it('forbids a viewer to post (403) but lets them read the thread', async () => {
      const task = await createTask();
      await post(task.key, { content: 'visible to viewers' });
      const viewer = await addMember('watcher@example.com', 'viewer');
      const denied = await post(task.key, { content: 'let me in' }, viewer.token);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('FORBIDDEN');
      expect(await storedMessages()).toHaveLength(1);

      const listed = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.key}/messages`, token: viewer.token });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().data.map((message: { content: string }) => message.content)).toEqual(['visible to viewers']);
    });
  });

  describe('replies', () => {
    it('replies within the thread and notifies the authors of the message and of the other replies, never the author', async () => {
      const task = await createTask();
      const jarvis = await server.createAgentWithKey({ name: 'jarvis' });
      const friday = await server.createAgentWithKey({ name: 'friday' });
      const pepper = await addMember('pepper@example.com');
      const root = (await post(task.key, { content: 'Which database?', type: 'question' }, jarvis.apiKey)).json();
      await post(task.key, { content: 'PostgreSQL', type: 'answer', replyToId: root.id }, friday.apiKey);
      // A message that is not a reply to the root: its author is not in this thread.
      await post(task.key, { content: 'Unrelated note' }, pepper.token);

      const reply = await post(task.key, { content: 'Agreed, PostgreSQL.', replyToId: root.id });
      expect(reply.statusCode).toBe(201);
      expect(reply.json().replyToId).toBe(root.id);

      const replyNotifications = (await storedNotifications()).filter((notification) => notification.reason === 'reply');
      const recipients = replyNotifications.map((notification) => notification.recipient_id).sort();
      // friday's reply notified jarvis; the owner's reply notifies jarvis and friday.
      expect(recipients).toEqual([jarvis.agent.id, jarvis.agent.id, friday.agent.id].sort());
      const ownerReplyNotifications = replyNotifications.filter((notification) => notification.content.startsWith('user Owner'));
      expect(ownerReplyNotifications.map((notification) => notification.recipient_id).sort()).toEqual(
        [jarvis.agent.id, friday.agent.id].sort(),
      );
      expect(ownerReplyNotifications[0]).toMatchObject({ task_id: task.id, content: 'user Owner replied on TASK-1: Agreed, PostgreSQL.' });

      const [, , , event] = await storedEvents('message-posted');
      expect(event?.summary).toBe('user Owner replied on TASK-1');
      expect(parseJsonColumn(event?.data)).toMatchObject({ replyToId: root.id });
    });

    it('notifies a thread participant who is also mentioned once, as mentioned', async () => {
      const task = await createTask();
      const jarvis = await server.createAgentWithKey({ name: 'jarvis' });
      const root = (await post(task.key, { content: 'Draft ready' }, jarvis.apiKey)).json();
      await post(task.key, { content: '@jarvis looks good', replyToId: root.id });
      const notifications = await storedNotifications();
      expect(notifications).toHaveLength(1);
      expect(notifications[0]).toMatchObject({ recipient_id: jarvis.agent.id, reason: 'mentioned' });
    });

    it('answers 400 VALIDATION_FAILED for a reply to a message on another task, and stores nothing', async () => {
      const first = await createTask('First');
      const second = await createTask('Second');
      const elsewhere = (await post(first.key, { content: 'On the first task' })).json();
      const response = await post(second.key, { content: 'Crossing threads', replyToId: elsewhere.id });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { replyToId: elsewhere.id, replyToTaskId: first.id },
      });
      expect(response.json().error.message).toContain('another task');
      expect(await storedMessages()).toHaveLength(1);
    });

    it('answers 404 MESSAGE_NOT_FOUND for a reply to an unknown message', async () => {
      const task = await createTask();
      const response = await post(task.key, { content: 'hello', replyToId: '01890000-0000-7000-8000-000000000000' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('MESSAGE_NOT_FOUND');
    });
  });

  describe('mentions', () => {
    it('notifies agents by name and people by email local part, case-insensitively, ignoring code and the author', async () => {
      const task = await createTask();
      const jarvis = await server.createAgentWithKey({ name: 'Jarvis' });
      const friday = await server.createAgentWithKey({ name: 'friday' });
      const vision = await server.createAgentWithKey({ name: 'vision' });
      const pepper = await addMember('pepper@example.com');
      const content = [
        '@JARVIS and @Pepper, please review. cc @owner and @nobody.',
        'Do not wake `@friday` here:',
        '```',
        '@vision.run()',
        '```',
      ].join('\n');
      const response = await post(task.key, { content });
      expect(response.statusCode).toBe(201);

      const notifications = await storedNotifications();
      expect(notifications.map((notification) => notification.recipient_id).sort()).toEqual([jarvis.agent.id, pepper.id].sort());
      for (const notification of notifications) {
        expect(notification).toMatchObject({ reason: 'mentioned', task_id: task.id, workspace_id: server.workspaceId, read_at: null });
        expect(notification.content).toMatch(/^user Owner mentioned you on TASK-1: @JARVIS and @Pepper/);
      }
      expect(notifications.some((notification) => [friday.agent.id, vision.agent.id].includes(notification.recipient_id))).toBe(false);
      expect(await storedEvents('notification-created')).toHaveLength(2);

      const inbox = await server.request({ method: 'GET', url: '/api/v1/notifications', token: jarvis.apiKey });
      expect(inbox.json()).toMatchObject({ unreadCount: 1, data: [{ reason: 'mentioned', taskId: task.id }] });
    });

    it('notifies every agent and member but the author for @all', async () => {
      const task = await createTask();
      const jarvis = await server.createAgentWithKey({ name: 'jarvis' });
      const friday = await server.createAgentWithKey({ name: 'friday' });
      const pepper = await addMember('pepper@example.com');
      const viewer = await addMember('watcher@example.com', 'viewer');
      await post(task.key, { content: 'Standup in 5, @all' }, jarvis.apiKey);
      const recipients = (await storedNotifications()).map((notification) => notification.recipient_id).sort();
      expect(recipients).toEqual([friday.agent.id, pepper.id, viewer.id, server.ownerPrincipal.id].sort());
    });

    it('does not notify agents or people of another workspace with the same name', async () => {
      const otherToken = await server.createOtherWorkspaceToken();
      const outsider = await server.request({
        method: 'POST',
        url: '/api/v1/agents',
        payload: { name: 'ultron', role: 'spy' },
        token: otherToken,
      });
      expect(outsider.statusCode).toBe(201);
      const task = await createTask();
      await post(task.key, { content: 'hey @ultron and @all' });
      expect(await storedNotifications()).toEqual([]);
    });
  });

  describe('reading', () => {
    it('lists a thread oldest first by default, newest first with order=desc, page by page', async () => {
      const task = await createTask();
      const other = await createTask('Other');
      for (const content of ['one', 'two', 'three', 'four', 'five']) await post(task.key, { content });
      await post(other.key, { content: 'elsewhere' });

      const contents = (body: { data: { content: string }[] }) => body.data.map((message) => message.content);
      const first = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.key}/messages?limit=2` });
      expect(first.statusCode).toBe(200);
      expect(contents(first.json())).toEqual(['one', 'two']);
      const second = await server.request({
        method: 'GET',
        url: `/api/v1/tasks/${task.key}/messages?limit=2&cursor=${first.json().nextCursor}`,
      });
      expect(contents(second.json())).toEqual(['three', 'four']);
      const third = await server.request({
        method: 'GET',
        url: `/api/v1/tasks/${task.id}/messages?limit=2&cursor=${second.json().nextCursor}`,
      });
      expect(third.json()).toMatchObject({ nextCursor: null });
      expect(contents(third.json())).toEqual(['five']);

      const newest = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.key}/messages?order=desc&limit=3` });
      expect(contents(newest.json())).toEqual(['five', 'four', 'three']);
      const older = await server.request({
        method: 'GET',
        url: `/api/v1/tasks/${task.key}/messages?order=desc&limit=3&cursor=${newest.json().nextCursor}`,
      });
      expect(older.json()).toMatchObject({ nextCursor: null });
      expect(contents(older.json())).toEqual(['two', 'one']);
    });

    it('gets a message by id', async () => {
      const task = await createTask();
      const posted = (await post(task.key, { content: 'hello' })).json();
      const response = await server.request({ method: 'GET', url: `/api/v1/messages/${posted.id}` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(posted);
    });

    it('answers 404 MESSAGE_NOT_FOUND for an unknown message and 400 for an id that is not a UUID', async () => {
      const unknown = await server.request({ method: 'GET', url: '/api/v1/messages/01890000-0000-7000-8000-000000000000' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('MESSAGE_NOT_FOUND');
      const malformed = await server.request({ method: 'GET', url: '/api/v1/messages/42' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('rejects a huge limit, a bad cursor and an unknown order with 400', async () => {
      const task = await createTask();
      for (const query of ['limit=10000000', 'limit=0', 'cursor=not-a-cursor', `cursor=${encodeCursor(5)}`, 'order=sideways']) {
        const response = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.key}/messages?${query}` });
        expect(response.statusCode, query).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('workspace isolation', () => {
    it('answers 404 for tasks and messages of another workspace, and stores nothing there', async () => {
      const task = await createTask();
      const posted = (await post(task.key, { content: 'private' })).json();
      const otherToken = await server.createOtherWorkspaceToken();

      const list = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}/messages`, token: otherToken });
      expect(list.statusCode).toBe(404);
      expect(list.json().error.code).toBe('TASK_NOT_FOUND');
      const byKey = await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1/messages', token: otherToken });
      expect(byKey.statusCode).toBe(404);
      const write = await post(task.id, { content: 'sneaky' }, otherToken);
      expect(write.statusCode).toBe(404);
      expect(write.json().error.code).toBe('TASK_NOT_FOUND');
      const read = await server.request({ method: 'GET', url: `/api/v1/messages/${posted.id}`, token: otherToken });
      expect(read.statusCode).toBe(404);
      expect(read.json().error.code).toBe('MESSAGE_NOT_FOUND');

      const otherTask = (
        await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Theirs' }, token: otherToken })
      ).json();
      const crossReply = await post(otherTask.key, { content: 'reply across workspaces', replyToId: posted.id }, otherToken);
      expect(crossReply.statusCode).toBe(404);
      expect(crossReply.json().error.code).toBe('MESSAGE_NOT_FOUND');
      expect(await storedMessages()).toHaveLength(1);
    });
  });
});
