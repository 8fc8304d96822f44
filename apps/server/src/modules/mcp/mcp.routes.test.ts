import { afterEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer, type TestServerOptions } from '../../test/test-server.js';

const protocolVersion = '2025-06-18';
const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'mcp-route-test', version: '1.0.0' } },
});

describeEachEngine('the /mcp endpoint', (engine) => {
  let server: TestServer;
  let baseUrl: string;
  const openStreams: AbortController[] = [];

  const start = async (options: TestServerOptions = {}) => {
    // A short keep-alive: an event stream's first comment is how the test knows it is open.
    server = await createTestServer(engine, { mcp: { sseKeepAliveMs: 50 }, ...options });
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  };
  afterEach(async () => {
    for (const controller of openStreams.splice(0)) controller.abort();
    await server?.close();
  });

  /** One POST, its body read whole (an unread answer would hold its connection). */
  const post = async (credential: string, body: string, sessionId?: string) => {
    const response = await fetch(`${baseUrl}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${credential}`,
        ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion } : {}),
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  };

  /** Opens a session and returns its id. */
  const initialize = async (credential: string) => {
    const response = await post(credential, initializeBody);
    expect(response.status).toBe(200);
    const sessionId = response.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    await post(credential, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), sessionId ?? '');
    return sessionId as string;
  };

  /** Lists the tools in a session; the answer's status, and its error code when it is an API error. */
  const listTools = async (credential: string, sessionId: string) => {
    const response = await post(credential, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), sessionId);
    return { status: response.status, code: response.status === 401 ? (response.json().error.code as string) : undefined };
  };

  /** Opens the session's server-to-client event stream; resolves once it ended (the server closed the session). */
  const openEventStream = async (credential: string, sessionId: string) => {
    const controller = new AbortController();
    openStreams.push(controller);
    const response = await fetch(`${baseUrl}/mcp`, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${credential}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': protocolVersion,
      },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const ended = (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return 'ended';
      }
    })();
    return { ended };
  };

  const deleteSession = (credential: string, sessionId: string) =>
    fetch(`${baseUrl}/mcp`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${credential}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion },
    });

  it('refuses the 21st session of an agent with 429 MCP_SESSION_LIMIT, counts per agent, and frees a slot when one closes', async () => {
    await start();
    const { apiKey } = await server.createAgentWithKey();
    const sessions: string[] = [];
    for (let index = 0; index < 20; index += 1) sessions.push(await initialize(apiKey));
    const refused = await post(apiKey, initializeBody);
    // Refused before a session exists: the API's error body, not a JSON-RPC one.
    expect(refused.status).toBe(429);
    const body = refused.json();
    expect(body.error).toMatchObject({ code: 'MCP_SESSION_LIMIT', details: { limit: 20 } });
    expect(body.error.message).toContain('Close one');

    // Another agent has its own 20.
    const other = await server.createAgentWithKey();
    await initialize(other.apiKey);

    const closed = await deleteSession(apiKey, sessions[0] as string);
    expect(closed.status).toBe(200);
    await initialize(apiKey);
    expect((await post(apiKey, initializeBody)).status).toBe(429);
  });

  it('closes a session whose key is revoked, ends its stream, and answers its next request 401', async () => {
    await start();
    const { agent, apiKey } = await server.createAgentWithKey();
    const sessionId = await initialize(apiKey);
    expect((await listTools(apiKey, sessionId)).status).toBe(200);
    const { ended } = await openEventStream(apiKey, sessionId);
    const keys = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/api-keys` });
    await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}/api-keys/${keys.json().data[0].id}` });
    expect(await ended).toBe('ended');
    expect(await listTools(apiKey, sessionId)).toEqual({ status: 401, code: 'API_KEY_REVOKED' });
  });

  it('closes the session of a user who signed out, and of a deleted agent', async () => {
    await start();
    const login = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: 'correct horse battery staple' },
      token: null,
    });
    const token = login.json().accessToken as string;
    const userSession = await initialize(token);
    const { ended: userEnded } = await openEventStream(token, userSession);
    const { agent, apiKey } = await server.createAgentWithKey();
    const agentSession = await initialize(apiKey);
    const { ended: agentEnded } = await openEventStream(apiKey, agentSession);

    expect((await server.request({ method: 'POST', url: '/api/v1/auth/logout', payload: {}, token })).statusCode).toBe(204);
    expect(await userEnded).toBe('ended');
    expect((await listTools(token, userSession)).status).toBe(401);

    expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}` })).statusCode).toBe(204);
    expect(await agentEnded).toBe('ended');
    expect((await listTools(apiKey, agentSession)).status).toBe(401);
  });

  it('closes a session left idle past the idle time', async () => {
    // A short idle time stands in for the 5 minutes of the default.
    await start({ config: { mcpSessionIdleSeconds: 0.3 } });
    const { apiKey } = await server.createAgentWithKey();
    const sessionId = await initialize(apiKey);
    // The open event stream is not a request: the session still goes idle, and its end shows it closed.
    expect(await (await openEventStream(apiKey, sessionId)).ended).toBe('ended');
    const after = await listTools(apiKey, sessionId);
    expect(after.status).toBe(404);
  });

  it('counts /mcp requests against the caller’s API rate limit', async () => {
    await start({ config: { rateLimitPerMinute: 5 } });
    const { apiKey } = await server.createAgentWithKey();
    for (let index = 0; index < 3; index += 1) {
      expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: apiKey })).statusCode).toBe(200);
    }
    for (let index = 0; index < 2; index += 1) expect((await post(apiKey, '{}')).status).toBe(400);
    const limited = await post(apiKey, '{}');
    expect(limited.status).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: apiKey })).statusCode).toBe(429);
  });
});
