import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';

// Raw JSON, so the escapes reach the server exactly as an attacker would write them.
const nul = '\\u0000';
const loneSurrogate = '\\ud800';

describeEachEngine('text that PostgreSQL cannot store', (engine) => {
  let server: TestServer;
  let taskId: string;
  let agent: { id: string };
  beforeAll(async () => {
    server = await createTestServer(engine);
    const task = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Existing task' } });
    taskId = task.json().id;
    agent = (await server.createAgentWithKey()).agent;
  });
  afterAll(async () => {
    await server.close();
  });

  const sendJson = (method: 'POST' | 'PATCH', url: string, json: string) =>
    server.request({ method, url, headers: { 'content-type': 'application/json' }, payload: json });

  const expectRefused = (response: { statusCode: number; json(): { error: { code: string; message: string } } }) => {
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(response.json().error.message).toMatch(/NUL characters .* or unpaired UTF-16 surrogates/);
  };

  const count = async (table: 'tasks' | 'messages' | 'documents' | 'api_keys' | 'workspaces') => {
    const row = await server.database.db
      .selectFrom(table)
      .select((expression) => expression.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };

  for (const [name, character] of [
    ['a NUL character', nul],
    ['a lone surrogate', loneSurrogate],
  ] as const) {
    it(`refuses ${name} in bodies with 400 VALIDATION_FAILED and stores nothing`, async () => {
      const before = {
        tasks: await count('tasks'),
        messages: await count('messages'),
        documents: await count('documents'),
        apiKeys: await count('api_keys'),
        workspaces: await count('workspaces'),
      };
      expectRefused(await sendJson('POST', '/api/v1/tasks', `{"title":"a${character}b"}`));
      expectRefused(await sendJson('PATCH', `/api/v1/tasks/${taskId}`, `{"description":"a${character}b"}`));
      expectRefused(await sendJson('POST', `/api/v1/tasks/${taskId}/messages`, `{"content":"a${character}b"}`));
      expectRefused(
        await sendJson(
          'POST',
          `/api/v1/tasks/${taskId}/messages`,
          `{"content":"see the file","attachments":[{"name":"f","url":"https://example.com/f${character}"}]}`,
        ),
      );
      expectRefused(await sendJson('POST', '/api/v1/documents', `{"title":"Doc","content":"a${character}b"}`));
      expectRefused(await sendJson('POST', `/api/v1/agents/${agent.id}/api-keys`, `{"name":"key ${character}"}`));
      expectRefused(await sendJson('POST', '/api/v1/workspaces', `{"name":"team ${character}"}`));
      expectRefused(await sendJson('POST', `/api/v1/tasks/${taskId}/escalate`, `{"reason":"help ${character}"}`));
      expect({
        tasks: await count('tasks'),
        messages: await count('messages'),
        documents: await count('documents'),
        apiKeys: await count('api_keys'),
        workspaces: await count('workspaces'),
      }).toEqual(before);
      const task = await server.request({ method: 'GET', url: `/api/v1/tasks/${taskId}` });
      expect(task.json()).toMatchObject({ title: 'Existing task', description: '' });
    });
  }

  it('refuses a NUL character in a query and in a path parameter', async () => {
    expectRefused(await server.request({ method: 'GET', url: '/api/v1/tasks?q=%00' }));
    expectRefused(await server.request({ method: 'GET', url: '/api/v1/documents?q=a%00b' }));
    expectRefused(await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1%00' }));
  });

  it('still stores well-formed text with emoji and accents', async () => {
    const created = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Lancement 🚀 café' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().title).toBe('Lancement 🚀 café');
  });
});
