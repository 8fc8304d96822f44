import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('memories and search through the SDK', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('remembers, recalls, shares, forgets and searches', async () => {
    const first = await server.createAgentWithKey();
    const second = await server.createAgentWithKey();
    const client = new MissionControl({ baseUrl: server.url, apiKey: first.apiKey, retry: { retries: 0 } });
    const memory = await client.memories.create(first.agent.id, {
      content: 'Invoices are due on the 5th',
      kind: 'fact',
      tags: ['billing'],
    });
    expect((await client.memories.list(first.agent.id, { tag: 'billing' }).toArray(10)).map((item) => item.id)).toEqual([memory.id]);
    const found = await client.memories.search(first.agent.id, 'when are invoices due?');
    expect(found).toMatchObject({ retrieval: 'full-text', results: [{ memory: { id: memory.id } }] });
    const shared = await client.memories.share(first.agent.id, memory.id, { toAgentIds: [second.agent.id] });
    expect(shared.sharedWithAgentIds).toEqual([second.agent.id]);
    const hits = await owner.search.query('invoices', { types: ['memory'] });
    expect(hits.hits.map((hit) => hit.id)).toEqual([memory.id]);
    await client.memories.delete(first.agent.id, memory.id);
    expect((await owner.search.query('invoices')).hits).toEqual([]);
  });
});
