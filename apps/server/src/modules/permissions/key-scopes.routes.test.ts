import { allEndpoints, endpointScope, isSessionAuthenticated } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const someId = '01a231dd-6832-753c-a9f1-8101a7bdb779';
/** A URL for the definition's path, every placeholder filled with an id (the scope is checked before the id is). */
const urlOf = (path: string) => path.replace(/\{\w+\}/g, someId);

describeEachEngine('scoped API keys', (engine) => {
  let server: TestServer;
  let tasksReadKey: string;
  let agentKey: string;
  beforeAll(async () => {
    server = await createTestServer(engine, { config: { rateLimitPerMinute: 100_000 } });
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/auth/api-keys',
      payload: { name: 'reader', scopes: ['tasks.read'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().apiKey.scopes).toEqual(['tasks.read']);
    tasksReadKey = created.json().secret;
    const { agent } = await server.createAgentWithKey();
    const agentKeyAnswer = await server.request({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/api-keys`,
      payload: { name: 'limited', scopes: ['messages.write', 'tasks.read'] },
    });
    agentKey = agentKeyAnswer.json().secret;
  });
  afterAll(async () => {
    await server.close();
  });

  const guarded = allEndpoints.filter(
    (definition) => isSessionAuthenticated(definition) && definition.operationId !== 'getMe' && endpointScope(definition) !== 'tasks.read',
  );

  it.each(guarded.map((definition) => [definition.operationId, definition] as const))(
    'answers 403 KEY_SCOPE_MISSING to %s outside the key’s scope, naming the scope',
    async (_operationId, definition) => {
      const answer = await server.request({ method: definition.method, url: urlOf(definition.path), token: tasksReadKey, payload: {} });
      expect(answer.statusCode).toBe(403);
      expect(answer.json().error).toMatchObject({ code: 'KEY_SCOPE_MISSING', details: { scope: endpointScope(definition) } });
    },
  );

  it('lets the key do what its scope names, and say whose it is', async () => {
    const tasks = await server.request({ method: 'GET', url: '/api/v1/tasks', token: tasksReadKey });
    expect(tasks.statusCode).toBe(200);
    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: tasksReadKey });
    expect(me.statusCode).toBe(200);
  });

  it('limits an agent key the same way, and refuses /mcp without mcp.write', async () => {
    const created = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Scoped' }, token: agentKey });
    expect(created.statusCode).toBe(403);
    expect(created.json().error.details).toEqual({ scope: 'tasks.write' });
    const listed = await server.request({ method: 'GET', url: '/api/v1/tasks', token: agentKey });
    expect(listed.statusCode).toBe(200);
    const mcp = await server.request({
      method: 'POST',
      url: '/mcp',
      token: agentKey,
      headers: { accept: 'application/json, text/event-stream' },
      payload: {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      },
    });
    expect(mcp.statusCode).toBe(403);
    expect(mcp.json().error).toMatchObject({ code: 'KEY_SCOPE_MISSING', details: { scope: 'mcp.write' } });
  });

  it('refuses an unknown scope with 400 VALIDATION_FAILED, and lists every permission name', async () => {
    const refused = await server.request({
      method: 'POST',
      url: '/api/v1/auth/api-keys',
      payload: { name: 'x', scopes: ['tasks.destroy'] },
    });
    expect(refused.statusCode).toBe(400);
    const unknown = await server.request({
      method: 'POST',
      url: '/api/v1/auth/api-keys',
      payload: { name: 'x', scopes: ['planets.read'] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('planets.read');
    const permissions = await server.request({ method: 'GET', url: '/api/v1/permissions' });
    const names = permissions.json().data.map((permission: { name: string }) => permission.name);
    expect(names).toContain('tasks.read');
    expect(names).toContain('mcp.write');
    const unscoped = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'full' } });
    expect(unscoped.json().apiKey.scopes).toBeNull();
  });
});
