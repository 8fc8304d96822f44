import type { Memory, MemorySearchResult } from '@mission-control/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('memory routes', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer(engine, { memory: { limitPerAgent: 10 } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  async function remember(agentId: string, token: string | undefined, body: Record<string, unknown>) {
    return server.request({ method: 'POST', url: `/api/v1/agents/${agentId}/memories`, token, payload: body });
  }

  async function recall(agentId: string, token: string | undefined, q: string) {
    const answer = await server.request({
      method: 'GET',
      url: `/api/v1/agents/${agentId}/memories/search?q=${encodeURIComponent(q)}`,
      token,
    });
    expect(answer.statusCode).toBe(200);
    return answer.json() as MemorySearchResult;
  }

  it('stores a memory (201) with its event, and the agent recalls it by any word of a question, full text only', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const created = await remember(agent.id, apiKey, {
      content: 'The staging database is reset every Monday at 06:00 UTC.',
      kind: 'fact',
      tags: ['staging', 'schedule'],
      importance: 4,
    });
    expect(created.statusCode).toBe(201);
    const memory = created.json() as Memory;
    expect(memory).toMatchObject({
      agentId: agent.id,
      kind: 'fact',
      tags: ['staging', 'schedule'],
      importance: 4,
      taskId: null,
      embedded: false,
      sharedWithAgentIds: [],
      sharedWithWorkspace: false,
    });
    const row = await server.database.db.selectFrom('agent_memories').selectAll().where('id', '=', memory.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ agent_id: agent.id, workspace_id: server.workspaceId, embedding: null, embedding_model: null });
    const events = await server.database.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'memory-created')
      .where('agent_id', '=', agent.id)
      .execute();
    expect(events).toHaveLength(1);

    await remember(agent.id, apiKey, { content: 'Alice prefers short status messages.', kind: 'preference' });
    const found = await recall(agent.id, apiKey, 'when is staging reset?');
    expect(found.retrieval).toBe('full-text');
    expect(found.embeddingModel).toBeNull();
    expect(found.note).toMatch(/no embedding model/);
    expect(found.results.map((hit) => hit.memory.id)).toEqual([memory.id]);
    expect(found.results[0]?.sharedFrom).toBeNull();
    // Stemming: "resets" finds "reset".
    expect((await recall(agent.id, apiKey, 'resets')).results.map((hit) => hit.memory.id)).toEqual([memory.id]);
  });

  it('lists memories newest first with q, kind and tag filters, and answers 400 storing nothing for a bad body', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const first = (
      await remember(agent.id, apiKey, { content: 'Use pnpm in the web repository', kind: 'lesson', tags: ['web'] })
    ).json() as Memory;
    const second = (await remember(agent.id, apiKey, { content: 'Releases go out on Thursdays', tags: ['release'] })).json() as Memory;
    const list = async (query: string) =>
      ((await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/memories${query}` })).json() as { data: Memory[] }).data.map(
        (memory) => memory.id,
      );
    expect(await list('')).toEqual([second.id, first.id]);
    expect(await list('?kind=lesson')).toEqual([first.id]);
    expect(await list('?tag=release')).toEqual([second.id]);
    expect(await list('?q=PNPM')).toEqual([first.id]);

    const invalid = await remember(agent.id, apiKey, { content: '', importance: 9 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(await list('')).toHaveLength(2);
  });

  it('forgets a memory (204), then answers 404 MEMORY_NOT_FOUND', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const memory = (await remember(agent.id, apiKey, { content: 'Temporary note about the cache' })).json() as Memory;
    const url = `/api/v1/agents/${agent.id}/memories/${memory.id}`;
    expect((await server.request({ method: 'DELETE', url, token: apiKey })).statusCode).toBe(204);
    expect(await server.database.db.selectFrom('agent_memories').select('id').where('id', '=', memory.id).execute()).toEqual([]);
    expect((await recall(agent.id, apiKey, 'cache')).results).toEqual([]);
    const again = await server.request({ method: 'DELETE', url, token: apiKey });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: { code: 'MEMORY_NOT_FOUND' } });
  });

  it('answers 403 to an agent reaching another agent’s memories, and 404 AGENT_NOT_FOUND from another workspace', async () => {
    const owner = await server.createAgentWithKey();
    const other = await server.createAgentWithKey();
    const refused = await remember(owner.agent.id, other.apiKey, { content: 'Not yours to write' });
    expect(refused.statusCode).toBe(403);
    const peek = await server.request({
      method: 'GET',
      url: `/api/v1/agents/${owner.agent.id}/memories/search?q=yours`,
      token: other.apiKey,
    });
    expect(peek.statusCode).toBe(403);
    const otherWorkspace = await server.createOtherWorkspaceToken();
    const missing = await server.request({ method: 'GET', url: `/api/v1/agents/${owner.agent.id}/memories`, token: otherWorkspace });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'AGENT_NOT_FOUND' } });
    expect(await server.database.db.selectFrom('agent_memories').select('id').where('agent_id', '=', owner.agent.id).execute()).toEqual([]);
  });

  it('recalls a shared memory for its recipients, marked with its source, and not for other agents', async () => {
    const source = await server.createAgentWithKey();
    const recipient = await server.createAgentWithKey();
    const bystander = await server.createAgentWithKey();
    const memory = (
      await remember(source.agent.id, source.apiKey, { content: 'The flaky payments test needs the sandbox key', kind: 'lesson' })
    ).json() as Memory;
    const shareUrl = `/api/v1/agents/${source.agent.id}/memories/${memory.id}/share`;
    const shared = await server.request({
      method: 'POST',
      url: shareUrl,
      token: source.apiKey,
      payload: { toAgentIds: [recipient.agent.id] },
    });
    expect(shared.statusCode).toBe(200);
    expect(shared.json()).toMatchObject({ sharedWithAgentIds: [recipient.agent.id], sharedWithWorkspace: false });

    const recalled = await recall(recipient.agent.id, recipient.apiKey, 'why is the payments test flaky?');
    expect(recalled.results.map((hit) => [hit.memory.id, hit.sharedFrom])).toEqual([[memory.id, source.agent.id]]);
    expect((await recall(bystander.agent.id, bystander.apiKey, 'why is the payments test flaky?')).results).toEqual([]);

    const everyone = await server.request({ method: 'POST', url: shareUrl, token: source.apiKey, payload: { toWorkspace: true } });
    expect(everyone.json()).toMatchObject({ sharedWithWorkspace: true, sharedWithAgentIds: [recipient.agent.id] });
    expect((await recall(bystander.agent.id, bystander.apiKey, 'payments flaky')).results.map((hit) => hit.memory.id)).toEqual([memory.id]);
    const events = await server.database.db
      .selectFrom('events')
      .select('id')
      .where('type', '=', 'memory-shared')
      .where('agent_id', '=', source.agent.id)
      .execute();
    expect(events).toHaveLength(2);

    const empty = await server.request({ method: 'POST', url: shareUrl, token: source.apiKey, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('keeps an agent under its memory limit by pruning the least important, oldest memories first', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const important = (await remember(agent.id, apiKey, { content: 'Never deploy on Fridays', importance: 5 })).json() as Memory;
    for (let index = 0; index < 14; index += 1) {
      const answer = await remember(agent.id, apiKey, { content: `Trivia number ${index}`, importance: index < 7 ? 1 : 2 });
      expect(answer.statusCode).toBe(201);
    }
    const rows = await server.database.db
      .selectFrom('agent_memories')
      .select(['id', 'content', 'importance'])
      .where('agent_id', '=', agent.id)
      .execute();
    expect(rows).toHaveLength(10);
    expect(rows.map((row) => row.id)).toContain(important.id);
    // 15 written, 5 pruned: the five oldest of importance 1.
    expect(rows.map((row) => row.content).sort()).toEqual(
      [
        'Never deploy on Fridays',
        'Trivia number 5',
        'Trivia number 6',
        ...[7, 8, 9, 10, 11, 12, 13].map((index) => `Trivia number ${index}`),
      ].sort(),
    );
    const pruned = await server.database.db
      .selectFrom('events')
      .select('data')
      .where('type', '=', 'memory-deleted')
      .where('agent_id', '=', agent.id)
      .execute();
    expect(pruned).toHaveLength(5);
    expect(await server.services.memories.compactMemories()).toEqual({ summarised: 0, summaries: 0, pruned: 0 });
  });

  describe('task reference', () => {
    it('answers 404 TASK_NOT_FOUND for a task of nowhere and stores nothing', async () => {
      const { agent, apiKey } = await server.createAgentWithKey();
      const answer = await remember(agent.id, apiKey, { content: 'About a task', taskId: '01890000-0000-7000-8000-000000000000' });
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toMatchObject({ error: { code: 'TASK_NOT_FOUND' } });
      expect(await server.database.db.selectFrom('agent_memories').select('id').where('agent_id', '=', agent.id).execute()).toEqual([]);
    });
  });
});
