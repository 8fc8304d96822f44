import type { EventType } from '@mission-control/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const sevenDaysMs = 7 * 24 * 60 * 60 * 1000;

describeEachEngine('invitations: answering them', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const invite = async (email: string, role: 'admin' | 'member' | 'viewer' = 'member', token?: string) => {
    const response = await server.request({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email, role },
      ...(token ? { token } : {}),
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { invitation: { id: string; expiresAt: string }; token: string; acceptUrl: string };
  };
  const answer = (invitationId: string, verb: 'accept' | 'decline', token: string) =>
    server.request({ method: 'POST', url: `/api/v1/invitations/${invitationId}/${verb}`, token });
  const acceptLink = (
    linkToken: string,
    payload: Record<string, unknown> = { name: 'Nova Newcomer', password: 'a long enough password' },
  ) => server.request({ method: 'POST', url: `/api/v1/invitation-links/${linkToken}/accept`, payload, token: null });
  const lookUpLink = (linkToken: string) => server.request({ method: 'GET', url: `/api/v1/invitation-links/${linkToken}`, token: null });
  const membershipOf = (userId: string) =>
    server.database.db
      .selectFrom('memberships')
      .select(['role'])
      .where('workspace_id', '=', server.workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  const storedEvents = (type: EventType) =>
    server.database.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', type)
      .where('workspace_id', '=', server.workspaceId)
      .orderBy('seq')
      .execute();
  const signIn = async (email: string, password: string, workspaceId?: string) =>
    server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password, ...(workspaceId ? { workspaceId } : {}) },
      token: null,
    });

  /** A person with an account who belongs to another workspace only, signed in there. */
  const createOutsider = async (email: string) => {
    const otherToken = await server.createOtherWorkspaceToken();
    return server.addMember({ email, name: 'Olive Outsider', invitedBy: otherToken });
  };

  describe('a signed-in person', () => {
    it('sees their pending invitation with who invited them to what, and accepting makes them a member with the role', async () => {
      const outsider = await createOutsider('olive@example.com');
      const { invitation } = await invite('olive@example.com', 'admin');

      const mine = await server.request({ method: 'GET', url: '/api/v1/invitations/mine', token: outsider.token });
      expect(mine.statusCode).toBe(200);
      expect(mine.json().data).toEqual([
        {
          id: invitation.id,
          email: 'olive@example.com',
          role: 'admin',
          status: 'pending',
          expiresAt: invitation.expiresAt,
          createdAt: '2026-01-01T09:00:00.000Z',
          workspace: { id: server.workspaceId, name: 'Default workspace' },
          invitedBy: { id: server.ownerPrincipal.id, name: 'Owner' },
        },
      ]);
      expect(await membershipOf(outsider.id)).toBeUndefined();

      const accepted = await answer(invitation.id, 'accept', outsider.token);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({
        invitation: { id: invitation.id, status: 'accepted' },
        workspace: { id: server.workspaceId, name: 'Default workspace' },
        role: 'admin',
      });
      expect(await membershipOf(outsider.id)).toEqual({ role: 'admin' });
      const [event] = await storedEvents('invitation-accepted');
      expect(event).toMatchObject({ actor_kind: 'user', actor_id: outsider.id });
      expect(await storedEvents('member-added')).toEqual([expect.objectContaining({ actor_id: outsider.id })]);
      const stored = await server.database.db.selectFrom('invitations').selectAll().where('id', '=', invitation.id).executeTakeFirst();
      expect(stored).toMatchObject({ status: 'accepted', accepted_by_user_id: outsider.id });

      // The answer names the workspace, so a client switches by signing in to it.
      const switched = await signIn(outsider.email, outsider.password, server.workspaceId);
      expect(switched.json()).toMatchObject({ role: 'admin', workspace: { id: server.workspaceId } });
      expect((await server.request({ method: 'GET', url: '/api/v1/invitations/mine', token: outsider.token })).json().data).toEqual([]);
      const again = await answer(invitation.id, 'accept', outsider.token);
      expect(again.statusCode).toBe(410);
      expect(again.json().error.code).toBe('INVITATION_ALREADY_USED');
    });

    it('declines: nobody joins, an event says so, and the invitation cannot be accepted afterwards', async () => {
      const outsider = await createOutsider('olive@example.com');
      const { invitation, token } = await invite('olive@example.com');
      const declined = await answer(invitation.id, 'decline', outsider.token);
      expect(declined.statusCode).toBe(200);
      expect(declined.json()).toMatchObject({ id: invitation.id, status: 'declined' });
      expect(await membershipOf(outsider.id)).toBeUndefined();
      expect(await storedEvents('invitation-declined')).toHaveLength(1);
      expect(await storedEvents('member-added')).toEqual([]);

      const accept = await answer(invitation.id, 'accept', outsider.token);
      expect(accept.statusCode).toBe(410);
      expect(accept.json().error.code).toBe('INVITATION_ALREADY_USED');
      const link = await acceptLink(token, { name: 'Olive', password: outsider.password });
      expect(link.statusCode).toBe(410);
      expect(await membershipOf(outsider.id)).toBeUndefined();
    });

    it('cannot accept or decline an invitation addressed to another email: 404, nothing stored', async () => {
      await createOutsider('olive@example.com');
      const intruder = await server.addMember({ email: 'intruder@example.com', role: 'viewer' });
      const { invitation } = await invite('olive@example.com', 'admin');
      for (const verb of ['accept', 'decline'] as const) {
        const response = await answer(invitation.id, verb, intruder.token);
        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe('INVITATION_NOT_FOUND');
      }
      expect((await server.request({ method: 'GET', url: '/api/v1/invitations/mine', token: intruder.token })).json().data).toEqual([]);
      expect(await membershipOf(intruder.id)).toEqual({ role: 'viewer' });
      const stored = await server.database.db.selectFrom('invitations').select('status').where('id', '=', invitation.id).executeTakeFirst();
      expect(stored?.status).toBe('pending');
    });

    it('is refused to agents, which answer no invitations', async () => {
      const { apiKey } = await server.createAgentWithKey();
      const { invitation } = await invite('olive@example.com');
      expect((await server.request({ method: 'GET', url: '/api/v1/invitations/mine', token: apiKey })).statusCode).toBe(403);
      const response = await answer(invitation.id, 'accept', apiKey);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    });
  });

  describe('expiry', () => {
    it('expires after 7 days on the clock: 410 INVITATION_EXPIRED by id and by link, and it leaves the pending list', async () => {
      const outsider = await createOutsider('olive@example.com');
      const { token } = await invite('nova@example.com');
      const { invitation } = await invite('olive@example.com');
      server.clock.advance(sevenDaysMs - 1);
      expect((await lookUpLink(token)).statusCode).toBe(200);

      server.clock.advance(1);
      const look = await lookUpLink(token);
      expect(look.statusCode).toBe(410);
      expect(look.json().error.code).toBe('INVITATION_EXPIRED');
      const accept = await acceptLink(token);
      expect(accept.statusCode).toBe(410);
      expect(accept.json().error.code).toBe('INVITATION_EXPIRED');
      expect(await server.database.db.selectFrom('users').select('id').where('email', '=', 'nova@example.com').execute()).toEqual([]);

      // A person with an account sees it leave their list, and cannot accept it by id either (signed in anew: sessions ended too).
      const fresh = (await signIn(outsider.email, outsider.password)).json().accessToken;
      expect((await server.request({ method: 'GET', url: '/api/v1/invitations/mine', token: fresh })).json().data).toEqual([]);
      const byId = await answer(invitation.id, 'accept', fresh);
      expect(byId.statusCode).toBe(410);
      expect(byId.json().error.code).toBe('INVITATION_EXPIRED');
      expect(await membershipOf(outsider.id)).toBeUndefined();
      expect(await storedEvents('member-added')).toEqual([]);
    });
  });

  describe('an invitation link', () => {
    it('shows the invitation without sign-in, creates the account and the membership once, and answers a session', async () => {
      const { token } = await invite('nova@example.com', 'viewer');
      const look = await lookUpLink(token);
      expect(look.statusCode).toBe(200);
      expect(look.json()).toMatchObject({
        email: 'nova@example.com',
        role: 'viewer',
        status: 'pending',
        workspace: { id: server.workspaceId, name: 'Default workspace' },
        invitedBy: { name: 'Owner' },
      });

      const accepted = await acceptLink(token, { name: '  Nova Newcomer ', password: 'a long enough password' });
      expect(accepted.statusCode).toBe(200);
      const session = accepted.json();
      expect(session).toMatchObject({
        tokenType: 'Bearer',
        role: 'viewer',
        user: { email: 'nova@example.com', name: 'Nova Newcomer' },
        workspace: { id: server.workspaceId },
      });
      expect(await membershipOf(session.user.id)).toEqual({ role: 'viewer' });
      const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: session.accessToken });
      expect(me.json()).toMatchObject({ kind: 'user', role: 'viewer', user: { id: session.user.id } });
      expect((await signIn('nova@example.com', 'a long enough password')).statusCode).toBe(200);

      // Single use.
      const second = await acceptLink(token, { name: 'Mallory', password: 'another long password' });
      expect(second.statusCode).toBe(410);
      expect(second.json().error.code).toBe('INVITATION_ALREADY_USED');
      expect((await lookUpLink(token)).json().error.code).toBe('INVITATION_ALREADY_USED');
      expect((await signIn('nova@example.com', 'another long password')).statusCode).toBe(401);
      expect(await server.database.db.selectFrom('users').select('id').where('email', '=', 'nova@example.com').execute()).toHaveLength(1);
    });

    it('lets exactly one of several concurrent acceptances of a link win, creating one account', async () => {
      const { token } = await invite('nova@example.com');
      const answers = await Promise.all(
        ['first', 'second', 'third'].map((name) => acceptLink(token, { name, password: 'a long enough password' })),
      );
      expect(answers.map((response) => response.statusCode).sort()).toEqual([200, 410, 410]);
      for (const response of answers.filter((candidate) => candidate.statusCode === 410)) {
        expect(response.json().error.code).toBe('INVITATION_ALREADY_USED');
      }
      expect(await server.database.db.selectFrom('users').select('id').where('email', '=', 'nova@example.com').execute()).toHaveLength(1);
      expect(await storedEvents('member-added')).toHaveLength(1);
    });

    it('answers 404 INVITATION_NOT_FOUND for a token it never issued, and 400 for one that is not a token', async () => {
      await invite('nova@example.com');
      const unknown = await lookUpLink(`mc_inv_${'A'.repeat(43)}`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('INVITATION_NOT_FOUND');
      expect((await acceptLink(`mc_inv_${'A'.repeat(43)}`)).json().error.code).toBe('INVITATION_NOT_FOUND');
      const malformed = await lookUpLink('not%20a%20token');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('for an email with an account, needs that account’s password and keeps its name', async () => {
      const outsider = await createOutsider('olive@example.com');
      const { token } = await invite('olive@example.com', 'member');
      const wrong = await acceptLink(token, { name: 'Mallory', password: 'not the right password' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
      expect(await membershipOf(outsider.id)).toBeUndefined();
      expect((await lookUpLink(token)).statusCode).toBe(200);

      const right = await acceptLink(token, { name: 'Mallory', password: outsider.password });
      expect(right.statusCode).toBe(200);
      expect(right.json()).toMatchObject({ user: { id: outsider.id, name: 'Olive Outsider' }, workspace: { id: server.workspaceId } });
      expect(await membershipOf(outsider.id)).toEqual({ role: 'member' });
      expect((await signIn(outsider.email, 'not the right password')).statusCode).toBe(401);
    });

    it('stops working when a newer invitation to the same email replaces it', async () => {
      const first = await invite('nova@example.com', 'viewer');
      const second = await invite('nova@example.com', 'admin');
      const old = await acceptLink(first.token);
      expect(old.statusCode).toBe(410);
      expect(old.json().error.code).toBe('INVITATION_REVOKED');
      const current = await acceptLink(second.token);
      expect(current.json().role).toBe('admin');
      expect(await storedEvents('invitation-revoked')).toEqual([expect.objectContaining({ data: expect.anything() })]);
    });

    it('is limited per address like sign-in', async () => {
      const limited = await createTestServer(engine, { config: { loginRateLimitPerMinute: 3 } });
      try {
        // The owner's sign-in at start counted once.
        const created = await limited.request({ method: 'POST', url: '/api/v1/invitations', payload: { email: 'nova@example.com' } });
        const token = created.json().token;
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 3; attempt += 1) {
          statuses.push((await limited.request({ method: 'GET', url: `/api/v1/invitation-links/${token}`, token: null })).statusCode);
        }
        expect(statuses).toEqual([200, 200, 429]);
        const refused = await limited.request({
          method: 'POST',
          url: `/api/v1/invitation-links/${token}/accept`,
          payload: { name: 'Nova', password: 'a long enough password' },
          token: null,
        });
        expect(refused.statusCode).toBe(429);
        expect(refused.json().error.code).toBe('RATE_LIMITED');
        expect(await limited.database.db.selectFrom('users').select('id').where('email', '=', 'nova@example.com').execute()).toEqual([]);
      } finally {
        await limited.close();
      }
    });
  });
});
