import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: organisations and teams', (engine) => {
  let server: RealServer;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reads and limits the organisation, and gives a team a role on a workspace', async () => {
    const [organization] = await client.organizations.list();
    expect(organization).toMatchObject({ name: 'Default organization', role: 'owner' });
    const id = organization?.id ?? '';
    expect((await client.organizations.update(id, { limits: { maxWorkspaces: 1 } })).limits.maxWorkspaces).toBe(1);
    const refused = await client.workspaces.create({ name: 'One too many' }).catch((error: unknown) => error);
    expect(isMissionControlError(refused) && refused.code).toBe('ORGANIZATION_LIMIT_REACHED');
    await client.organizations.update(id, { limits: { maxWorkspaces: null } });
    const research = await client.workspaces.create({ name: 'Research', taskKeyPrefix: 'RES', organizationId: id });

    const person = await server.addMember({ email: 'tess@example.com' });
    const team = await client.organizations.teams.create(id, { name: 'Research crew' });
    await client.organizations.teams.addMember(id, team.id, { kind: 'user', id: person.id });
    const granted = await client.organizations.teams.grantWorkspace(id, team.id, research.id, { role: 'viewer' });
    expect(granted.workspaces).toEqual([expect.objectContaining({ workspaceId: research.id, role: 'viewer' })]);
    expect((await client.organizations.members(id)).map((member) => member.email)).toContain('tess@example.com');
    const revoked = await client.organizations.teams.revokeWorkspace(id, team.id, research.id);
    expect(revoked.workspaces).toEqual([]);
    expect(await client.organizations.teams.delete(id, team.id)).toMatchObject({ name: 'Research crew' });
    expect(await client.organizations.teams.list(id)).toEqual([]);

    // The server will not call a provider on a local address unless its operator allows it.
    const local = await client.organizations
      .configureSso(id, { issuer: 'https://localhost/', clientId: 'mission', clientSecret: 'secret', providerName: 'Local' })
      .catch((error: unknown) => error);
    expect(isMissionControlError(local) && local.code).toBe('VALIDATION_FAILED');
    expect((await client.organizations.removeSso(id)).sso).toBeNull();
  });
});
