import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';

describeEachEngine('teams', (engine) => {
  let server: TestServer;
  let organizationId: string;
  beforeEach(async () => {
    server = await createTestServer(engine);
    organizationId = (await server.request({ method: 'GET', url: '/api/v1/organizations' })).json().data[0].id;
  });
  afterEach(async () => {
    await server.close();
  });

  const teamsUrl = () => `/api/v1/organizations/${organizationId}/teams`;
  const createTeam = (payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'POST', url: teamsUrl(), payload, ...(token ? { token } : {}) });
  /** A second workspace of the default organisation, and the owner's session in it. */
  async function secondWorkspace() {
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { name: 'Research', taskKeyPrefix: 'RES' },
    });
    expect(created.statusCode).toBe(201);
    const login = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword, workspaceId: created.json().id },
      token: null,
    });
    return { id: created.json().id as string, ownerToken: login.json().accessToken as string };
  }
  const membersOf = async (token: string) =>
    (await server.request({ method: 'GET', url: '/api/v1/members', token })).json().data as {
      user: { email: string };
      role: string;
      directRole: string | null;
      teamRole: string | null;
    }[];

  it('gives a team’s people a role on a workspace, and takes it back with the team', async () => {
    const research = await secondWorkspace();
    const mia = await server.addMember({ email: 'mia@example.com' });
    const { agent } = await server.createAgentWithKey();
    const team = await createTeam({ name: 'Platform', description: 'Keeps the lights on' });
    expect(team.statusCode).toBe(201);
    const teamId = team.json().id;
    const addPerson = await server.request({
      method: 'POST',
      url: `${teamsUrl()}/${teamId}/members`,
      payload: { kind: 'user', id: mia.id },
    });
    expect(addPerson.statusCode).toBe(200);
    const addAgent = await server.request({
      method: 'POST',
      url: `${teamsUrl()}/${teamId}/members`,
      payload: { kind: 'agent', id: agent.id },
    });
    expect(addAgent.json().members.map((member: { kind: string; name: string }) => [member.kind, member.name])).toEqual([
      ['user', 'mia'],
      ['agent', agent.name],
    ]);

    const granted = await server.request({
      method: 'PUT',
      url: `${teamsUrl()}/${teamId}/workspaces/${research.id}`,
      payload: { role: 'member' },
    });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().workspaces).toEqual([
      { workspaceId: research.id, workspaceName: 'Research', role: 'member', customRole: null, grantedAt: expect.any(String) },
    ]);
    const inResearch = (await membersOf(research.ownerToken)).find((member) => member.user.email === 'mia@example.com');
    expect(inResearch).toMatchObject({ role: 'member', directRole: null, teamRole: 'member' });
    const miaInResearch = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'mia@example.com', password: mia.password, workspaceId: research.id },
      token: null,
    });
    expect(miaInResearch.statusCode).toBe(200);
    const miaToken = miaInResearch.json().accessToken;
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: miaToken })).statusCode).toBe(200);

    // A person only in the workspace through a team cannot be removed from it directly.
    const direct = await server.request({ method: 'DELETE', url: `/api/v1/members/${mia.id}`, token: research.ownerToken });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().error.code).toBe('MEMBER_HAS_TEAM_ACCESS');

    const deleted = await server.request({ method: 'DELETE', url: `${teamsUrl()}/${teamId}` });
    expect(deleted.statusCode).toBe(200);
    expect((await membersOf(research.ownerToken)).map((member) => member.user.email)).toEqual([ownerEmail]);
    server.clock.advance(2_000);
    expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: miaToken })).statusCode).toBe(401);
    // Her own membership of the first workspace is untouched.
    expect((await membersOf(server.ownerToken)).find((member) => member.user.email === 'mia@example.com')).toMatchObject({
      role: 'member',
      directRole: 'member',
      teamRole: null,
    });
    const stored = await server.database.db.selectFrom('team_members').selectAll().execute();
    expect(stored).toEqual([]);
  });

  it('applies the highest of a person’s own role and their teams’, and falls back when a team lets go', async () => {
    const viewer = await server.addMember({ email: 'val@example.com', role: 'viewer' });
    const teamId = (await createTeam({ name: 'Leads' })).json().id;
    await server.request({ method: 'POST', url: `${teamsUrl()}/${teamId}/members`, payload: { kind: 'user', id: viewer.id } });
    await server.request({ method: 'PUT', url: `${teamsUrl()}/${teamId}/workspaces/${server.workspaceId}`, payload: { role: 'admin' } });
    const raised = (await membersOf(server.ownerToken)).find((member) => member.user.email === 'val@example.com');
    expect(raised).toMatchObject({ role: 'admin', directRole: 'viewer', teamRole: 'admin' });
    server.clock.advance(2_000);
    const asAdmin = await server.request({
      method: 'POST',
      url: '/api/v1/agents',
      payload: { name: 'by-val', role: 'specialist' },
      token: viewer.token,
    });
    expect(asAdmin.statusCode).toBe(201);

    const removed = await server.request({ method: 'DELETE', url: `${teamsUrl()}/${teamId}/members/user/${viewer.id}` });
    expect(removed.statusCode).toBe(200);
    expect((await membersOf(server.ownerToken)).find((member) => member.user.email === 'val@example.com')).toMatchObject({
      role: 'viewer',
      directRole: 'viewer',
      teamRole: null,
    });
    server.clock.advance(2_000);
    const asViewer = await server.request({
      method: 'POST',
      url: '/api/v1/agents',
      payload: { name: 'by-val-2', role: 'specialist' },
      token: viewer.token,
    });
    expect(asViewer.statusCode).toBe(403);
    const events = (await server.request({ method: 'GET', url: '/api/v1/activities?limit=20' })).json().data;
    const types = events.map((event: { type: string }) => event.type);
    expect(types).toEqual(expect.arrayContaining(['team-created', 'team-updated', 'member-updated']));
  });

  it('gives a team a custom role, and keeps the role from being deleted while the team holds it', async () => {
    const role = await server.request({
      method: 'POST',
      url: '/api/v1/roles',
      payload: { name: 'Readers', baseRole: 'viewer', permissions: ['tasks.read', 'workspaces.read'] },
    });
    expect(role.statusCode).toBe(201);
    const teamId = (await createTeam({ name: 'Auditors' })).json().id;
    const granted = await server.request({
      method: 'PUT',
      url: `${teamsUrl()}/${teamId}/workspaces/${server.workspaceId}`,
      payload: { customRoleId: role.json().id },
    });
    expect(granted.json().workspaces[0]).toMatchObject({ role: 'viewer', customRole: { id: role.json().id, name: 'Readers' } });
    const refused = await server.request({ method: 'DELETE', url: `/api/v1/roles/${role.json().id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'ROLE_IN_USE', details: { teamCount: 1 } });

    const auditor = await server.addMember({ email: 'aud@example.com', role: 'member' });
    await server.request({ method: 'POST', url: `${teamsUrl()}/${teamId}/members`, payload: { kind: 'user', id: auditor.id } });
    // Their own member role is higher than the team's viewer-based role, so theirs applies.
    const listed = (await membersOf(server.ownerToken)).find((member) => member.user.email === 'aud@example.com');
    expect(listed).toMatchObject({ role: 'member', directRole: 'member', teamRole: 'viewer' });
    expect((await server.request({ method: 'GET', url: '/api/v1/roles' })).json().data[0].memberCount).toBe(1);
  });

  it('refuses bad team changes with a 4xx and changes nothing', async () => {
    const member = await server.addMember({ email: 'max@example.com' });
    const teamId = (await createTeam({ name: 'Ops' })).json().id;
    const cases: [Promise<{ statusCode: number; json(): { error: { code: string } } }>, number, string][] = [
      [createTeam({ name: 'ops' }), 409, 'TEAM_NAME_TAKEN'],
      [createTeam({ name: '' }), 400, 'VALIDATION_FAILED'],
      [createTeam({ name: 'Mine' }, member.token), 403, 'FORBIDDEN'],
      [
        server.request({ method: 'PUT', url: `${teamsUrl()}/${teamId}/workspaces/${server.workspaceId}`, payload: { role: 'owner' } }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        server.request({
          method: 'POST',
          url: `${teamsUrl()}/${teamId}/members`,
          payload: { kind: 'user', id: '0190b7e5-0000-7000-8000-000000000000' },
        }),
        404,
        'USER_NOT_FOUND',
      ],
      [server.request({ method: 'DELETE', url: `${teamsUrl()}/${teamId}/members/user/${member.id}` }), 404, 'TEAM_MEMBER_NOT_FOUND'],
      [
        server.request({
          method: 'PUT',
          url: `${teamsUrl()}/${teamId}/workspaces/${server.workspaceId}`,
          payload: { customRoleId: '0190b7e5-0000-7000-8000-000000000000' },
        }),
        404,
        'ROLE_NOT_FOUND',
      ],
    ];
    for (const [answer, status, code] of cases) {
      const response = await answer;
      expect(response.statusCode, code).toBe(status);
      expect(response.json().error.code).toBe(code);
    }
    const team = (await server.request({ method: 'GET', url: `${teamsUrl()}/${teamId}` })).json();
    expect(team).toMatchObject({ name: 'Ops', members: [], workspaces: [] });
    expect(await server.database.db.selectFrom('teams').select('name').execute()).toEqual([{ name: 'Ops' }]);
    const listed = (await server.request({ method: 'GET', url: teamsUrl(), token: member.token })).json().data;
    expect(listed.map((entry: { name: string }) => entry.name)).toEqual(['Ops']);
  });
});
