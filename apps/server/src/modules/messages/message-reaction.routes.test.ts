import type { EventType } from '@mission-control/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseJsonColumn } from '../../db/database.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('message reactions', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const postMessage = async (content = 'The launch plan is up') => {
    const task = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Write the launch plan' } });
    expect(task.statusCode).toBe(201);
    const { key } = task.json() as { key: string };
    const message = await server.request({ method: 'POST', url: `/api/v1/tasks/${key}/messages`, payload: { content } });
    expect(message.statusCode).toBe(201);
    return { taskKey: key, messageId: (message.json() as { id: string }).id };
  };

  const react = (messageId: string, emoji: unknown, token?: string) =>
    server.request({ method: 'POST', url: `/api/v1/messages/${messageId}/reactions`, payload: { emoji }, ...(token ? { token } : {}) });
  const unreact = (messageId: string, emoji: string, token?: string) =>
    server.request({
      method: 'DELETE',
      url: `/api/v1/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`,
      ...(token ? { token } : {}),
    });
  const storedReactions = () => server.database.db.selectFrom('message_reactions').selectAll().orderBy('created_at').execute();
  const storedEvents = (type: EventType) =>
    server.database.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('seq').execute();

  it('counts one reaction per person and emoji, says who, and appends one reaction-added event', async () => {
    const { messageId, taskKey } = await postMessage();
    const member = await server.addMember({ email: 'ada@example.com' });
    const owner = { kind: 'user', id: server.ownerPrincipal.id };

    const first = await react(messageId, '👍');
    expect(first.statusCode).toBe(200);
    expect(first.json().reactions).toEqual([{ emoji: '👍', count: 1, by: [owner] }]);
    // Reacting again is idempotent: no second row, no second event.
    expect((await react(messageId, '👍')).json().reactions).toEqual([{ emoji: '👍', count: 1, by: [owner] }]);
    await react(messageId, '👍', member.token);
    const third = await react(messageId, '🎉', member.token);
    expect(third.json().reactions).toEqual([
      { emoji: '👍', count: 2, by: [owner, { kind: 'user', id: member.id }] },
      { emoji: '🎉', count: 1, by: [{ kind: 'user', id: member.id }] },
    ]);

    expect(await storedReactions()).toHaveLength(3);
    const events = await storedEvents('reaction-added');
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      actor_kind: 'user',
      actor_id: server.ownerPrincipal.id,
      summary: `user Owner reacted 👍 on ${taskKey}`,
    });
    expect(parseJsonColumn(events[0]?.data)).toEqual({ messageId, key: taskKey, emoji: '👍' });

    // The thread and the message answer the same reactions.
    const thread = await server.request({ method: 'GET', url: `/api/v1/tasks/${taskKey}/messages` });
    expect(thread.json().data[0].reactions).toEqual(third.json().reactions);
    const single = await server.request({ method: 'GET', url: `/api/v1/messages/${messageId}` });
    expect(single.json().reactions).toEqual(third.json().reactions);
  });

  it('takes back only the caller’s own reaction, once, with a reaction-removed event', async () => {
    const { messageId, taskKey } = await postMessage();
    const member = await server.addMember({ email: 'ada@example.com' });
    await react(messageId, '👩‍💻');
    await react(messageId, '👩‍💻', member.token);

    const removed = await unreact(messageId, '👩‍💻');
    expect(removed.statusCode).toBe(200);
    expect(removed.json().reactions).toEqual([{ emoji: '👩‍💻', count: 1, by: [{ kind: 'user', id: member.id }] }]);
    const again = await unreact(messageId, '👩‍💻');
    expect(again.statusCode).toBe(200);
    expect(again.json().reactions).toHaveLength(1);

    const events = await storedEvents('reaction-removed');
    expect(events).toHaveLength(1);
    expect(parseJsonColumn(events[0]?.data)).toEqual({ messageId, key: taskKey, emoji: '👩‍💻' });
    expect(await storedReactions()).toMatchObject([{ reactor_id: member.id, emoji: '👩‍💻' }]);
  });

  it('takes back a reaction named in the body, the same as by the path', async () => {
    const { messageId, taskKey } = await postMessage();
    await react(messageId, '👍');
    await react(messageId, '🎉');
    const unreactByBody = (emoji: unknown) =>
      server.request({ method: 'DELETE', url: `/api/v1/messages/${messageId}/reactions`, payload: { emoji } });

    const removed = await unreactByBody('👍');
    expect(removed.statusCode).toBe(200);
    expect(removed.json().reactions).toEqual([{ emoji: '🎉', count: 1, by: [{ kind: 'user', id: server.ownerPrincipal.id }] }]);
    expect((await unreactByBody('👍')).json().reactions).toHaveLength(1);
    const events = await storedEvents('reaction-removed');
    expect(events).toHaveLength(1);
    expect(parseJsonColumn(events[0]?.data)).toEqual({ messageId, key: taskKey, emoji: '👍' });

    const words = await unreactByBody('thumbs up');
    expect(words.statusCode).toBe(400);
    expect(words.json().error.code).toBe('VALIDATION_FAILED');
    const empty = await server.request({ method: 'DELETE', url: `/api/v1/messages/${messageId}/reactions` });
    expect(empty.statusCode).toBe(400);
    expect(await storedReactions()).toMatchObject([{ emoji: '🎉' }]);
  });

  it('refuses words, a viewer and an unknown message, and stores nothing', async () => {
    const { messageId } = await postMessage();
    const words = await react(messageId, 'thumbs up');
    expect(words.statusCode).toBe(400);
    expect(words.json().error.code).toBe('VALIDATION_FAILED');
    expect((await react(messageId, '42')).statusCode).toBe(400);

    const viewer = await server.addMember({ email: 'watcher@example.com', role: 'viewer' });
    expect((await react(messageId, '👍', viewer.token)).statusCode).toBe(403);

    const unknown = await react('01900000-0000-7000-8000-000000000000', '👍');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('MESSAGE_NOT_FOUND');
    expect(await storedReactions()).toEqual([]);
    expect(await storedEvents('reaction-added')).toEqual([]);
  });

  it('lets an agent react with its API key', async () => {
    const { messageId } = await postMessage();
    const { agent, apiKey } = await server.createAgentWithKey({ name: 'jarvis' });
    const response = await react(messageId, '✅', apiKey);
    expect(response.statusCode).toBe(200);
    expect(response.json().reactions).toEqual([{ emoji: '✅', count: 1, by: [{ kind: 'agent', id: agent.id }] }]);
  });
});
