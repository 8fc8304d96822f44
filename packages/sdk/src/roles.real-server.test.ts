import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: custom roles', (engine) => {
  let server: RealServer;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a role, gives it to a member who is then held to it, and deletes it once nobody holds it', async () => {
    const role = await client.roles.create({ name: 'Reader', baseRole: 'member', permissions: ['tasks.read', 'workspaces.read'] });
    expect(role).toMatchObject({ name: 'Reader', description: '', memberCount: 0 });
    const person = await server.addMember({ email: 'reader@example.com', role: 'member' });
    expect(await client.members.giveCustomRole(person.id, role.id)).toMatchObject({
      role: 'member',
      customRole: { id: role.id, name: 'Reader' },
    });
    expect((await client.roles.list()).data).toEqual([expect.objectContaining({ id: role.id, memberCount: 1 })]);

    const theirs = new MissionControl({ baseUrl: server.url, accessToken: person.token });
    expect((await theirs.tasks.list().page()).data).toEqual([]);
    const refused = await theirs.tasks.create({ title: 'Not mine to make' }).catch((error: unknown) => error);
    expect(isMissionControlError(refused) && refused.code).toBe('ROLE_PERMISSION_MISSING');

    const held = await client.roles.delete(role.id).catch((error: unknown) => error);
    expect(isMissionControlError(held) && held.code).toBe('ROLE_IN_USE');
    await client.members.updateRole(person.id, 'viewer');
    expect(await client.roles.update(role.id, { description: 'Reads the board' })).toMatchObject({
      description: 'Reads the board',
      memberCount: 0,
    });
    expect(await client.roles.delete(role.id)).toMatchObject({ id: role.id });
    expect((await client.roles.list()).data).toEqual([]);
  });
});
