import { createHash } from 'node:crypto';
import type { EventType } from '@mission-control/contracts';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';

/** The structure of a JSON value with its leaves replaced by their types: what two answers share when only the data differs. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([key, inner]) => [key, shapeOf(inner)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

describeEachEngine('invitations: sending, listing, revoking', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const invite = (payload: Record<string, unknown>, token?: string, headers: Record<string, string> = {}) =>
    server.request({ method: 'POST', url: '/api/v1/invitations', payload, headers, ...(token ? { token } : {}) });
  const storedInvitations = () => server.database.db.selectFrom('invitations').selectAll().orderBy('id').execute();
  const storedMemberships = () =>
    server.database.db.selectFrom('memberships').selectAll().where('workspace_id', '=', server.workspaceId).orderBy('created_at').execute();
  const storedEvents = (type: EventType) =>
    server.database.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('seq').execute();

  /** Someone with an account who belongs to another workspace only. */
  const createOutsider = async (email: string) => {
    const otherToken = await server.createOtherWorkspaceToken();
    return server.addMember({ email, name: 'Victoria Victim', invitedBy: otherToken });
  };

  describe('answering the same for every email', () => {
    it('answers 201 with the same shape for an email with an account and one without, and tells nothing about the person', async () => {
      const victim = await createOutsider('victim@example.com');
      const membershipsBefore = await storedMemberships();

      const known = await invite({ email: 'Victim@Example.com', role: 'member' });
      const unknown = await invite({ email: 'nobody@example.com', role: 'member' });
      expect(known.statusCode).toBe(201);
      expect(unknown.statusCode).toBe(201);
      expect(shapeOf(known.json())).toEqual(shapeOf(unknown.json()));
      expect(Object.keys(known.json()).sort()).toEqual(['acceptUrl', 'invitation', 'token']);
      expect(Object.keys(known.json().invitation).sort()).toEqual(
        ['createdAt', 'email', 'expiresAt', 'id', 'invitedBy', 'respondedAt', 'role', 'status', 'workspaceId'].sort(),
      );
      expect(known.json().invitation).toMatchObject({
        email: 'victim@example.com',
        role: 'member',
        status: 'pending',
        workspaceId: server.workspaceId,
        invitedBy: { kind: 'user', id: server.ownerPrincipal.id },
        expiresAt: '2026-01-08T09:00:00.000Z',
        respondedAt: null,
      });
      // Nothing that belongs to the account: not its id, not its name.
      expect(known.body).not.toContain(victim.id);
      expect(known.body).not.toContain('Victoria');
      // The two emails have the same length, so the answers do too.
      expect(known.headers['content-length']).toBe(unknown.headers['content-length']);

      // Nobody joined: the victim is not a member until they accept.
      expect(await storedMemberships()).toEqual(membershipsBefore);
      const workspacesOfVictim = await server.request({ method: 'GET', url: '/api/v1/workspaces', token: victim.token });
      expect(workspacesOfVictim.json().data).toHaveLength(1);
      expect((await storedEvents('member-added')).filter((event) => event.workspace_id === server.workspaceId)).toEqual([]);
    });

    it('gives a link with a single-use token to every invitation, relative without a public URL', async () => {
      const created = (await invite({ email: 'nobody@example.com' })).json();
      expect(created.token).toMatch(/^mc_inv_[A-Za-z0-9_-]{43}$/);
      expect(created.acceptUrl).toBe(`/invite/${created.token}`);
      expect(created.invitation.role).toBe('member');
    });

    it('builds the link from MISSION_PUBLIC_URL when it is set', async () => {
      const configured = await createTestServer(engine, { config: { publicUrl: 'https://mission.example.com' } });
      try {
        const created = await configured.request({ method: 'POST', url: '/api/v1/invitations', payload: { email: 'nobody@example.com' } });
        expect(created.json().acceptUrl).toBe(`https://mission.example.com/invite/${created.json().token}`);
      } finally {
        await configured.close();
      }
    });

    it('lets an account that creates its own workspace invite a stranger, without enrolling them or learning about them', async () => {
      const victim = await createOutsider('victim@example.com');
      const attacker = await server.addMember({ email: 'attacker@example.com', role: 'viewer' });
      const workspace = await server.request({
        method: 'POST',
        url: '/api/v1/workspaces',
        payload: { name: 'Trap', taskKeyPrefix: 'TRAP' },
        token: attacker.token,
      });
      const attackerInTrap = (
        await server.request({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: attacker.email, password: attacker.password, workspaceId: workspace.json().id },
          token: null,
        })
      ).json().accessToken;
      const answer = await invite({ email: 'victim@example.com', role: 'admin' }, attackerInTrap);
      expect(answer.statusCode).toBe(201);
      expect(answer.body).not.toContain(victim.id);
      const trapMembers = await server.database.db
        .selectFrom('memberships')
        .select('user_id')
        .where('workspace_id', '=', workspace.json().id)
        .execute();
      expect(trapMembers.map((row) => row.user_id)).toEqual([attacker.id]);
    });

    it('no longer enrols anyone through POST /api/v1/members', async () => {
      const membershipsBefore = await storedMemberships();
      const response = await server.request({
        method: 'POST',
        url: '/api/v1/members',
        payload: { email: 'ada@example.com', name: 'Ada', password: 'analytical-engine', role: 'admin' },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
      expect(await storedMemberships()).toEqual(membershipsBefore);
      expect(await server.database.db.selectFrom('users').select('email').where('email', '=', 'ada@example.com').execute()).toEqual([]);
    });
  });

  describe('storing', () => {
    it('stores the token only as its SHA-256: no table holds it, even with an Idempotency-Key', async () => {
      const created = await invite({ email: 'nobody@example.com' }, undefined, { 'idempotency-key': 'invite-nobody' });
      expect(created.statusCode).toBe(201);
      const { token, invitation } = created.json();
      const [row] = await storedInvitations();
      expect(row?.token_hash).toBe(createHash('sha256').update(token).digest('base64url'));

      const tables =
        engine === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(server.database.db)).rows
          : (
              await sql<{ name: string }>`select table_name as name from information_schema.tables
                where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(server.database.db)
            ).rows;
      expect(tables.map((table) => table.name)).toContain('invitations');
      const secretPart = token.slice('mc_inv_'.length);
      for (const { name } of tables) {
        const rows = (await sql`select * from ${sql.table(name)}`.execute(server.database.db)).rows;
        expect(JSON.stringify(rows), name).not.toContain(secretPart);
      }
      // The answer was not kept for replay either: a retry is a new invitation that replaces the first.
      const retried = await invite({ email: 'nobody@example.com' }, undefined, { 'idempotency-key': 'invite-nobody' });
      expect(retried.statusCode).toBe(201);
      expect(retried.headers['idempotency-replayed']).toBeUndefined();
      expect(retried.json().token).not.toBe(token);
      const statuses = (await storedInvitations()).map((stored) => [stored.id, stored.status]);
      expect(statuses).toEqual([
        [invitation.id, 'revoked'],
        [retried.json().invitation.id, 'pending'],
      ]);
    });

    it('appends an invitation-created event without the email, and notifies a person who has an account', async () => {
      const victim = await createOutsider('victim@example.com');
      const created = (await invite({ email: 'victim@example.com', role: 'viewer' })).json();
      const [event] = (await storedEvents('invitation-created')).filter((stored) => stored.workspace_id === server.workspaceId);
      expect(event).toMatchObject({ actor_kind: 'user', actor_id: server.ownerPrincipal.id });
      expect(JSON.stringify(event)).not.toContain('victim@example.com');
      const feed = await server.request({ method: 'GET', url: '/api/v1/activities?type=invitation-created' });
      expect(feed.json().data[0].data).toEqual({
        invitationId: created.invitation.id,
        role: 'viewer',
        expiresAt: created.invitation.expiresAt,
      });

      const notifications = await server.request({ method: 'GET', url: '/api/v1/notifications', token: victim.token });
      expect(notifications.json().data).toHaveLength(1);
      expect(notifications.json().data[0]).toMatchObject({ reason: 'system', recipient: { kind: 'user', id: victim.id } });
      expect(notifications.json().data[0].content).toContain('Pending invitations');
    });

    it('answers 409 MEMBER_ALREADY_EXISTS for a member and stores nothing', async () => {
      const member = await server.addMember({ email: 'member@example.com' });
      const before = await storedInvitations();
      const response = await invite({ email: member.email });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('MEMBER_ALREADY_EXISTS');
      expect(await storedInvitations()).toEqual(before);
    });

    it('refuses an owner role, an unknown field and a bad email with 400', async () => {
      for (const payload of [
        { email: 'nobody@example.com', role: 'owner' },
        { email: 'nobody@example.com', password: 'sneaky-password' },
        { email: 'not an email' },
      ]) {
        const response = await invite(payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect(await storedInvitations()).toEqual([]);
    });
  });

  describe('who may invite', () => {
    it('lets an admin invite, and refuses members, viewers and agents with 403', async () => {
      const admin = await server.addMember({ email: 'admin@example.com', role: 'admin' });
      const byAdmin = await invite({ email: 'by-admin@example.com' }, admin.token);
      expect(byAdmin.statusCode).toBe(201);
      const pendingId = byAdmin.json().invitation.id;

      const member = await server.addMember({ email: 'member@example.com', role: 'member' });
      const viewer = await server.addMember({ email: 'viewer@example.com', role: 'viewer' });
      const { apiKey } = await server.createAgentWithKey();
      for (const token of [member.token, viewer.token, apiKey]) {
        const response = await invite({ email: 'someone@example.com' }, token);
        expect(response.statusCode).toBe(403);
        expect(response.json().error.code).toBe('FORBIDDEN');
        const list = await server.request({ method: 'GET', url: '/api/v1/invitations', token });
        expect(list.statusCode).toBe(403);
        const revoke = await server.request({ method: 'DELETE', url: `/api/v1/invitations/${pendingId}`, token });
        expect(revoke.statusCode).toBe(403);
      }
      const invitationsNow = await storedInvitations();
      expect(invitationsNow.filter((row) => row.email === 'someone@example.com')).toEqual([]);
      expect(invitationsNow.find((row) => row.id === pendingId)?.status).toBe('pending');
    });
  });

  describe('listing', () => {
    it('lists newest first with a cursor and filters by status, expired included, never with a token', async () => {
      const first = (await invite({ email: 'first@example.com' })).json().invitation;
      server.clock.advance(1_000);
      const second = (await invite({ email: 'second@example.com' })).json().invitation;
      server.clock.advance(1_000);
      const third = (await invite({ email: 'third@example.com' })).json().invitation;
      await server.request({ method: 'DELETE', url: `/api/v1/invitations/${second.id}` });

      const page = await server.request({ method: 'GET', url: '/api/v1/invitations?limit=2' });
      expect(page.statusCode).toBe(200);
      expect(page.json().data.map((invitation: { id: string }) => invitation.id)).toEqual([third.id, second.id]);
      expect(page.body).not.toContain('mc_inv_');
      const next = await server.request({ method: 'GET', url: `/api/v1/invitations?limit=2&cursor=${page.json().nextCursor}` });
      expect(next.json()).toEqual({ data: [expect.objectContaining({ id: first.id })], nextCursor: null });

      const revoked = await server.request({ method: 'GET', url: '/api/v1/invitations?status=revoked' });
      expect(revoked.json().data.map((invitation: { id: string }) => invitation.id)).toEqual([second.id]);

      server.clock.advance(7 * 24 * 60 * 60 * 1000 - 1_000);
      // The first is now 7 days and 1 s old; the third has a second to go. The old session has ended meanwhile.
      const owner = (
        await server.request({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: ownerEmail, password: ownerPassword },
          token: null,
        })
      ).json().accessToken;
      const expired = await server.request({ method: 'GET', url: '/api/v1/invitations?status=expired', token: owner });
      expect(expired.json().data).toEqual([expect.objectContaining({ id: first.id, status: 'expired' })]);
      const pending = await server.request({ method: 'GET', url: '/api/v1/invitations?status=pending', token: owner });
      expect(pending.json().data).toEqual([expect.objectContaining({ id: third.id, status: 'pending' })]);
    });
  });

  describe('revoking', () => {
    it('revokes a pending invitation with an event, answers it unchanged the second time, and kills its link', async () => {
      const { invitation, token } = (await invite({ email: 'nobody@example.com' })).json();
      server.clock.advance(60_000);
      const revoked = await server.request({ method: 'DELETE', url: `/api/v1/invitations/${invitation.id}` });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ id: invitation.id, status: 'revoked', respondedAt: '2026-01-01T09:01:00.000Z' });
      expect(await storedEvents('invitation-revoked')).toHaveLength(1);

      const again = await server.request({ method: 'DELETE', url: `/api/v1/invitations/${invitation.id}` });
      expect(again.json()).toEqual(revoked.json());
      expect(await storedEvents('invitation-revoked')).toHaveLength(1);

      const link = await server.request({ method: 'GET', url: `/api/v1/invitation-links/${token}`, token: null });
      expect(link.statusCode).toBe(410);
      expect(link.json().error.code).toBe('INVITATION_REVOKED');
      const accept = await server.request({
        method: 'POST',
        url: `/api/v1/invitation-links/${token}/accept`,
        payload: { name: 'Nobody', password: 'a long enough password' },
        token: null,
      });
      expect(accept.statusCode).toBe(410);
      expect(accept.json().error.code).toBe('INVITATION_REVOKED');
      expect(await server.database.db.selectFrom('users').select('id').where('email', '=', 'nobody@example.com').execute()).toEqual([]);
    });

    it('answers 410 INVITATION_ALREADY_USED for an accepted one, and 404 for one of another workspace', async () => {
      const member = await server.addMember({ email: 'member@example.com' });
      const [accepted] = (await storedInvitations()).filter((row) => row.email === member.email);
      const response = await server.request({ method: 'DELETE', url: `/api/v1/invitations/${accepted?.id}` });
      expect(response.statusCode).toBe(410);
      expect(response.json().error.code).toBe('INVITATION_ALREADY_USED');

      const otherToken = await server.createOtherWorkspaceToken();
      const elsewhere = (await invite({ email: 'nobody@example.com' }, otherToken)).json().invitation;
      const foreign = await server.request({ method: 'DELETE', url: `/api/v1/invitations/${elsewhere.id}` });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().error.code).toBe('INVITATION_NOT_FOUND');
      expect((await storedInvitations()).find((row) => row.id === elsewhere.id)?.status).toBe('pending');
    });
  });
});
