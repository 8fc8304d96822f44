import type { Memory } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type ScriptedModelServer, startScriptedModelServer } from '../../../../../packages/runtime/src/test/scripted-model-server.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';
import { readMemoryTags } from './memory.repository.js';

/** An event's data: JSON text on SQLite, parsed jsonb on PostgreSQL. */
const eventDataSchema = z.object({ memoryId: z.string(), reason: z.string().optional() });
function readData(data: unknown) {
  return eventDataSchema.parse(typeof data === 'string' ? JSON.parse(data) : data);
}

const modelSummary = 'Staging resets every Monday at 06:00 UTC; the release train leaves on Thursdays.';

describeEachEngine('memories summarised by the agent’s own model', (engine) => {
  let server: TestServer;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    // Limit 10: past 8 memories (80 %) the oldest low-importance ones are summarised.
    server = await createTestServer(engine, { memory: { limitPerAgent: 10 } });
    model = await startScriptedModelServer();
    model.setScript(() => ({ text: modelSummary, usage: { input: 400, output: 30 } }));
    server.services.memorySummarizer.useModels({
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: undefined,
        openai: undefined,
        defaultModel: undefined,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await model?.close();
    await server?.close();
  });

  async function remember(agentId: string, apiKey: string, payload: Record<string, unknown>): Promise<Memory> {
    const answer = await server.request({ method: 'POST', url: `/api/v1/agents/${agentId}/memories`, token: apiKey, payload });
    expect(answer.statusCode).toBe(201);
    return answer.json() as Memory;
  }

  function memoriesOf(agentId: string) {
    return server.database.db.selectFrom('agent_memories').selectAll().where('agent_id', '=', agentId).orderBy('created_at').execute();
  }

  function eventsOf(agentId: string, type: 'memory-created' | 'memory-deleted') {
    return server.database.db
      .selectFrom('events')
      .select(['data', 'summary'])
      .where('agent_id', '=', agentId)
      .where('type', '=', type)
      .execute();
  }

  it('folds the oldest low-importance memories into one summary with the model’s text, deleting the originals with events', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const runtime = await server.request({ method: 'PUT', url: `/api/v1/agents/${agent.id}/runtime`, payload: { runtime: 'builtin' } });
    expect(runtime.statusCode).toBe(200);
    const keep = await remember(agent.id, apiKey, { content: 'Never deploy on Fridays', importance: 5 });
    const old: Memory[] = [];
    for (let index = 0; index < 9; index += 1) {
      old.push(await remember(agent.id, apiKey, { content: `Staging note ${index}`, importance: 1, tags: [`tag-${index % 2}`] }));
    }
    expect(await memoriesOf(agent.id)).toHaveLength(10);
    const callsBefore = model.requests.length;

    const result = await server.services.memories.compactMemories();
    expect(result).toMatchObject({ summarised: 3, summaries: 1, pruned: 0 });
    expect(model.requests.length - callsBefore).toBe(1);
    const prompt = model.requests.at(-1)?.transcript.join('\n') ?? '';
    expect(prompt).toContain('Staging note 0');
    expect(prompt).toContain('Staging note 2');
    expect(prompt).not.toContain('Never deploy on Fridays');

    const rows = await memoriesOf(agent.id);
    // 10 memories, 3 folded into 1: 8, under the limit and at the threshold.
    expect(rows).toHaveLength(8);
    const summaries = rows.filter((row) => row.kind === 'summary');
    expect(summaries).toHaveLength(1);
    const summary = summaries[0];
    expect(summary?.content).toContain(modelSummary);
    expect(summary?.content).toContain('Summary of 3 older memories');
    expect(Number(summary?.importance)).toBe(3);
    expect(summary && readMemoryTags(summary).sort()).toEqual(['tag-0', 'tag-1']);
    const ids = rows.map((row) => row.id);
    expect(ids).toContain(keep.id);
    for (const gone of old.slice(0, 3)) expect(ids).not.toContain(gone.id);

    const deleted = await eventsOf(agent.id, 'memory-deleted');
    expect(deleted.map((event) => readData(event.data))).toEqual(
      expect.arrayContaining(old.slice(0, 3).map((memory) => ({ memoryId: memory.id, reason: 'summarised' }))),
    );
    expect(deleted).toHaveLength(3);
    const created = (await eventsOf(agent.id, 'memory-created')).map((event) => readData(event.data));
    expect(created.map((event) => event.memoryId)).toContain(summary?.id);

    // The model call is charged to the agent like a turn.
    const runs = await server.database.db.selectFrom('agent_runs').selectAll().where('agent_id', '=', agent.id).execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'completed', model: 'gpt-4o-mini' });
    expect(Number(runs[0]?.tokens_in)).toBe(400);
    expect(Number(runs[0]?.tokens_out)).toBe(30);

    // At the threshold now: the next run does nothing and calls no model.
    const again = await server.services.memories.compactMemories();
    expect(again).toMatchObject({ summarised: 0, summaries: 0 });
    expect(model.requests.length - callsBefore).toBe(1);
    expect(await memoriesOf(agent.id)).toHaveLength(8);
  });

  it('prunes, never summarises, the memories of an agent without a model, calling no model', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    for (let index = 0; index < 12; index += 1) {
      await remember(agent.id, apiKey, { content: `Outside note ${index}`, importance: index < 4 ? 1 : 2 });
    }
    const callsBefore = model.requests.length;
    await server.services.memories.compactMemories();
    expect(model.requests.length).toBe(callsBefore);
    const rows = await memoriesOf(agent.id);
    expect(rows).toHaveLength(10);
    expect(rows.filter((row) => row.kind === 'summary')).toHaveLength(0);
    const deleted = (await eventsOf(agent.id, 'memory-deleted')).map((event) => readData(event.data));
    expect(deleted).toHaveLength(2);
    expect(deleted.every((event) => event.reason === 'pruned')).toBe(true);
  });

  it('does nothing below the threshold: no model call, no run', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    await server.request({ method: 'PUT', url: `/api/v1/agents/${agent.id}/runtime`, payload: { runtime: 'builtin' } });
    for (let index = 0; index < 8; index += 1) await remember(agent.id, apiKey, { content: `Quiet note ${index}`, importance: 1 });
    const callsBefore = model.requests.length;
    const result = await server.services.memories.compactMemories();
    expect(result).toEqual({ summarised: 0, summaries: 0, pruned: 0 });
    expect(model.requests.length).toBe(callsBefore);
    expect(await memoriesOf(agent.id)).toHaveLength(8);
    const runs = await server.database.db.selectFrom('agent_runs').select('id').where('agent_id', '=', agent.id).execute();
    expect(runs).toHaveLength(0);
  });
  it('keeps every memory when the model fails, and records the failed call as a failed run', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    await server.request({ method: 'PUT', url: `/api/v1/agents/${agent.id}/runtime`, payload: { runtime: 'builtin' } });
    for (let index = 0; index < 10; index += 1) await remember(agent.id, apiKey, { content: `Fragile note ${index}`, importance: 2 });
    model.setScript(() => ({ status: 500, error: 'model overloaded' }));
    const callsBefore = model.requests.length;
    try {
      const result = await server.services.memories.compactMemories();
      expect(result.summaries).toBe(0);
      // The agent rests after a failed call: the next run does not call the broken model again.
      await server.services.memories.compactMemories();
      expect(model.requests.length - callsBefore).toBe(1);
    } finally {
      model.setScript(() => ({ text: modelSummary, usage: { input: 400, output: 30 } }));
    }
    const rows = await memoriesOf(agent.id);
    expect(rows).toHaveLength(10);
    expect(rows.filter((row) => row.kind === 'summary')).toHaveLength(0);
    const runs = await server.database.db.selectFrom('agent_runs').select(['status']).where('agent_id', '=', agent.id).execute();
    expect(runs.map((run) => run.status)).toEqual(['failed']);
  });
});
