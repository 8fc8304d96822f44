import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ModelScript,
  type ScriptedModelServer,
  startScriptedModelServer,
} from '../../../../../packages/runtime/src/test/scripted-model-server.js';
import { describeEachEngine } from '../../test/engines.js';
import { createSecondInstance, createTestServer, type SecondInstance, type TestServer } from '../../test/test-server.js';

const modelSummary = 'Deploys go out on Tuesdays; the on-call rota changes on Mondays.';
const memory = { limitPerAgent: 10 };

/** A model answer held back until the test lets it go, and a promise for each request as it arrives. */
function holdModelAnswers(model: ScriptedModelServer) {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const waiting: Array<() => void> = [];
  const arrived = [0, 1].map(() => new Promise<void>((resolve) => waiting.push(resolve)));
  let seen = 0;
  const script: ModelScript = async () => {
    waiting[seen++]?.();
    await released;
    return { text: modelSummary, usage: { input: 300, output: 20 } };
  };
  model.setScript(script);
  return { arrived, release };
}

describeEachEngine('one memory summary per agent across instances', (engine) => {
  let server: TestServer;
  let second: SecondInstance | undefined;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    server = await createTestServer(engine, { memory });
    model = await startScriptedModelServer();
    const models = {
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: undefined,
        openai: undefined,
        defaultModel: undefined,
      },
    };
    server.services.memorySummarizer.useModels(models);
    // PostgreSQL: a real second instance (its own pool and services) on the same schema. SQLite
    // is one process per database file, so there the job runs twice at once in one instance.
    if (engine === 'postgres') {
      second = await createSecondInstance(server, { memory });
      second.services.memorySummarizer.useModels(models);
    }
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await model?.close();
    await server?.close();
  });

  const otherInstance = () => (second ?? server).services.memories;

  /** A built-in agent with ten low-importance memories: past the threshold (8 of 10). */
  async function agentDueForSummary(label: string) {
    const { agent, apiKey } = await server.createAgentWithKey();
    const runtime = await server.request({ method: 'PUT', url: `/api/v1/agents/${agent.id}/runtime`, payload: { runtime: 'builtin' } });
    expect(runtime.statusCode).toBe(200);
    for (let index = 0; index < 10; index += 1) {
      const answer = await server.request({
        method: 'POST',
        url: `/api/v1/agents/${agent.id}/memories`,
        token: apiKey,
        payload: { content: `${label} note ${index}`, importance: 1 },
      });
      expect(answer.statusCode).toBe(201);
    }
    return agent;
  }

  const summariesOf = (agentId: string) =>
    server.database.db
      .selectFrom('agent_memories')
      .select('content')
      .where('agent_id', '=', agentId)
      .where('kind', '=', 'summary')
      .execute();
  const runsOf = (agentId: string) =>
    server.database.db.selectFrom('agent_runs').select('status').where('agent_id', '=', agentId).execute();
  const claimsOf = (agentId: string) =>
    server.database.db.selectFrom('memory_summary_claims').selectAll().where('agent_id', '=', agentId).execute();

  it('calls the model once when two instances summarise the same agent at once, and stores one summary', async () => {
    const agent = await agentDueForSummary('Deploy');
    const before = model.requests.length;
    const held = holdModelAnswers(model);

    const first = server.services.memories.compactMemories();
    await held.arrived[0];
    // The first instance holds the claim and waits on the model: the other one leaves the agent alone.
    expect(await claimsOf(agent.id)).toHaveLength(1);
    expect(await otherInstance().compactMemories()).toMatchObject({ summarised: 0, summaries: 0 });
    expect(model.requests.length - before).toBe(1);

    held.release();
    expect(await first).toMatchObject({ summarised: 3, summaries: 1 });
    expect(model.requests.length - before).toBe(1);
    const summaries = await summariesOf(agent.id);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.content).toContain(modelSummary);
    expect(await runsOf(agent.id)).toEqual([{ status: 'completed' }]);
    // Given back after the summary: the next summary of this agent may come from any instance.
    expect(await claimsOf(agent.id)).toEqual([]);
  });

  it('lets another instance take a claim that ran out (a crashed holder), and still stores only one summary', async () => {
    const agent = await agentDueForSummary('Rota');
    const before = model.requests.length;
    const held = holdModelAnswers(model);

    const first = server.services.memories.compactMemories();
    await held.arrived[0];
    expect(await otherInstance().compactMemories()).toMatchObject({ summaries: 0 });
    expect(model.requests.length - before).toBe(1);

    // Five minutes on, the holder looks crashed: the claim has expired and the other instance takes it.
    server.clock.advance(5 * 60_000);
    const takeover = otherInstance().compactMemories();
    await held.arrived[1];
    expect(model.requests.length - before).toBe(2);

    held.release();
    const results = await Promise.all([first, takeover]);
    // Both models answered, but the memories are folded once: the later transaction finds them gone.
    expect(results.map((result) => result.summaries).sort()).toEqual([0, 1]);
    expect(await summariesOf(agent.id)).toHaveLength(1);
    expect(await claimsOf(agent.id)).toEqual([]);
  });

  it('keeps the claim for the rest period after a failed call, so no instance calls the failing model again before it', async () => {
    const agent = await agentDueForSummary('Fragile');
    const before = model.requests.length;
    model.setScript(() => ({ status: 500, error: 'model overloaded' }));
    expect(await server.services.memories.compactMemories()).toMatchObject({ summaries: 0 });
    expect(model.requests.length - before).toBe(1);
    const [claim] = await claimsOf(agent.id);
    expect(Number(claim?.claimed_until)).toBe(server.clock.now().getTime() + 10 * 60_000);

    model.setScript(() => ({ text: modelSummary, usage: { input: 300, output: 20 } }));
    server.clock.advance(9 * 60_000);
    expect(await otherInstance().compactMemories()).toMatchObject({ summaries: 0 });
    expect(model.requests.length - before).toBe(1);

    server.clock.advance(60_000);
    expect(await otherInstance().compactMemories()).toMatchObject({ summaries: 1 });
    expect(model.requests.length - before).toBe(2);
    expect(await summariesOf(agent.id)).toHaveLength(1);
    expect((await runsOf(agent.id)).map((run) => run.status).sort()).toEqual(['completed', 'failed']);
  });
});
