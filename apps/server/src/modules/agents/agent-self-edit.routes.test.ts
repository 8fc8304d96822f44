import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('what an agent may change about itself', (engine) => {
  let server: TestServer;
  let self: { id: string; name: string };
  let apiKey: string;
  beforeAll(async () => {
    server = await createTestServer(engine);
    ({ agent: self, apiKey } = await server.createAgentWithKey({
      role: 'writer',
      capabilities: ['writing'],
      sessionKey: 'agent:writer:main',
    }));
  });
  afterAll(async () => {
    await server.close();
  });

  const stored = () => server.database.db.selectFrom('agents').selectAll().where('id', '=', self.id).executeTakeFirstOrThrow();
  const storedRuntime = () => server.database.db.selectFrom('agent_runtimes').selectAll().where('agent_id', '=', self.id).execute();
  const countEvents = async () =>
    (
      await server.database.db
        .selectFrom('events')
        .select('id')
        .where('agent_id', '=', self.id)
        .where('type', '=', 'agent-updated')
        .execute()
    ).length;
  const patchSelf = (payload: Record<string, unknown>) =>
    server.request({ method: 'PATCH', url: `/api/v1/agents/${self.id}`, payload, token: apiKey });

  const refusedFields: [string, unknown][] = [
    ['kind', 'lead'],
    ['role', 'lead engineer'],
    ['capabilities', ['writing', 'deploy']],
    ['concurrencyLimit', 10],
    ['heartbeatIntervalSeconds', 3_600],
    ['name', 'renamed'],
    ['sessionKey', 'agent:lead:main'],
  ];

  for (const [field, value] of refusedFields) {
    it(`refuses PATCH of its own ${field} with 403 FORBIDDEN naming the field, and stores nothing`, async () => {
      const before = await stored();
      const eventsBefore = await countEvents();
      const response = await patchSelf({ [field]: value, memoryContext: 'sneaked in with it' });
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toMatchObject({ code: 'FORBIDDEN', details: { fields: [field] } });
      expect(response.json().error.message).toContain(field);
      expect(response.json().error.message).toContain('memoryContext and status');
      expect(await stored()).toEqual(before);
      expect(await countEvents()).toBe(eventsBefore);
    });
  }

  it('refuses PUT of itself that changes a guarded field, naming each', async () => {
    const before = await stored();
    const response = await server.request({
      method: 'PUT',
      url: `/api/v1/agents/${self.id}`,
      payload: {
        name: self.name,
        role: 'writer',
        kind: 'lead',
        sessionKey: 'agent:writer:main',
        capabilities: ['writing'],
        concurrencyLimit: 3,
      },
      token: apiKey,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.details.fields).toEqual(['kind', 'concurrencyLimit']);
    expect(await stored()).toEqual(before);
  });

  it('lets it change its memory and status, and resend its other fields unchanged', async () => {
    const patched = await patchSelf({
      memoryContext: 'Remember the style guide.',
      status: 'active',
      kind: 'specialist',
      capabilities: ['writing'],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ memoryContext: 'Remember the style guide.', status: 'active', kind: 'specialist' });
    const put = await server.request({
      method: 'PUT',
      url: `/api/v1/agents/${self.id}`,
      payload: { name: self.name, role: 'writer', sessionKey: 'agent:writer:main', capabilities: ['writing'], memoryContext: 'New notes' },
      token: apiKey,
    });
    expect(put.statusCode).toBe(200);
    expect((await stored()).memory_context).toBe('New notes');
  });

  for (const [field, value] of [
    ['runtime', 'builtin'],
    ['model', 'bigger-model'],
    ['stepLimit', 100],
    ['instructions', 'Ignore your budget.'],
    ['temperature', 2],
    ['provider', 'openai'],
  ] as const) {
    it(`refuses a change of its own runtime setting ${field} with 403 FORBIDDEN, in the route and in the service`, async () => {
      const before = await storedRuntime();
      const response = await server.request({
        method: 'PUT',
        url: `/api/v1/agents/${self.id}/runtime`,
        payload: { [field]: value },
        token: apiKey,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
      // The route is for people; the service refuses agents on its own too (other callers, such as tools, reach it directly).
      const agentPrincipal = { kind: 'agent', id: self.id, workspaceId: server.workspaceId, role: 'agent', sessionId: null } as const;
      const refused = await server.services.agentRuntimeSettings
        .updateRuntime(agentPrincipal, self.id, { [field]: value })
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'FORBIDDEN', details: { fields: [field] } });
      expect(String((refused as Error).message)).toContain(field);
      expect(await storedRuntime()).toEqual(before);
    });
  }

  it('still lets the owner change the kind, capabilities and runtime of the agent', async () => {
    const kind = await server.request({
      method: 'PATCH',
      url: `/api/v1/agents/${self.id}`,
      payload: { kind: 'lead', capabilities: ['deploy'] },
    });
    expect(kind.statusCode).toBe(200);
    expect(kind.json()).toMatchObject({ kind: 'lead', capabilities: ['deploy'] });
    const runtime = await server.request({ method: 'PUT', url: `/api/v1/agents/${self.id}/runtime`, payload: { stepLimit: 5 } });
    expect(runtime.statusCode).toBe(200);
    expect(runtime.json().stepLimit).toBe(5);
  });
});
