import type { SearchResult } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('search routes', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer(engine);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  async function search(query: string, token?: string) {
    const answer = await server.request({ method: 'GET', url: `/api/v1/search?${query}`, token });
    expect(answer.statusCode).toBe(200);
    return answer.json() as SearchResult;
  }

  async function post(url: string, payload: Record<string, unknown>, token?: string) {
    const answer = await server.request({ method: 'POST', url, payload, token });
    expect(answer.statusCode).toBe(201);
    return answer.json() as { id: string; key?: string };
  }

  it('finds a word in a task, a message, a document and a memory with highlighted snippets and facets, and nothing from another workspace', async () => {
    const task = await post('/api/v1/tasks', { title: 'Rotate the zanzibar credentials', description: 'Every quarter.' });
    const message = await post(`/api/v1/tasks/${task.id}/messages`, {
      content: 'The zanzibar vault answered 403 this morning, retrying later.',
    });
    const document = await post('/api/v1/documents', {
      title: 'Runbook',
      content: '# Runbook\n\nOpen the zanzibar console and rotate the key.',
      taskId: task.id,
    });
    const { agent, apiKey } = await server.createAgentWithKey();
    const memory = await post(`/api/v1/agents/${agent.id}/memories`, { content: 'zanzibar keys expire after ninety days' }, apiKey);
    const otherWorkspace = await server.createOtherWorkspaceToken();
    await post('/api/v1/tasks', { title: 'Zanzibar elsewhere' }, otherWorkspace);

    const found = await search('q=zanzibar');
    expect(found.facets).toEqual({ task: 1, message: 1, document: 1, skill: 0, memory: 1 });
    const byType = Object.fromEntries(found.hits.map((hit) => [hit.type, hit]));
    expect(byType.task).toMatchObject({ id: task.id, taskId: task.id, title: 'Rotate the zanzibar credentials' });
    expect(byType.message).toMatchObject({ id: message.id, taskId: task.id, snippet: expect.stringContaining('**zanzibar**') });
    expect(byType.document).toMatchObject({
      id: document.id,
      taskId: task.id,
      title: 'Runbook',
      snippet: expect.stringContaining('**zanzibar** console'),
    });
    expect(byType.memory).toMatchObject({ id: memory.id, agentId: agent.id, snippet: expect.stringContaining('**zanzibar** keys') });
    // The title weighs more: the task ranks first.
    expect(found.hits[0]?.type).toBe('task');

    const elsewhere = await search('q=zanzibar', otherWorkspace);
    expect(elsewhere.hits.map((hit) => hit.title)).toEqual(['Zanzibar elsewhere']);
    expect(elsewhere.facets).toEqual({ task: 1, message: 0, document: 0, skill: 0, memory: 0 });

    const onlyDocuments = await search('q=zanzibar&types=document,message&limit=1');
    expect(onlyDocuments.hits).toHaveLength(1);
    expect(onlyDocuments.facets).toEqual({ task: 0, message: 1, document: 1, skill: 0, memory: 0 });

    // Another agent does not see this agent's memory.
    const other = await server.createAgentWithKey();
    expect((await search('q=zanzibar', other.apiKey)).facets.memory).toBe(0);
  });

  it('follows edits and deletes in the same transaction, and any word of a question may match', async () => {
    const task = await post('/api/v1/tasks', { title: 'Fix the quixotic cache' });
    expect((await search('q=why+is+the+quixotic+thing+slow')).hits.map((hit) => hit.id)).toEqual([task.id]);
    const patched = await server.request({
      method: 'PATCH',
      url: `/api/v1/tasks/${task.id}`,
      payload: { title: 'Fix the jubilant cache' },
    });
    expect(patched.statusCode).toBe(200);
    expect((await search('q=quixotic')).hits).toEqual([]);
    expect((await search('q=jubilant')).hits.map((hit) => hit.id)).toEqual([task.id]);
    const deleted = await server.request({ method: 'DELETE', url: `/api/v1/tasks/${task.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await search('q=jubilant')).hits).toEqual([]);
  });

  it('answers 400 for an unknown type', async () => {
    const answer = await server.request({ method: 'GET', url: '/api/v1/search?q=x&types=task,spaceship' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
