import type { Memory, MemorySearchResult } from '@mission-control/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddingServer, scriptedEmbedding, startEmbeddingServer } from '../../test/embedding-server.js';
import { describeEachEngine } from '../../test/engines.js';
import { buildRecallSet, measureHitRates, recallSynonyms } from '../../test/memory-recall-set.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';
import { normalizeVector } from './embedding-client.js';
import { searchMemoriesByVector } from './memory.repository.js';

const recallSet = buildRecallSet();

/** Seeds the 200 memories for one agent and asks every question; answers the hit rates. */
async function seedRecallSet(server: TestServer) {
  const { agent, apiKey } = await server.createAgentWithKey();
  const ids: string[] = [];
  for (const item of recallSet) {
    const answer = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/memories`,
      token: apiKey,
      payload: { content: item.content, tags: item.tags, kind: 'fact' },
    });
    expect(answer.statusCode).toBe(201);
    ids.push((answer.json() as Memory).id);
  }
  async function ask(questions: readonly string[]) {
    const answers: MemorySearchResult[] = [];
    for (const question of questions) {
      const answer = await server.request({
        method: 'GET',
        url: `/api/v1/agents/${agent.id}/memories/search?q=${encodeURIComponent(question)}&limit=5`,
        token: apiKey,
      });
      expect(answer.statusCode).toBe(200);
      answers.push(answer.json() as MemorySearchResult);
    }
    return answers;
  }
  return { agent, apiKey, ids, ask };
}

describeEachEngine('memory recall on 200 memories', (engine) => {
  describe('full text only (no embedding model)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await createTestServer(engine);
    }, 60_000);
    afterAll(async () => {
      await server?.close();
    });

    it('ranks the memory asked about first for questions in its own words, and says it used full text', async () => {
      const seeded = await seedRecallSet(server);
      const literal = await seeded.ask(recallSet.map((item) => item.literal));
      const paraphrased = await seeded.ask(recallSet.map((item) => item.paraphrased));
      expect(new Set([...literal, ...paraphrased].map((answer) => answer.retrieval))).toEqual(new Set(['full-text']));
      const literalRates = measureHitRates(
        seeded.ids,
        literal.map((answer) => answer.results.map((hit) => hit.memory.id)),
      );
      const paraphrasedRates = measureHitRates(
        seeded.ids,
        paraphrased.map((answer) => answer.results.map((hit) => hit.memory.id)),
      );
      console.info(
        `[${engine}] full-text recall: literal ${JSON.stringify(literalRates)}, paraphrased ${JSON.stringify(paraphrasedRates)}`,
      );
      expect(literalRates.top1).toBeGreaterThanOrEqual(0.9);
      expect(literalRates.top5).toBe(1);
      // The system's name still narrows a paraphrase down to its five memories.
      expect(paraphrasedRates.top5).toBeGreaterThanOrEqual(0.9);
    }, 300_000);
  });

  describe('hybrid (scripted embedding model on port 0)', () => {
    let server: TestServer;
    let embeddings: EmbeddingServer;
    beforeAll(async () => {
      embeddings = await startEmbeddingServer(recallSynonyms);
      server = await createTestServer(engine, { memory: { embeddings: { baseUrl: embeddings.baseUrl, model: 'scripted-embed' } } });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await embeddings?.close();
    });

    it('ranks the memory asked about first even when the question uses other words, and says it fused both', async () => {
      const seeded = await seedRecallSet(server);
      expect(embeddings.requests).toBe(recallSet.length);
      const stored = await server.database.db
        .selectFrom('agent_memories')
        .select(['embedding_model'])
        .where('agent_id', '=', seeded.agent.id)
        .execute();
      expect(stored.every((row) => row.embedding_model === 'scripted-embed')).toBe(true);

      const literal = await seeded.ask(recallSet.map((item) => item.literal));
      const paraphrased = await seeded.ask(recallSet.map((item) => item.paraphrased));
      expect(new Set([...literal, ...paraphrased].map((answer) => answer.retrieval))).toEqual(new Set(['hybrid']));
      expect(literal[0]?.embeddingModel).toBe('scripted-embed');
      const literalRates = measureHitRates(
        seeded.ids,
        literal.map((answer) => answer.results.map((hit) => hit.memory.id)),
      );
      const paraphrasedRates = measureHitRates(
        seeded.ids,
        paraphrased.map((answer) => answer.results.map((hit) => hit.memory.id)),
      );
      console.info(`[${engine}] hybrid recall: literal ${JSON.stringify(literalRates)}, paraphrased ${JSON.stringify(paraphrasedRates)}`);
      expect(literalRates.top1).toBeGreaterThanOrEqual(0.9);
      // Full text alone gets 0.2 here (it only knows the system's name); fusion with a flat full-text list costs some top-1s.
      expect(paraphrasedRates.top1).toBeGreaterThanOrEqual(0.75);
      expect(paraphrasedRates.top5).toBe(1);
    }, 300_000);

    it('answers the exact cosine ranking from the engine (sqlite-vec or SQL over real[]), the same as computed here', async () => {
      const seeded = await seedRecallSet(server);
      const vectors = recallSet.map((item) => normalizeVector(scriptedEmbedding(item.content, recallSynonyms)));
      for (const item of recallSet.slice(0, 40)) {
        const query = normalizeVector(scriptedEmbedding(item.paraphrased, recallSynonyms));
        const similarities = vectors.map((vector, index) => ({
          id: seeded.ids[index] as string,
          similarity: vector.reduce((sum, value, dimension) => sum + value * (query[dimension] ?? 0), 0),
        }));
        const expected = similarities
          .sort((left, right) => right.similarity - left.similarity || (left.id < right.id ? 1 : -1))
          .slice(0, 5)
          .map((entry) => entry.id);
        const answered = await searchMemoriesByVector(server.database.db, engine, {
          workspaceId: server.workspaceId,
          agentId: seeded.agent.id,
          model: 'scripted-embed',
          vector: query,
          limit: 5,
        });
        // Equal similarities may come in either order within float32 rounding: compare the sets of the top 5 and the first.
        expect(answered[0]).toBe(expected[0]);
        expect(new Set(answered)).toEqual(new Set(expected));
      }
    }, 300_000);

    it('still stores and finds memories by full text when the embedding model fails, and says so', async () => {
      const { agent, apiKey } = await server.createAgentWithKey();
      embeddings.failWith(503);
      try {
        const created = await server.request({
          method: 'POST',
          url: `/api/v1/agents/${agent.id}/memories`,
          token: apiKey,
          payload: { content: 'The coffee machine is descaled on Fridays' },
        });
        expect(created.statusCode).toBe(201);
        expect(created.json()).toMatchObject({ embedded: false });
        const found = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/memories/search?q=coffee`, token: apiKey });
        expect(found.json()).toMatchObject({
          retrieval: 'full-text',
          embeddingModel: 'scripted-embed',
          note: expect.stringMatching(/could not be reached/),
        });
        expect((found.json() as MemorySearchResult).results).toHaveLength(1);
      } finally {
        embeddings.failWith(null);
      }
    });
  });
});
