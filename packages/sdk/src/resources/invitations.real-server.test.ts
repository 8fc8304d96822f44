import { afterAll, beforeAll, expect, it } from 'vitest';
import { isMissionControlError, MissionControl } from '../index.js';
import { describeEachEngine, type RealServer, startRealServer } from '../test/real-server.js';

describeEachEngine('client.invitations against a real server', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server.close();
  });

  it('invites, and a newcomer accepts the link and goes on with the new session', async () => {
    const created = await owner.invitations.create({ email: 'nova@example.com', role: 'member' });
    expect(created.invitation).toMatchObject({ email: 'nova@example.com', role: 'member', status: 'pending' });
    expect(created.acceptUrl).toBe(`/invite/${created.token}`);

    const newcomer = new MissionControl({ baseUrl: server.url });
    expect(await newcomer.invitations.getByToken(created.token)).toMatchObject({ workspace: { name: 'Default workspace' } });
    const session = await newcomer.invitations.acceptWithToken(created.token, { name: 'Nova', password: 'a long enough password' });
    expect(session.role).toBe('member');
    // The client uses the new session at once.
    expect(await newcomer.auth.me()).toMatchObject({ kind: 'user', user: { email: 'nova@example.com' } });

    const accepted = await owner.invitations.list({ status: 'accepted' }).toArray();
    expect(accepted.map((invitation) => invitation.id)).toEqual([created.invitation.id]);
    const reused = await newcomer.invitations
      .acceptWithToken(created.token, { name: 'Nova', password: 'a long enough password' })
      .catch((error: unknown) => error);
    expect(isMissionControlError(reused) && reused.code).toBe('INVITATION_ALREADY_USED');
    expect(isMissionControlError(reused) && reused.status).toBe(410);
  });

  it('lets a signed-in person list, accept and decline their invitations, and the owner revoke one', async () => {
    const otherToken = await server.createOtherWorkspaceToken();
    const outsider = await server.addMember({ email: 'olive@example.com', invitedBy: otherToken });
    const olive = new MissionControl({ baseUrl: server.url, accessToken: outsider.token });
    const first = await owner.invitations.create({ email: 'olive@example.com', role: 'viewer' });
    expect((await olive.invitations.mine()).map((invitation) => invitation.id)).toEqual([first.invitation.id]);
    expect((await olive.invitations.decline(first.invitation.id)).status).toBe('declined');

    const second = await owner.invitations.create({ email: 'olive@example.com', role: 'admin' });
    const joined = await olive.invitations.accept(second.invitation.id);
    expect(joined).toMatchObject({ role: 'admin', workspace: { id: server.workspaceId } });

    const third = await owner.invitations.create({ email: 'gone@example.com' });
    expect((await owner.invitations.revoke(third.invitation.id)).status).toBe('revoked');
  });
});
