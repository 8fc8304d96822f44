import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatStreamEventSchema } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

/**
 * A real OpenAI-compatible endpoint that starts an answer and then never finishes it: a chat
 * stays mid-answer until someone stops it. It records whether the caller hung up.
 */
async function startStallingModel() {
  let hungUp = 0;
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    request.resume();
    open.add(response);
    response.on('close', () => {
      open.delete(response);
      hungUp += 1;
    });
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const base = { id: 'chatcmpl-stall', created: 0, model: 'gpt-4o-mini', object: 'chat.completion.chunk' };
    response.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`,
    );
    response.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'Let me think ' }, finish_reason: null }] })}\n\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    hungUp: () => hungUp,
    close: async () => {
      for (const response of open) response.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describeEachEngine('a chat answer streaming to a person', (engine) => {
  let server: TestServer;
  let baseUrl: string;
  let model: Awaited<ReturnType<typeof startStallingModel>>;
  let agentId: string;

  beforeAll(async () => {
    server = await createTestServer(engine);
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    model = await startStallingModel();
    server.services.agentChat.useModels({
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: undefined,
        openai: undefined,
        defaultModel: undefined,
      },
    });
    const { agent } = await server.createAgentWithKey({ name: 'thinker' });
    await server.request({ method: 'PUT', url: `/api/v1/agents/${agent.id}/runtime`, payload: { runtime: 'builtin' } });
    agentId = agent.id;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await model?.close();
  });

  const addMember = async (email: string) => {
    const password = 'a long enough password';
    const added = await server.addMember({ email, role: 'member', password });
    const login = await server.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, token: null });
    return { id: added.id, token: login.json().accessToken as string };
  };

  /** Starts a chat over real HTTP; resolves once the first piece of the answer arrived, with the rest to read. */
  const startChat = async (token: string) => {
    const response = await fetch(`${baseUrl}/api/v1/agents/${agentId}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ content: 'What should we do next?' }),
    });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const events = () =>
      text
        .split('\n\n')
        .filter((block) => block.includes('data: '))
        .map((block) => chatStreamEventSchema.parse(JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}')));
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return 'ended';
        text += decoder.decode(chunk.value, { stream: true });
      }
      return 'open';
    };
    await readUntil(() => events().some((event) => event.type === 'delta'));
    return { events, readToEnd: () => readUntil(() => false) };
  };

  const storedAnswers = (userId: string) =>
    server.database.db
      .selectFrom('agent_chat_messages')
      .selectAll()
      .where('user_id', '=', userId)
      .where('role', '=', 'assistant')
      .execute();

  it('stops with an error event when the person signs out, and aborts the model call', async () => {
    const member = await addMember('chatty@example.com');
    const hungUpBefore = model.hungUp();
    const chat = await startChat(member.token);
    expect(chat.events()[0]).toEqual({ type: 'delta', text: 'Let me think ' });
    const logout = await server.request({ method: 'POST', url: '/api/v1/auth/logout', payload: {}, token: member.token });
    expect(logout.statusCode).toBe(204);
    expect(await chat.readToEnd()).toBe('ended');
    expect(chat.events().at(-1)).toMatchObject({ type: 'error', code: 'TOKEN_INVALID' });
    await expect.poll(() => model.hungUp()).toBeGreaterThan(hungUpBefore);
    expect(await storedAnswers(member.id)).toEqual([]);
  });

  it('stops with an error event when the person is removed from the workspace', async () => {
    const member = await addMember('removed-chatter@example.com');
    const chat = await startChat(member.token);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/members/${member.id}` })).statusCode).toBe(204);
    expect(await chat.readToEnd()).toBe('ended');
    expect(chat.events().at(-1)).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(await storedAnswers(member.id)).toEqual([]);
  });
});
