import { type ChatStreamEvent, endpoints } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ScriptedModelServer, startScriptedModelServer } from '../../runtime/src/test/scripted-model-server.js';
import { isMissionControlError, MissionControl } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

/** Every event of one chat turn, in order. */
async function collect(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const seen: ChatStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describeEachEngine('chat with a built-in agent through the SDK', (engine) => {
  let server: RealServer;
  let model: ScriptedModelServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    model = await startScriptedModelServer();
    server.services.agentChat.useModels({
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: undefined,
        openai: undefined,
        defaultModel: undefined,
      },
    });
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
  });
  afterAll(async () => {
    await model?.close();
    await server?.close();
  });

  async function createBuiltinAgent(name: string) {
    const { agent } = await server.createAgentWithKey({ name });
    await owner.runtime.updateAgentRuntime(agent.id, { runtime: 'builtin' });
    return agent;
  }

  it('yields the answer piece by piece, then the stored answer with its cost, and keeps the conversation', async () => {
    const agent = await createBuiltinAgent('sdk-chatter');
    model.setScript(() => ({ text: 'Hello! I keep the roadmap.', usage: { input: 300, output: 40 } }));

    const events = await collect(owner.runtime.chat(agent.id, 'Who are you?'));
    const deltas = events.filter((event) => event.type === 'delta');
    // Streamed as the model writes it, not in one piece.
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((event) => event.text).join('')).toBe('Hello! I keep the roadmap.');
    const done = events.at(-1);
    expect(done).toMatchObject({
      type: 'done',
      tokensIn: 300,
      tokensOut: 40,
      message: { role: 'assistant', agentId: agent.id, content: 'Hello! I keep the roadmap.' },
    });
    expect(events.filter((event) => event.type !== 'delta')).toHaveLength(1);

    const history = await owner.runtime.chatHistory(agent.id);
    expect(history.map((message) => [message.role, message.content])).toEqual([
      ['user', 'Who are you?'],
      ['assistant', 'Hello! I keep the roadmap.'],
    ]);
    const runs = await owner.runtime.listRuns(agent.id).toArray();
    expect(runs.map((run) => [run.id, run.trigger, run.status])).toEqual([[done?.type === 'done' ? done.runId : '', 'chat', 'completed']]);
  });

  it('throws the refusal of an external agent as MissionControlError before any event', async () => {
    const { agent } = await server.createAgentWithKey({ name: 'sdk-outsider' });
    const refusal = await collect(owner.runtime.chat(agent.id, 'hi')).catch((error: unknown) => error);
    expect(isMissionControlError(refusal)).toBe(true);
    expect(refusal).toMatchObject({ code: 'AGENT_NOT_BUILTIN', status: 409 });
    expect(await owner.runtime.chatHistory(agent.id)).toEqual([]);
  });

  it('ends with an error event when the model fails', async () => {
    const agent = await createBuiltinAgent('sdk-unlucky');
    model.setScript(() => ({ status: 500, error: 'model crashed' }));
    const events = await collect(owner.runtime.chat(agent.id, 'hi'));
    expect(events.at(-1)).toMatchObject({ type: 'error', message: expect.stringContaining('model crashed') });
  });

  it('renews a refused credential once and sends the message again, like every other call', async () => {
    const agent = await createBuiltinAgent('sdk-renewed');
    model.setScript(() => ({ text: 'Fresh token, fresh answer.' }));
    let token = 'expired-token';
    let renewals = 0;
    const client = new MissionControl({
      baseUrl: server.url,
      credential: () => token,
      onUnauthorized: async () => {
        renewals += 1;
        token = server.ownerToken;
        return true;
      },
    });
    const events = await collect(client.runtime.chat(agent.id, 'hello?'));
    expect(renewals).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { content: 'Fresh token, fresh answer.' } });
  });

  it('stops reading when the signal aborts', async () => {
    const agent = await createBuiltinAgent('sdk-interrupted');
    model.setScript(() => ({ text: 'A long answer that nobody waits for until the end.' }));
    const controller = new AbortController();
    const seen: ChatStreamEvent[] = [];
    const outcome = await (async () => {
      for await (const event of owner.runtime.chat(agent.id, 'Tell me everything', { signal: controller.signal })) {
        seen.push(event);
        controller.abort();
      }
      return 'completed';
    })().catch((error: unknown) => error);
    expect(seen).toHaveLength(1);
    expect(outcome).toMatchObject({ name: 'AbortError' });
  });

  it('refuses to read a stream as one JSON answer', async () => {
    const agent = await createBuiltinAgent('sdk-misread');
    await expect(owner.request(endpoints.sendChatMessage, { params: { id: agent.id }, body: { content: 'hi' } })).rejects.toThrow(
      /callForEvents/,
    );
    // Refused before sending: nothing was stored.
    expect(await owner.runtime.chatHistory(agent.id)).toEqual([]);
  });
});
