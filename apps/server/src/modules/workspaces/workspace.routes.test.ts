import { afterEach, beforeEach, expect, it } from 'vitest';
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
});
