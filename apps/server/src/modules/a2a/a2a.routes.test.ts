import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentCard, type Message, type Part, Role, type StreamResponse, type Task, TaskState } from '@a2a-js/sdk';
import { type Client, ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

function textPart(text: string): Part {
  return { content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' };
}

function userMessage(text: string, extra: Partial<Message> = {}): Message {
  return {
    messageId: crypto.randomUUID(),
    contextId: '',
    taskId: '',
    role: Role.ROLE_USER,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
    ...extra,
  };
}

const send = (message: Message) => ({ tenant: '', message, configuration: undefined, metadata: undefined });

function asTask(result: Message | Task): Task {
  if (!('status' in result)) throw new Error(`expected a task, got a message: ${JSON.stringify(result)}`);
  return result;
}

function textOf(part: Part | undefined): string | undefined {
  return part?.content?.$case === 'text' ? part.content.value : undefined;
}

describeEachEngine('the Agent2Agent protocol', (engine) => {
  let server: TestServer;
  let baseUrl: string;
  let writer: { agent: { id: string; name: string }; apiKey: string };
  /** A squad member the remote client holds a key of: what a partner's orchestrator would use. */
  let requester: { agent: { id: string; name: string }; apiKey: string };

  beforeAll(async () => {
    // The push receiver of the tests listens on 127.0.0.1, a private address.
    server = await createTestServer(engine, { integrations: { allowPrivateTargets: true } });
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    writer = await server.createAgentWithKey({ name: 'writer', role: 'Technical writer', capabilities: ['docs', 'release-notes'] });
    requester = await server.createAgentWithKey({ name: 'partner', role: 'Orchestrator' });
  });
  afterAll(async () => {
    await server.close();
  });

  const publish = (agentId: string, published: boolean) =>
    server.request({ method: 'PATCH', url: `/api/v1/agents/${agentId}`, payload: { a2a: { published } } });

  /** A client built the way the A2A SDK documents it, from the card, authenticating with an API key. */
  async function clientFor(endpoint: string, apiKey: string): Promise<Client> {
    const fetchImpl: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${apiKey}`);
      return fetch(input, { ...init, headers });
    };
    const factory = new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [new JsonRpcTransportFactory({ fetchImpl })] }),
    );
    return factory.createFromUrl(`${endpoint}/`);
  }

  const agentEndpoint = () => `${baseUrl}/a2a/agents/${writer.agent.id}`;

  async function moveTask(taskId: string, status: string) {
    const response = await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, payload: { status } });
    expect(response.statusCode, response.body).toBe(200);
  }

  async function postAsWriter(taskId: string, content: string, type = 'comment') {
    const response = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/messages`,
      token: writer.apiKey,
      payload: { content, type },
    });
    expect(response.statusCode, response.body).toBe(201);
  }

  describe('agent cards', () => {
    it('publishes a card only for an agent whose owner opted in', async () => {
      const hidden = await fetch(`${agentEndpoint()}/.well-known/agent-card.json`);
      expect(hidden.status).toBe(404);
      expect(await fetch(`${baseUrl}/.well-known/agent-card.json`).then((response) => response.status)).toBe(404);

      const published = await publish(writer.agent.id, true);
      expect(published.statusCode).toBe(200);
      expect(published.json().a2a).toEqual({ published: true });
      const stored = await server.database.db
        .selectFrom('agents')
        .select('a2a_published')
        .where('id', '=', writer.agent.id)
        .executeTakeFirstOrThrow();
      expect(stored.a2a_published).toBe(1);

      const response = await fetch(`${agentEndpoint()}/.well-known/agent-card.json`);
      expect(response.status).toBe(200);
      const card = (await response.json()) as Record<string, unknown>;
      expect(card).toMatchObject({
        name: 'writer',
        supportedInterfaces: [{ url: agentEndpoint(), protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
        capabilities: { streaming: true, pushNotifications: true },
        securitySchemes: { bearer: { httpAuthSecurityScheme: { scheme: 'Bearer' } } },
      });
      expect((card.skills as { id: string }[]).map((skill) => skill.id)).toEqual(['docs', 'release-notes']);
    });

    it('lists the published agents in the instance and workspace directory cards', async () => {
      const instance = (await (await fetch(`${baseUrl}/.well-known/agent-card.json`)).json()) as {
        skills: { id: string; description: string }[];
        supportedInterfaces: { url: string }[];
      };
      expect(instance.skills.map((skill) => skill.id)).toEqual([writer.agent.id]);
      expect(instance.skills[0]?.description).toContain(`${agentEndpoint()}/.well-known/agent-card.json`);
      expect(instance.supportedInterfaces[0]?.url).toBe(`${baseUrl}/a2a/workspaces/${server.workspaceId}`);
      const workspace = await fetch(`${baseUrl}/a2a/workspaces/${server.workspaceId}/.well-known/agent-card.json`);
      expect(workspace.status).toBe(200);
    });

    it('registers a remote agent from a card this same server serves, with an Idempotency-Key', async () => {
      // The card is read before the request's transaction opens; on SQLite, reading it inside
      // would wait on the one writer this very request holds.
      const response = await fetch(`${baseUrl}/api/v1/agents`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${server.ownerToken}`,
          'idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify({ kind: 'remote', name: 'writer-mirror', a2a: { cardUrl: `${agentEndpoint()}/.well-known/agent-card.json` } }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      expect(await response.json()).toMatchObject({ name: 'writer-mirror', kind: 'remote', capabilities: ['docs', 'release-notes'] });
      const viewer = await server.addMember({ email: 'viewer-a2a@example.com', role: 'viewer' });
      const refused = await fetch(`${baseUrl}/api/v1/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.token}` },
        body: JSON.stringify({ kind: 'remote', a2a: { cardUrl: `${agentEndpoint()}/.well-known/agent-card.json` } }),
      });
      expect(refused.status).toBe(403);
    });

    it('refuses an agent that may not publish itself', async () => {
      const response = await server.request({
        method: 'PATCH',
        url: `/api/v1/agents/${writer.agent.id}`,
        token: writer.apiKey,
        payload: { a2a: { published: false } },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.details.fields).toEqual(['a2a']);
    });
  });

  describe('work sent by a remote client', () => {
    it('turns a message into a task for the agent and returns its documents and final message when done', async () => {
      const client = await clientFor(agentEndpoint(), requester.apiKey);
      const card: AgentCard = await client.getAgentCard();
      expect(card.name).toBe('writer');

      const sent = asTask(
        await client.sendMessage(send(userMessage('Write the release notes for 2.4\n\nCover the new runner and the A2A support.'))),
      );
      expect(sent.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
      expect(sent.contextId).not.toBe('');

      const board = await server.request({ method: 'GET', url: `/api/v1/tasks/${sent.id}` });
      expect(board.statusCode).toBe(200);
      expect(board.json()).toMatchObject({
        title: 'Write the release notes for 2.4',
        status: 'assigned',
        assignees: [{ kind: 'agent', id: writer.agent.id }],
        creator: { kind: 'agent', id: requester.agent.id },
      });
      expect(board.json().description).toContain('Cover the new runner and the A2A support.');

      // The remote client follows the task while the squad works on it.
      const events: StreamResponse[] = [];
      const followed = (async () => {
        for await (const event of client.resubscribeTask({ tenant: '', id: sent.id })) events.push(event);
      })();
      await expect.poll(() => events.length).toBeGreaterThan(0);

      await moveTask(sent.id, 'in_progress');
      const document = await server.request({
        method: 'POST',
        url: '/api/v1/documents',
        token: writer.apiKey,
        payload: { title: 'Release notes 2.4', content: '# 2.4\n\n- The runner drives agent CLIs.', type: 'deliverable', taskId: sent.id },
      });
      expect(document.statusCode, document.body).toBe(201);
      await postAsWriter(sent.id, 'Done: the notes are in the document.');
      await moveTask(sent.id, 'done');
      await followed;

      const kinds = events.map((event) => event.payload?.$case);
      expect(kinds[0]).toBe('task');
      expect(kinds.at(-1)).toBe('statusUpdate');
      const states = events.flatMap((event) => (event.payload?.$case === 'statusUpdate' ? [event.payload.value.status?.state] : []));
      expect(states).toEqual([TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_COMPLETED]);
      const streamedArtifacts = events.flatMap((event) =>
        event.payload?.$case === 'artifactUpdate' ? [event.payload.value.artifact?.name] : [],
      );
      expect(streamedArtifacts).toEqual(['Release notes 2.4', 'Final message']);

      const done = await client.getTask({ tenant: '', id: sent.id, historyLength: 10 });
      expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(done.artifacts.map((artifact) => [artifact.name, textOf(artifact.parts[0])])).toEqual([
        ['Release notes 2.4', '# 2.4\n\n- The runner drives agent CLIs.'],
        ['Final message', 'Done: the notes are in the document.'],
      ]);
      expect(done.history.map((message) => message.role)).toEqual([Role.ROLE_AGENT]);

      const listed = await client.listTasks({
        tenant: '',
        contextId: '',
        status: TaskState.TASK_STATE_UNSPECIFIED,
        pageToken: '',
        statusTimestampAfter: undefined,
      });
      expect(listed.tasks.map((task) => task.id)).toContain(sent.id);
    });

    it('asks the sender when the work is blocked and posts the answer on the thread', async () => {
      const client = await clientFor(agentEndpoint(), requester.apiKey);
      const sent = asTask(await client.sendMessage(send(userMessage('Document the export API'))));
      await moveTask(sent.id, 'in_progress');
      await postAsWriter(sent.id, 'Which formats should the guide cover: CSV, JSON or both?', 'question');
      await moveTask(sent.id, 'blocked');

      const blocked = await client.getTask({ tenant: '', id: sent.id });
      expect(blocked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
      expect(textOf(blocked.status?.message?.parts[0])).toBe('Which formats should the guide cover: CSV, JSON or both?');

      const answered = asTask(
        await client.sendMessage(send(userMessage('Both, CSV first.', { taskId: sent.id, contextId: sent.contextId }))),
      );
      expect(answered.id).toBe(sent.id);
      const thread = await server.request({ method: 'GET', url: `/api/v1/tasks/${sent.id}/messages` });
      const last = thread.json().data.at(-1);
      expect(last).toMatchObject({
        content: '@writer Both, CSV first.',
        type: 'answer',
        author: { kind: 'agent', id: requester.agent.id },
      });
    });

    it('cancels a task on the board, and refuses to cancel it twice', async () => {
      const client = await clientFor(agentEndpoint(), requester.apiKey);
      const sent = asTask(await client.sendMessage(send(userMessage('Translate the README'))));
      const cancelled = await client.cancelTask({ tenant: '', id: sent.id, metadata: undefined });
      expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
      const board = await server.request({ method: 'GET', url: `/api/v1/tasks/${sent.id}` });
      expect(board.json().status).toBe('cancelled');
      await expect(client.cancelTask({ tenant: '', id: sent.id, metadata: undefined })).rejects.toMatchObject({
        name: 'TaskNotCancelableError',
      });
    });

    it('pushes the task’s updates to the URL the client registered, with its token', async () => {
      const received: {
        token: string | undefined;
        body: { statusUpdate?: { status: { state: string } }; artifactUpdate?: { artifact: { name: string } } };
      }[] = [];
      const receiver = http.createServer((request, response) => {
        let text = '';
        request.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        request.on('end', () => {
          received.push({ token: request.headers['x-a2a-notification-token'] as string | undefined, body: JSON.parse(text) });
          response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const pushUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/a2a-updates`;
      try {
        const client = await clientFor(agentEndpoint(), requester.apiKey);
        const sent = asTask(
          await client.sendMessage({
            ...send(userMessage('Summarise the incident report')),
            configuration: {
              acceptedOutputModes: [],
              returnImmediately: true,
              taskPushNotificationConfig: {
                tenant: '',
                id: 'phone',
                taskId: '',
                url: pushUrl,
                token: 'push-token-1',
                authentication: undefined,
              },
            },
          }),
        );
        const configs = await client.listTaskPushNotificationConfig({ tenant: '', taskId: sent.id, pageSize: 10, pageToken: '' });
        expect(configs.configs.map((config) => [config.id, config.url, config.token])).toEqual([['phone', pushUrl, '']]);
        const stored = await server.database.db
          .selectFrom('a2a_push_configs')
          .selectAll()
          .where('task_id', '=', sent.id)
          .executeTakeFirstOrThrow();
        expect(stored.sealed_token).not.toContain('push-token-1');

        await moveTask(sent.id, 'in_progress');
        await postAsWriter(sent.id, 'Summary: the disk filled up at 02:10.');
        await moveTask(sent.id, 'done');
        await expect
          .poll(async () => {
            await server.services.integrationsWorker.tick();
            return received.length;
          })
          .toBeGreaterThanOrEqual(3);
        expect(received.every((push) => push.token === 'push-token-1')).toBe(true);
        expect(received.map((push) => push.body.statusUpdate?.status.state ?? push.body.artifactUpdate?.artifact.name)).toEqual([
          'TASK_STATE_WORKING',
          'Final message',
          'TASK_STATE_COMPLETED',
        ]);

        await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: sent.id, id: 'phone' });
        expect(await server.database.db.selectFrom('a2a_push_configs').selectAll().where('task_id', '=', sent.id).execute()).toEqual([]);
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    });

    it('creates one task for a message sent twice', async () => {
      const client = await clientFor(agentEndpoint(), requester.apiKey);
      const message = userMessage('Proofread the changelog');
      const first = asTask(await client.sendMessage(send(message)));
      const second = asTask(await client.sendMessage(send(message)));
      expect(second.id).toBe(first.id);
      const rows = await server.database.db.selectFrom('a2a_tasks').select('task_id').where('message_id', '=', message.messageId).execute();
      expect(rows).toHaveLength(1);
    });

    it('sends work for the lead to route to the workspace endpoint', async () => {
      const client = await clientFor(`${baseUrl}/a2a/workspaces/${server.workspaceId}`, requester.apiKey);
      const sent = asTask(await client.sendMessage(send(userMessage('Someone should review the onboarding guide'))));
      const board = await server.request({ method: 'GET', url: `/api/v1/tasks/${sent.id}` });
      expect(board.json()).toMatchObject({ status: 'inbox', assignees: [] });
      // The task belongs to the workspace endpoint, not to an agent's.
      const viaAgent = await clientFor(agentEndpoint(), requester.apiKey);
      await expect(viaAgent.getTask({ tenant: '', id: sent.id })).rejects.toMatchObject({ name: 'TaskNotFoundError' });
    });
  });

  describe('refusals', () => {
    it('answers 401 without a credential and 404 to another workspace, creating nothing', async () => {
      const before = await server.database.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      const body = {
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: { message: { messageId: 'm-1', role: 'ROLE_USER', parts: [{ text: 'hi' }] } },
      };
      const anonymous = await fetch(agentEndpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
        body: JSON.stringify(body),
      });
      expect(anonymous.status).toBe(401);
      const otherToken = await server.createOtherWorkspaceToken();
      const stranger = await fetch(agentEndpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'a2a-version': '1.0', authorization: `Bearer ${otherToken}` },
        body: JSON.stringify(body),
      });
      expect(stranger.status).toBe(404);
      expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('AGENT_NOT_FOUND');
      const after = await server.database.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      expect(Number(after.count)).toBe(Number(before.count));
    });

    it('answers a JSON-RPC error for a message without text', async () => {
      const response = await fetch(agentEndpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/a2a+json', 'a2a-version': '1.0', authorization: `Bearer ${requester.apiKey}` },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 7,
          method: 'SendMessage',
          params: { message: { messageId: 'm-2', role: 'ROLE_USER', parts: [] } },
        }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { id: number; error: { code: number; message: string } };
      expect(answer.id).toBe(7);
      expect(answer.error.message).toMatch(/no text/);
    });

    it('stops publishing when the owner withdraws the card', async () => {
      await publish(writer.agent.id, false);
      expect((await fetch(`${agentEndpoint()}/.well-known/agent-card.json`)).status).toBe(404);
      const response = await fetch(agentEndpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'a2a-version': '1.0', authorization: `Bearer ${requester.apiKey}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }),
      });
      expect(response.status).toBe(404);
    });
  });
});
