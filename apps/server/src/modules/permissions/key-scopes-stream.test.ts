import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { connectStream, type TestStreamClient } from '../../test/stream-client.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('scoped API keys on the event stream', (engine) => {
  let server: TestServer;
  let baseUrl: string;
  const clients: TestStreamClient[] = [];
  beforeEach(async () => {
    server = await createTestServer(engine, { stream: { authTimeoutMs: 500 } });
    baseUrl = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server.close();
  });

  const keyWith = async (scopes: string[]) =>
    (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'scoped', scopes } })).json().secret as string;

  it('closes the socket of a key without activities.read with 4403 KEY_SCOPE_MISSING, and streams to one that has it', async () => {
    const refused = connectStream(`${baseUrl}/api/v1/ws/activities`, { authToken: await keyWith(['tasks.read']) });
    clients.push(refused);
    const closed = await refused.closed;
    expect(closed.code).toBe(4403);
    expect(refused.messages.at(-1)).toMatchObject({ type: 'error', data: { code: 'KEY_SCOPE_MISSING' } });

    const allowed = connectStream(`${baseUrl}/api/v1/ws/activities`, { authToken: await keyWith(['activities.read']) });
    clients.push(allowed);
    await allowed.waitFor((messages) => messages.some((message) => message.type === 'ready'), 'ready');
  });
});
