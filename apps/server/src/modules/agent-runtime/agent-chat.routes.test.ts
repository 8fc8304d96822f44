import type { AgentRun, ChatMessage } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ScriptedModelServer, startScriptedModelServer } from '../../../../../packages/runtime/src/test/scripted-model-server.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

/** The events of a server-sent event stream body. */
function parseEvents(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}

describeEachEngine('chat with an agent', (engine) => {
  let server: TestServer;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    server = await createTestServer(engine);
    model = await startScriptedModelServer();
    server.services.agentChat.useModels({
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: { apiKey: 'test', baseUrl: model.baseUrl },
        openai: undefined,
        defaultModel: undefined,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await model?.close();
    await server?.close();
  });

  async function createBuiltinAgent(name: string, runtime: Record<string, unknown> = {}) {
    const { agent } = await server.createAgentWithKey({ name });
    await server.request({ method: 'PUT', url: `/api/v1/agents/${agent.id}/runtime`, payload: { runtime: 'builtin', ...runtime } });
    return agent;
  }

  it.each([
    ['openai-compatible', {}],
    ['anthropic', { provider: 'anthropic', model: 'claude-haiku-4-5' }],
  ])('streams the answer over %s as it is written, keeps the history and records the run', async (provider, runtime) => {
    const agent = await createBuiltinAgent(`chatty-${provider}`, runtime);
    model.setScript((request) => ({
      text:
        request.transcript.length > 1
          ? 'You asked about the roadmap before. The next milestone is the demo.'
          : 'Hello! I keep the roadmap.',
      usage: { input: 300, output: 40 },
    }));
    const first = await server.request({ method: 'POST', url: `/api/v1/agents/${agent.id}/chat`, payload: { content: 'Who are you?' } });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/event-stream');
    const events = parseEvents(first.body);
    const deltas = events.filter((event) => event.event === 'delta').map((event) => event.data.text);
    // Streamed word by word, not in one piece.
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('Hello! I keep the roadmap.');
    const done = events.at(-1);
    expect(done).toMatchObject({
      event: 'done',
      data: { tokensIn: 300, tokensOut: 40, message: { role: 'assistant', content: 'Hello! I keep the roadmap.' } },
    });

    const second = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/chat`,
      payload: { content: 'And the roadmap?' },
    });
    expect(parseEvents(second.body).at(-1)?.data.message).toMatchObject({
      content: 'You asked about the roadmap before. The next milestone is the demo.',
    });
    // The model saw the earlier exchange.
    expect(model.requests.at(-1)?.transcript).toEqual(['Who are you?', 'Hello! I keep the roadmap.', 'And the roadmap?']);
    expect(model.requests.at(-1)?.stream).toBe(true);
    expect(model.requests.at(-1)?.protocol).toBe(provider === 'anthropic' ? 'anthropic' : 'openai');

    const history = (await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/chat` })).json() as { data: ChatMessage[] };
    expect(history.data.map((message) => [message.role, message.content])).toEqual([
      ['user', 'Who are you?'],
      ['assistant', 'Hello! I keep the roadmap.'],
      ['user', 'And the roadmap?'],
      ['assistant', 'You asked about the roadmap before. The next milestone is the demo.'],
    ]);
    const runs = (await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/runs` })).json() as { data: AgentRun[] };
    expect(runs.data.map((run) => [run.trigger, run.status, run.tokensIn])).toEqual([
      ['chat', 'completed', 300],
      ['chat', 'completed', 300],
    ]);
  });

  it('refuses external agents and agents without a model with a plain error, and ends a failing stream with an error event', async () => {
    const { agent: external } = await server.createAgentWithKey({ name: 'outside-agent' });
    const refused = await server.request({ method: 'POST', url: `/api/v1/agents/${external.id}/chat`, payload: { content: 'hi' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('AGENT_NOT_BUILTIN');

    const agent = await createBuiltinAgent('unlucky-chatter');
    model.setScript(() => ({ status: 500, error: 'model crashed' }));
    const failed = await server.request({ method: 'POST', url: `/api/v1/agents/${agent.id}/chat`, payload: { content: 'hi' } });
    expect(parseEvents(failed.body).at(-1)).toMatchObject({ event: 'error', data: { message: expect.stringContaining('model crashed') } });
  });

  it('ignores an Idempotency-Key on a streamed answer, so a retry is a new message and no key is left in progress', async () => {
    const { agent } = await server.createAgentWithKey({ name: 'streamer' });
    await server.request({ method: 'PUT', url: `/api/v1/agents/${agent.id}/runtime`, payload: { runtime: 'builtin' } });
    model.setScript(() => ({ text: 'Hi.', usage: { input: 10, output: 2 } }));
    const send = () =>
      server.request({
        method: 'POST',
        url: `/api/v1/agents/${agent.id}/chat`,
        payload: { content: 'Hello?' },
        headers: { 'idempotency-key': 'chat-retry-1' },
      });
    expect((await send()).statusCode).toBe(200);
    const retry = await send();
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotency-replayed']).toBeUndefined();
    const keys = await server.database.db.selectFrom('idempotency_keys').selectAll().where('key', '=', 'chat-retry-1').execute();
    expect(keys).toEqual([]);
    const history = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/chat` });
    expect(history.json().data.filter((message: ChatMessage) => message.role === 'user')).toHaveLength(2);
  });
});
