import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('agents', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const createAgent = (payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'POST', url: '/api/v1/agents', payload, ...(token ? { token } : {}) });

  it('registers an agent with defaults, a derived session key and an event', async () => {
    const response = await createAgent({ name: 'Jarvis', role: 'Technical', capabilities: ['typescript', 'typescript', 'sql'] });
    expect(response.statusCode).toBe(201);
    const agent = response.json();
    expect(agent).toMatchObject({
      name: 'Jarvis',
      kind: 'specialist',
      status: 'offline',
      sessionKey: 'agent:technical:jarvis',
      capabilities: ['typescript', 'sql'],
      heartbeatIntervalSeconds: 60,
      concurrencyLimit: 1,
      a2a: { published: false },
      lastHeartbeatAt: null,
    });
    const stored = await server.database.db.selectFrom('agents').selectAll().where('id', '=', agent.id).executeTakeFirstOrThrow();
    expect(stored.name_key).toBe('jarvis');
    const events = await server.database.db.selectFrom('events').select('type').where('agent_id', '=', agent.id).execute();
    expect(events.map((event) => event.type)).toEqual(['agent-created']);
  });

  it('answers 409 for a name or session key already taken, case-insensitively', async () => {
    await createAgent({ name: 'jarvis', role: 'x', sessionKey: 'agent:x:main' });
    const sameName = await createAgent({ name: 'JARVIS', role: 'y' });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().error.code).toBe('AGENT_NAME_TAKEN');
    const sameKey = await createAgent({ name: 'friday', role: 'y', sessionKey: 'agent:x:main' });
    expect(sameKey.statusCode).toBe(409);
    expect(sameKey.json().error.code).toBe('AGENT_SESSION_KEY_TAKEN');
  });

  it('rejects invalid agents with 400', async () => {
    for (const payload of [
      { name: 'has space', role: 'x' },
      { name: 'ok', role: 'x', heartbeatIntervalSeconds: 1 },
      { name: 'ok', role: 'x', capabilities: ['Not Valid'] },
      { name: 'ok', role: 'x', sessionKey: 'no-colon' },
      { name: 'ok', role: 'x', memoryContext: 'x'.repeat(200_001) },
    ]) {
      const response = await createAgent(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
    }
  });

  it('updates an agent, emits a status event, and lets an agent update only itself', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const other = (await createAgent({ name: 'other', role: 'x' })).json();
    const self = await server.request({ method: 'PATCH', url: `/api/v1/agents/${agent.id}`, payload: { status: 'active' }, token: apiKey });
    expect(self.statusCode).toBe(200);
    expect(self.json().status).toBe('active');
    const types = await server.database.db.selectFrom('events').select('type').where('agent_id', '=', agent.id).orderBy('seq').execute();
    expect(types.map((event) => event.type)).toContain('agent-status-changed');
    const notSelf = await server.request({
      method: 'PATCH',
      url: `/api/v1/agents/${other.id}`,
      payload: { status: 'active' },
      token: apiKey,
    });
    expect(notSelf.statusCode).toBe(403);
  });

  it('issues a key shown once, lists keys without secrets, and stops accepting a revoked key', async () => {
    const agent = (await createAgent({ name: 'keyed', role: 'x' })).json();
    const created = await server.request({ method: 'POST', url: `/api/v1/agents/${agent.id}/api-keys`, payload: { name: 'ci' } });
    expect(created.statusCode).toBe(201);
    const { apiKey, secret } = created.json();
    expect(secret.startsWith('mc_')).toBe(true);
    const listed = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/api-keys` });
    expect(listed.json().data).toHaveLength(1);
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain('secret_hash');

    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: secret });
    expect(me.json()).toMatchObject({ kind: 'agent', agent: { id: agent.id, name: 'keyed' } });
    const stored = await server.database.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow();
    expect(stored.last_used_at).not.toBeNull();

    const revoke = await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}/api-keys/${apiKey.id}` });
    expect(revoke.json().revokedAt).not.toBeNull();
    const after = await server.request({ method: 'GET', url: '/api/v1/tasks', token: secret });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('API_KEY_REVOKED');
  });

  it('deleting an agent revokes its keys and frees its name', async () => {
    const { agent, apiKey } = await server.createAgentWithKey({ name: 'temp' });
    expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}` })).statusCode).toBe(204);
    expect((await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}` })).statusCode).toBe(404);
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: apiKey })).statusCode).toBe(401);
    expect((await createAgent({ name: 'temp', role: 'again' })).statusCode).toBe(201);
  });

  it('lists alphabetically with a cursor and filters, and hides other workspaces', async () => {
    for (const name of ['charlie', 'alpha', 'bravo', 'delta']) {
      await createAgent({ name, role: 'x', kind: name === 'alpha' ? 'lead' : 'specialist' });
    }
    const first = (await server.request({ method: 'GET', url: '/api/v1/agents?limit=2' })).json();
    expect(first.data.map((agent: { name: string }) => agent.name)).toEqual(['alpha', 'bravo']);
    const second = (await server.request({ method: 'GET', url: `/api/v1/agents?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.data.map((agent: { name: string }) => agent.name)).toEqual(['charlie', 'delta']);
    expect(second.nextCursor).toBeNull();
    const leads = (await server.request({ method: 'GET', url: '/api/v1/agents?kind=lead' })).json();
    expect(leads.data.map((agent: { name: string }) => agent.name)).toEqual(['alpha']);

    const otherToken = await server.createOtherWorkspaceToken();
    expect((await server.request({ method: 'GET', url: '/api/v1/agents', token: otherToken })).json().data).toEqual([]);
    const alpha = first.data[0];
    expect((await server.request({ method: 'GET', url: `/api/v1/agents/${alpha.id}`, token: otherToken })).statusCode).toBe(404);
    const foreignKey = await server.request({ method: 'POST', url: `/api/v1/agents/${alpha.id}/api-keys`, payload: {}, token: otherToken });
    expect(foreignKey.statusCode).toBe(404);
  });

  describe('replacing (PUT)', () => {
    const replaceAgent = (agentId: string, payload: Record<string, unknown>, token?: string) =>
      server.request({ method: 'PUT', url: `/api/v1/agents/${agentId}`, payload, ...(token ? { token } : {}) });
    const storedAgent = (agentId: string) =>
      server.database.db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();

    const createFullAgent = async () => {
      const response = await createAgent({
        name: 'Jarvis',
        role: 'Technical',
        kind: 'lead',
        sessionKey: 'agent:custom:main',
        capabilities: ['typescript', 'sql'],
        memoryContext: 'Knows the codebase.',
        heartbeatIntervalSeconds: 300,
        concurrencyLimit: 4,
      });
      expect(response.statusCode).toBe(201);
      return response.json() as { id: string };
    };

    it('replaces every field sent, gives the ones left out their registration defaults, and keeps the status', async () => {
      const agent = await createFullAgent();
      await server.request({ method: 'PATCH', url: `/api/v1/agents/${agent.id}`, payload: { status: 'blocked' } });

      const response = await replaceAgent(agent.id, { name: 'Friday', role: 'Research analyst' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        id: agent.id,
        name: 'Friday',
        role: 'Research analyst',
        kind: 'specialist',
        status: 'blocked',
        sessionKey: 'agent:research-analyst:friday',
        capabilities: [],
        memoryContext: '',
        heartbeatIntervalSeconds: 60,
        concurrencyLimit: 1,
      });
      const stored = await storedAgent(agent.id);
      expect(stored).toMatchObject({
        name: 'Friday',
        name_key: 'friday',
        role: 'Research analyst',
        kind: 'specialist',
        status: 'blocked',
        session_key: 'agent:research-analyst:friday',
        memory_context: '',
        heartbeat_interval_seconds: 60,
        concurrency_limit: 1,
      });
      expect((await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}` })).json().capabilities).toEqual([]);

      const full = await replaceAgent(agent.id, {
        name: 'Friday',
        role: 'Research analyst',
        kind: 'reviewer',
        status: 'idle',
        sessionKey: 'agent:review:main',
        capabilities: ['web-research'],
        memoryContext: 'Reviews drafts.',
        heartbeatIntervalSeconds: 120,
        concurrencyLimit: 2,
      });
      expect(full.statusCode).toBe(200);
      expect(await storedAgent(agent.id)).toMatchObject({
        kind: 'reviewer',
        status: 'idle',
        session_key: 'agent:review:main',
        memory_context: 'Reviews drafts.',
        heartbeat_interval_seconds: 120,
        concurrency_limit: 2,
      });
      expect(full.json().capabilities).toEqual(['web-research']);
    });

    it('validates like PATCH: a missing required field, a bad value or an unknown field is a 400 that changes nothing', async () => {
      const agent = await createFullAgent();
      const before = await storedAgent(agent.id);
      for (const payload of [
        {},
        { role: 'Technical' },
        { name: 'has space', role: 'Technical' },
        { name: 'Jarvis', role: 'Technical', heartbeatIntervalSeconds: 1 },
        { name: 'Jarvis', role: 'Technical', status: 'sleeping' },
        { name: 'Jarvis', role: 'Technical', lastHeartbeatAt: null },
      ]) {
        const response = await replaceAgent(agent.id, payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect(await storedAgent(agent.id)).toEqual(before);
    });

    it('answers 409 for a name taken by another agent, changing nothing', async () => {
      const agent = await createFullAgent();
      await createAgent({ name: 'taken', role: 'x' });
      const before = await storedAgent(agent.id);
      const response = await replaceAgent(agent.id, { name: 'TAKEN', role: 'x' });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('AGENT_NAME_TAKEN');
      expect(await storedAgent(agent.id)).toEqual(before);
    });

    it('answers 404 for an unknown agent and for an agent of another workspace', async () => {
      const agent = await createFullAgent();
      const before = await storedAgent(agent.id);
      const unknown = await replaceAgent('0190a3b4-0000-7000-8000-000000000099', { name: 'ghost', role: 'x' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('AGENT_NOT_FOUND');
      const otherToken = await server.createOtherWorkspaceToken();
      const foreign = await replaceAgent(agent.id, { name: 'Hijacked', role: 'x' }, otherToken);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().error.code).toBe('AGENT_NOT_FOUND');
      expect(await storedAgent(agent.id)).toEqual(before);
    });

    it('refuses a viewer with 403, and lets an agent replace only itself', async () => {
      const agent = await createFullAgent();
      const viewerToken = (await server.addMember({ email: 'viewer@example.com', role: 'viewer' })).token;
      const before = await storedAgent(agent.id);
      const asViewer = await replaceAgent(agent.id, { name: 'Viewed', role: 'x' }, viewerToken);
      expect(asViewer.statusCode).toBe(403);
      expect(asViewer.json().error.code).toBe('FORBIDDEN');
      expect(await storedAgent(agent.id)).toEqual(before);

      const { agent: self, apiKey } = await server.createAgentWithKey();
      expect((await replaceAgent(agent.id, { name: 'Other', role: 'x' }, apiKey)).statusCode).toBe(403);
      // Its own role is set by people (agent-self-edit.routes.test.ts covers every field); its memory is its own.
      const ownRole = await replaceAgent(self.id, { name: self.name, role: 'writer' }, apiKey);
      expect(ownRole.statusCode).toBe(403);
      expect(ownRole.json().error.details.fields).toEqual(['role', 'sessionKey']);
      const own = await replaceAgent(self.id, { name: self.name, role: 'specialist', memoryContext: 'notes' }, apiKey);
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ role: 'specialist', memoryContext: 'notes', sessionKey: `agent:specialist:${self.name}` });
    });
  });

  it('does not let an agent key manage agents', async () => {
    const { apiKey } = await server.createAgentWithKey();
    const response = await createAgent({ name: 'spawned', role: 'x' }, apiKey);
    expect(response.statusCode).toBe(403);
  });
});
