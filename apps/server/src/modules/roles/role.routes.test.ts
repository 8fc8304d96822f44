import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('custom roles', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const triage = {
    name: 'Triage',
    description: 'Sorts the inbox',
    baseRole: 'member',
    permissions: ['tasks.read', 'tasks.write', 'workspaces.read'],
  };
  const createRole = (payload: Record<string, unknown> = triage, token?: string) =>
    server.request({ method: 'POST', url: '/api/v1/roles', payload, ...(token ? { token } : {}) });
  const storedRoles = () => server.database.db.selectFrom('custom_roles').selectAll().execute();
  const settle = async () => {
    server.stream.tailer.wake();
    await server.stream.tailer.waitUntilIdle();
  };

  it('creates a role, lists it beside the built-in ones, and records it', async () => {
    const created = await createRole();
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'Triage',
      baseRole: 'member',
      permissions: ['tasks.read', 'tasks.write', 'workspaces.read'],
      memberCount: 0,
    });
    const listed = (await server.request({ method: 'GET', url: '/api/v1/roles' })).json();
    expect(listed.builtIn.map((role: { name: string }) => role.name)).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(listed.data).toEqual([created.json()]);
    const audit = (await server.request({ method: 'GET', url: '/api/v1/audit-log?action=role.created' })).json().data;
    expect(audit[0]).toMatchObject({ targetId: created.json().id, after: { name: 'Triage', baseRole: 'member' } });
    const events = (await server.request({ method: 'GET', url: '/api/v1/activities?limit=5' })).json().data;
    expect(events.map((event: { type: string }) => event.type)).toContain('role-created');
  });

  it('refuses bad roles with a 4xx and stores nothing', async () => {
    expect((await createRole()).statusCode).toBe(201);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...triage, name: 'triage' }, 409, 'ROLE_NAME_TAKEN'],
      [{ ...triage, name: 'Admin' }, 400, 'VALIDATION_FAILED'],
      [{ ...triage, name: 'Other', baseRole: 'owner' }, 400, 'VALIDATION_FAILED'],
      [{ ...triage, name: 'Other', permissions: [] }, 400, 'VALIDATION_FAILED'],
      [{ ...triage, name: 'Other', permissions: ['rockets.write'] }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const refused = await createRole(payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(status);
      expect(refused.json().error.code).toBe(code);
    }
    expect(await storedRoles()).toHaveLength(1);
    const member = await server.addMember({ email: 'mo@example.com', role: 'member' });
    const forbidden = await createRole({ ...triage, name: 'Mine' }, member.token);
    expect(forbidden.statusCode).toBe(403);
    expect(await storedRoles()).toHaveLength(1);
  });

  it('narrows a member to the role’s permissions on every endpoint, with a session and with their own key', async () => {
    const role = (await createRole()).json();
    const person = await server.addMember({ email: 'tri@example.com', role: 'admin' });
    const given = await server.request({ method: 'PATCH', url: `/api/v1/members/${person.id}`, payload: { customRoleId: role.id } });
    expect(given.statusCode).toBe(200);
    expect(given.json()).toMatchObject({ role: 'member', customRole: { id: role.id, name: 'Triage' } });
    await settle();

    const created = await server.request({ method: 'POST', url: '/api/v1/tasks', token: person.token, payload: { title: 'Sort me' } });
    expect(created.statusCode).toBe(201);
    const refused = await server.request({ method: 'POST', url: '/api/v1/agents', token: person.token, payload: { name: 'x', role: 'y' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'ROLE_PERMISSION_MISSING',
      details: { permission: 'agents.write', role: 'Triage' },
    });
    expect(refused.json().error.message).toContain('Triage');
    // Its base role is member: what members cannot do stays out of reach even inside its permissions.
    const base = await server.request({ method: 'PATCH', url: '/api/v1/workspace', token: person.token, payload: { name: 'Renamed' } });
    expect(base.statusCode).toBe(403);

    // The person's own key is narrowed the same way.
    const key = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', token: person.token, payload: { name: 'k' } });
    expect(key.statusCode).toBe(403);
    expect(key.json().error.details.permission).toBe('auth.write');
  });

  it('applies a changed role at once, forbids deleting a held role, and a built-in role clears it', async () => {
    const role = (await createRole()).json();
    const person = await server.addMember({ email: 'tri@example.com', role: 'member' });
    await server.request({ method: 'PATCH', url: `/api/v1/members/${person.id}`, payload: { customRoleId: role.id } });
    await settle();
    const readTasks = () => server.request({ method: 'GET', url: '/api/v1/tasks', token: person.token });
    expect((await readTasks()).statusCode).toBe(200);

    const changed = await server.request({
      method: 'PATCH',
      url: `/api/v1/roles/${role.id}`,
      payload: { permissions: ['workspaces.read'] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ permissions: ['workspaces.read'], memberCount: 1 });
    // The cached principal is dropped by the event, not by waiting.
    await settle();
    expect((await readTasks()).statusCode).toBe(403);

    const held = await server.request({ method: 'DELETE', url: `/api/v1/roles/${role.id}` });
    expect(held.statusCode).toBe(409);
    expect(held.json().error).toMatchObject({ code: 'ROLE_IN_USE', details: { memberCount: 1 } });

    const back = await server.request({ method: 'PATCH', url: `/api/v1/members/${person.id}`, payload: { role: 'member' } });
    expect(back.json()).toMatchObject({ role: 'member', customRole: null });
    await settle();
    expect((await readTasks()).statusCode).toBe(200);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/roles/${role.id}` })).statusCode).toBe(200);
    expect(await storedRoles()).toEqual([]);
  });

  it('keeps the last owner, and answers 404 ROLE_NOT_FOUND for a role of another workspace', async () => {
    const role = (await createRole()).json();
    const me = (await server.request({ method: 'GET', url: '/api/v1/auth/me' })).json();
    const last = await server.request({ method: 'PATCH', url: `/api/v1/members/${me.user.id}`, payload: { customRoleId: role.id } });
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('LAST_OWNER');

    const otherToken = await server.createOtherWorkspaceToken();
    const elsewhere = (await createRole({ ...triage, name: 'Elsewhere' }, otherToken)).json();
    const person = await server.addMember({ email: 'tri@example.com', role: 'member' });
    const foreign = await server.request({ method: 'PATCH', url: `/api/v1/members/${person.id}`, payload: { customRoleId: elsewhere.id } });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('ROLE_NOT_FOUND');
    const members = (await server.request({ method: 'GET', url: '/api/v1/members' })).json().data;
    expect(members.find((member: { user: { id: string } }) => member.user.id === person.id)).toMatchObject({
      role: 'member',
      customRole: null,
    });
  });
});
