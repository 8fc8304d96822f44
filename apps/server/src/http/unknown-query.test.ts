import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { connectStream } from '../test/stream-client.js';
import { createTestServer, type TestServer } from '../test/test-server.js';

describeEachEngine('unknown query parameters', (engine) => {
  let server: TestServer;
  let taskId: string;
  beforeAll(async () => {
    server = await createTestServer(engine);
    taskId = (await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Thread' } })).json().id;
    for (const content of ['first', 'second']) {
      await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/messages`, payload: { content } });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a query key a list endpoint does not know with 400 VALIDATION_FAILED, instead of answering everything', async () => {
    const response = await server.request({ method: 'GET', url: `/api/v1/tasks/${taskId}/messages?q=first` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(response.json().error.details)).toContain('q');
    const known = await server.request({ method: 'GET', url: `/api/v1/tasks/${taskId}/messages?order=desc&limit=1` });
    expect(known.statusCode).toBe(200);
    expect(known.json().data.map((message: { content: string }) => message.content)).toEqual(['second']);
  });

  it('refuses any query on an endpoint that takes none', async () => {
    const response = await server.request({ method: 'GET', url: `/api/v1/tasks/${taskId}?fields=title` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect((await server.request({ method: 'GET', url: `/api/v1/tasks/${taskId}` })).statusCode).toBe(200);
  });

  it('keeps the stream parameters (token, after) of the WebSocket routes, which are not endpoint definitions', async () => {
    const { apiKey } = await server.createAgentWithKey();
    const port = Number(new URL(await server.app.listen({ port: 0, host: '127.0.0.1' })).port);
    const stream = connectStream(`ws://127.0.0.1:${port}/api/v1/ws/activities?token=${apiKey}&after=0`);
    await stream.waitFor((messages) => messages.some((message) => message.type === 'ready'), 'ready');
    stream.close();
    expect(stream.messages.filter((message) => message.type === 'error')).toEqual([]);
    expect(stream.events().length).toBeGreaterThan(0);
  });
});
