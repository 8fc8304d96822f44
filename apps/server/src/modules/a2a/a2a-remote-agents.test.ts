import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

/**
 * Two Mission Control instances: "here" registers an agent published by "there" as a remote squad
 * member, over real HTTP, and a task assigned to it travels there and back.
 */
describeEachEngine('remote agents over A2A', (engine) => {
  let here: TestServer;
  let there: TestServer;
  let thereUrl: string;
  let translator: { agent: { id: string; name: string }; apiKey: string };
  /** The key "here" holds on "there": an agent of there's workspace that stands for here. */
  let hereOnThere: { agent: { id: string; name: string }; apiKey: string };
  let remoteAgentId: string;

  beforeAll(async () => {
    there = await createTestServer(engine);
    thereUrl = await there.app.listen({ port: 0, host: '127.0.0.1' });
    translator = await there.createAgentWithKey({ name: 'translator', role: 'Translator', capabilities: ['translation', 'german'] });
    hereOnThere = await there.createAgentWithKey({ name: 'partner-squad', role: 'Partner' });
    const published = await there.request({
      method: 'PATCH',
      url: `/api/v1/agents/${translator.agent.id}`,
      payload: { a2a: { published: true } },
    });
    expect(published.statusCode).toBe(200);
    // The remote lives on 127.0.0.1, a private address: allowed here as an operator would allow it.
    here = await createTestServer(engine, { integrations: { allowPrivateTargets: true } });
  });
  afterAll(async () => {
    await here?.close();
    await there?.close();
  });

  const cardUrl = () => `${thereUrl}/a2a/agents/${translator.agent.id}/.well-known/agent-card.json`;
  /** One pass of here's integrations worker, after the poll interval has passed on its clock. */
  const pass = async () => {
    here.clock.advance(10_000);
    await here.services.integrationsWorker.tick();
  };
  const taskOnThere = async () => {
    const rows = await there.database.db.selectFrom('a2a_tasks').select('task_id').execute();
    expect(rows).toHaveLength(1);
    return rows[0]?.task_id as string;
  };
  const moveThere = async (taskId: string, status: string) => {
    const response = await there.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, payload: { status } });
    expect(response.statusCode, response.body).toBe(200);
  };
  const postThere = async (taskId: string, content: string, type = 'comment') => {
    const response = await there.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/messages`,
      token: translator.apiKey,
      payload: { content, type },
    });
    expect(response.statusCode, response.body).toBe(201);
  };
  const hereTask = async (taskId: string) => (await here.request({ method: 'GET', url: `/api/v1/tasks/${taskId}` })).json();
  const hereThread = async (taskId: string) => (await here.request({ method: 'GET', url: `/api/v1/tasks/${taskId}/messages` })).json().data;

  describe('registration', () => {
    it('refuses a card URL that answers no card, registering nothing', async () => {
      const response = await here.request({
        method: 'POST',
        url: '/api/v1/agents',
        payload: { kind: 'remote', a2a: { cardUrl: `${thereUrl}/a2a/agents/${hereOnThere.agent.id}/.well-known/agent-card.json` } },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe('A2A_CARD_UNREADABLE');
      expect(await here.database.db.selectFrom('a2a_remote_agents').selectAll().execute()).toEqual([]);
    });

    it('registers the remote agent from its card, with its skills as capabilities and its key sealed', async () => {
      const response = await here.request({
        method: 'POST',
        url: '/api/v1/agents',
        payload: { kind: 'remote', a2a: { cardUrl: cardUrl(), apiKey: hereOnThere.apiKey } },
      });
      expect(response.statusCode, response.body).toBe(201);
      const agent = response.json();
      expect(agent).toMatchObject({
        name: 'translator',
        kind: 'remote',
        status: 'idle',
        capabilities: ['translation', 'german'],
      });
      remoteAgentId = agent.id;
      const stored = await here.database.db
        .selectFrom('a2a_remote_agents')
        .selectAll()
        .where('agent_id', '=', agent.id)
        .executeTakeFirstOrThrow();
      expect(stored.endpoint_url).toBe(`${thereUrl}/a2a/agents/${translator.agent.id}`);
      expect(stored.sealed_api_key).not.toContain(hereOnThere.apiKey);
    });
  });

  describe('a task assigned to it', () => {
    it('travels there, asks a question that is answered here, and comes back done with its result', async () => {
      const created = await here.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: {
          title: 'Translate the onboarding guide',
          description: 'Into German, informal.',
          assignees: [{ kind: 'agent', id: remoteAgentId }],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const taskId = created.json().id as string;

      await pass();
      const remoteTaskId = await taskOnThere();
      const sent = (await there.request({ method: 'GET', url: `/api/v1/tasks/${remoteTaskId}` })).json();
      expect(sent).toMatchObject({
        title: 'Translate the onboarding guide',
        assignees: [{ kind: 'agent', id: translator.agent.id }],
        creator: { kind: 'agent', id: hereOnThere.agent.id },
      });
      expect(sent.description).toContain('Into German, informal.');
      expect((await hereTask(taskId)).status).toBe('in_progress');

      // There, the translator needs to know something.
      await moveThere(remoteTaskId, 'in_progress');
      await postThere(remoteTaskId, 'Du or Sie for the product name?', 'question');
      await moveThere(remoteTaskId, 'blocked');
      await pass();
      expect((await hereTask(taskId)).status).toBe('blocked');
      expect((await hereThread(taskId)).at(-1)).toMatchObject({
        content: 'Du or Sie for the product name?',
        type: 'question',
        author: { kind: 'agent', id: remoteAgentId },
      });
      await pass();
      expect((await hereThread(taskId)).filter((message: { type: string }) => message.type === 'question')).toHaveLength(1);

      // Here, the owner answers on the thread; the answer goes there.
      const answer = await here.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/messages`, payload: { content: 'Du, always.' } });
      expect(answer.statusCode).toBe(201);
      await pass();
      const thereThread = (await there.request({ method: 'GET', url: `/api/v1/tasks/${remoteTaskId}/messages` })).json().data;
      expect(thereThread.at(-1)).toMatchObject({ content: '@translator Du, always.', type: 'answer' });
      expect((await hereTask(taskId)).status).toBe('in_progress');

      // There, the work goes on, with a word on the way and a document and a last word at the end.
      await moveThere(remoteTaskId, 'in_progress');
      await postThere(remoteTaskId, 'Halfway through the guide.');
      await pass();
      expect((await hereThread(taskId)).at(-1)).toMatchObject({
        content: 'Halfway through the guide.',
        author: { kind: 'agent', id: remoteAgentId },
      });
      const document = await there.request({
        method: 'POST',
        url: '/api/v1/documents',
        token: translator.apiKey,
        payload: { title: 'Onboarding (Deutsch)', content: '# Willkommen\n\nDu startest hier.', taskId: remoteTaskId },
      });
      expect(document.statusCode).toBe(201);
      await postThere(remoteTaskId, 'Übersetzt, mit Du.');
      await moveThere(remoteTaskId, 'done');
      await pass();

      expect((await hereTask(taskId)).status).toBe('done');
      expect((await hereThread(taskId)).at(-1)).toMatchObject({
        content: 'Übersetzt, mit Du.',
        author: { kind: 'agent', id: remoteAgentId },
      });
      const documents = (await here.request({ method: 'GET', url: `/api/v1/documents?taskId=${taskId}` })).json().data;
      expect(documents.map((entry: { title: string }) => entry.title)).toEqual(['Onboarding (Deutsch)']);
      const landed = (await here.request({ method: 'GET', url: `/api/v1/documents/${documents[0].id}` })).json();
      expect(landed.content).toBe('# Willkommen\n\nDu startest hier.');
      const delegation = await here.database.db
        .selectFrom('a2a_delegations')
        .selectAll()
        .where('task_id', '=', taskId)
        .executeTakeFirstOrThrow();
      expect(delegation).toMatchObject({ remote_task_id: remoteTaskId, remote_state: 'TASK_STATE_COMPLETED', failures: 0 });

      // Finished: nothing more is sent or mirrored.
      await pass();
      expect(await there.database.db.selectFrom('a2a_tasks').selectAll().execute()).toHaveLength(1);
    });
  });
});
