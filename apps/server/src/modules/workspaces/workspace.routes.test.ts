import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseJsonColumn } from '../../db/json-column.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('workspaces and members', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists a person who accepted an invitation, who can sign in; changes their role, and removes them', async () => {
    const ada = await server.addMember({ email: 'Ada@Example.com', name: 'Ada', password: 'analytical-engine', role: 'admin' });
    const listed = (await server.request({ method: 'GET', url: '/api/v1/members' })).json();
    expect(listed.data).toContainEqual(
      expect.objectContaining({ role: 'admin', user: expect.objectContaining({ email: 'ada@example.com', name: 'Ada' }) }),
    );
    const userId = ada.id;
    const login = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ada@example.com', password: 'analytical-engine' },
      token: null,
    });
    expect(login.json().role).toBe('admin');
    const adaToken = login.json().accessToken;

    const demote = await server.request({ method: 'PATCH', url: `/api/v1/members/${userId}`, payload: { role: 'viewer' } });
    expect(demote.json().role).toBe('viewer');
    // The new role applies to the live session at once.
    const asViewer = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'x' }, token: adaToken });
    expect(asViewer.statusCode).toBe(403);

    expect((await server.request({ method: 'DELETE', url: `/api/v1/members/${userId}` })).statusCode).toBe(204);
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: adaToken })).statusCode).toBe(401);
    const members = (await server.request({ method: 'GET', url: '/api/v1/members' })).json();
    expect(members.data).toHaveLength(1);
  });

  it('keeps at least one owner', async () => {
    const response = await server.request({
      method: 'PATCH',
      url: `/api/v1/members/${server.ownerPrincipal.id}`,
      payload: { role: 'admin' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('LAST_OWNER');
  });

  it('creates a workspace with its own task numbering, and login switches to it', async () => {
    const otherToken = await server.createOtherWorkspaceToken();
    const task = (await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'x' }, token: otherToken })).json();
    expect(task.key).toBe('OTHER-1');
    const mine = (await server.request({ method: 'GET', url: '/api/v1/workspaces' })).json();
    expect(mine.data).toHaveLength(2);
    const duplicate = await server.request({ method: 'POST', url: '/api/v1/workspaces', payload: { name: 'Default', slug: 'default' } });
    expect(duplicate.statusCode).toBe(409);
  });

  it('renames the workspace and merges its WIP limits, with an event and an audit entry', async () => {
    const before = (await server.request({ method: 'GET', url: '/api/v1/workspace' })).json();
    expect(before.wipLimits).toEqual({});

    const set = await server.request({ method: 'PATCH', url: '/api/v1/workspace', payload: { wipLimits: { in_progress: 3, review: 2 } } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      name: before.name,
      slug: before.slug,
      taskKeyPrefix: 'TASK',
      wipLimits: { in_progress: 3, review: 2 },
    });

    // A number sets a column, null clears one, a column left out keeps its limit.
    const merged = await server.request({
      method: 'PATCH',
      url: '/api/v1/workspace',
      payload: { name: 'Launch squad', wipLimits: { review: null, inbox: 20 } },
    });
    expect(merged.json()).toMatchObject({ name: 'Launch squad', wipLimits: { inbox: 20, in_progress: 3 } });
    expect(merged.json().wipLimits).not.toHaveProperty('review');
    expect((await server.request({ method: 'GET', url: '/api/v1/workspace' })).json()).toEqual(merged.json());
    const memberships = (await server.request({ method: 'GET', url: '/api/v1/workspaces' })).json();
    expect(memberships.data[0].workspace.name).toBe('Launch squad');

    const row = await server.database.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', server.workspaceId)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Launch squad');
    expect(parseJsonColumn(row.wip_limits)).toEqual({ inbox: 20, in_progress: 3 });
    const events = await server.database.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'workspace-updated')
      .orderBy('seq')
      .execute();
    expect(events.map((event) => parseJsonColumn(event.data))).toEqual([
      { fields: ['wipLimits'], name: before.name, wipLimits: { in_progress: 3, review: 2 } },
      { fields: ['name', 'wipLimits'], name: 'Launch squad', wipLimits: { inbox: 20, in_progress: 3 } },
    ]);
    const audit = (await server.request({ method: 'GET', url: '/api/v1/audit-log?action=workspace.updated' })).json();
    expect(audit.data).toHaveLength(2);
    expect(audit.data[0]).toMatchObject({ action: 'workspace.updated', summary: 'workspace renamed to Launch squad' });

    // The same values again change nothing and append nothing.
    await server.request({ method: 'PATCH', url: '/api/v1/workspace', payload: { name: 'Launch squad' } });
    expect(await server.database.db.selectFrom('events').select('seq').where('type', '=', 'workspace-updated').execute()).toHaveLength(2);
  });

  it('refuses bad limits, an empty change and a member, and changes nothing', async () => {
    const attempts = [
      { wipLimits: { in_progress: 0 } },
      { wipLimits: { done: 5 } },
      { wipLimits: { review: 2.5 } },
      { slug: 'renamed' },
      { name: '' },
      {},
    ];
    for (const payload of attempts) {
      const response = await server.request({ method: 'PATCH', url: '/api/v1/workspace', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    const member = await server.addMember({ email: 'grace@example.com', role: 'member' });
    const refused = await server.request({ method: 'PATCH', url: '/api/v1/workspace', payload: { name: 'Mine now' }, token: member.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    const row = await server.database.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', server.workspaceId)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Default workspace');
    expect(parseJsonColumn(row.wip_limits)).toEqual({});
  });
});
