import { generate } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerPassword, type TestServer } from '../../test/test-server.js';
import { pseudonymOf } from './personal-data-export.service.js';

describeEachEngine('personal data: export and erasure', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const db = () => server.database.db;

  /** A member with a task thread, a document, a personal key, MFA on and a second session. */
  async function memberWithData(email = 'ada@example.com') {
    const member = await server.addMember({ email, name: 'Ada Lovelace', role: 'member', password: 'ada has a long password' });
    const task = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: 'Analytical engine notes' },
      token: member.token,
    });
    expect(task.statusCode, task.body).toBe(201);
    const taskId = task.json().id as string;
    const message = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/messages`,
      payload: { content: 'The engine weaves algebraic patterns' },
      token: member.token,
    });
    expect(message.statusCode, message.body).toBe(201);
    const document = await server.request({
      method: 'POST',
      url: '/api/v1/documents',
      payload: { title: 'Note G', content: 'Bernoulli numbers, step by step', type: 'research' },
      token: member.token,
    });
    expect(document.statusCode, document.body).toBe(201);
    const key = await server.request({
      method: 'POST',
      url: '/api/v1/auth/api-keys',
      payload: { name: 'laptop script' },
      token: member.token,
    });
    expect(key.statusCode, key.body).toBe(201);
    const begun = await server.request({ method: 'POST', url: '/api/v1/auth/mfa/totp', token: member.token });
    expect(begun.statusCode, begun.body).toBe(201);
    const code = await generate({ secret: begun.json().secret, epoch: Math.floor(server.clock.now().getTime() / 1000) });
    const confirmed = await server.request({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      payload: { code },
      token: member.token,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    server.clock.advance(30_000);
    // A conversation with a built-in agent, as a chat stores it (a real chat needs a model).
    const { agent } = await server.createAgentWithKey();
    const chatIds = ['0190b7e5-0000-7000-8000-00000000c001', '0190b7e5-0000-7000-8000-00000000c002'];
    await db()
      .insertInto('agent_chat_messages')
      .values([
        {
          id: chatIds[0] as string,
          workspace_id: server.workspaceId,
          agent_id: agent.id,
          user_id: member.id,
          role: 'user',
          author_id: member.id,
          content: 'What is a loop?',
          created_at: server.clock.now().toISOString(),
        },
        {
          id: chatIds[1] as string,
          workspace_id: server.workspaceId,
          agent_id: agent.id,
          user_id: member.id,
          role: 'assistant',
          author_id: null,
          content: 'Doing a thing again.',
          created_at: server.clock.now().toISOString(),
        },
      ])
      .execute();
    return {
      ...member,
      agentId: agent.id,
      taskId,
      messageId: message.json().id as string,
      documentId: document.json().id as string,
      apiKey: key.json().secret as string,
      totpSecret: begun.json().secret as string,
    };
  }

  const userRow = (id: string) => db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('GET /api/v1/me/export', () => {
    it('answers everything stored about the person as an attachment, and not one token, hash or secret', async () => {
      const member = await memberWithData();
      const answer = await server.request({ method: 'GET', url: '/api/v1/me/export', token: member.token });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.headers['content-disposition']).toBe('attachment; filename="mission-control-export-2026-01-01.json"');
      const archive = answer.json();
      expect(archive).toMatchObject({
        formatVersion: 1,
        profile: { id: member.id, email: 'ada@example.com', name: 'Ada Lovelace' },
        memberships: [{ workspace: { id: server.workspaceId, slug: 'default' }, role: 'member' }],
        mfa: { totpEnrolled: true, recoveryCodesRemaining: 10 },
        identities: [],
        apiKeys: [{ name: 'laptop script', revokedAt: null }],
        messages: [{ id: member.messageId, taskId: member.taskId, content: 'The engine weaves algebraic patterns' }],
        tasks: [{ id: member.taskId, title: 'Analytical engine notes', relations: ['creator'] }],
        documents: [{ id: member.documentId, title: 'Note G', content: 'Bernoulli numbers, step by step' }],
        agentChats: [
          { agentId: member.agentId, workspaceId: server.workspaceId, role: 'user', content: 'What is a loop?' },
          { agentId: member.agentId, role: 'assistant', content: 'Doing a thing again.' },
        ],
      });
      expect(archive.sessions.length).toBeGreaterThanOrEqual(1);
      expect(archive.sessions[0]).toEqual({
        id: expect.any(String),
        workspaceId: server.workspaceId,
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        revokedAt: null,
      });
      expect(archive.auditEntries.map((entry: { action: string }) => entry.action)).toEqual(
        expect.arrayContaining(['auth.signed-in', 'api-key.created']),
      );

      // Nothing secret, anywhere in the text: the key, its hash, refresh-token hashes, the TOTP secret (plain and sealed), recovery-code hashes, the password hash.
      const text = answer.body;
      const secrets = [
        member.apiKey,
        member.totpSecret,
        ...(await db().selectFrom('api_keys').select('secret_hash').execute()).map((row) => row.secret_hash),
        ...(await db().selectFrom('refresh_tokens').select('token_hash').execute()).map((row) => row.token_hash),
        ...(await db().selectFrom('mfa_totp_factors').select('secret_sealed').execute()).map((row) => row.secret_sealed),
        ...(await db().selectFrom('mfa_recovery_codes').select('code_hash').execute()).map((row) => row.code_hash),
        (await userRow(member.id)).password_hash,
      ];
      expect(secrets.length).toBeGreaterThan(14);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/secret_?hash|token_?hash|code_?hash|password/i);

      const recorded = await db().selectFrom('audit_entries').selectAll().where('action', '=', 'personal-data.exported').execute();
      expect(recorded).toEqual([expect.objectContaining({ actor_id: member.id, target_id: member.id, workspace_id: server.workspaceId })]);
    });

    it('answers 403 to a personal API key: only a signed-in person copies out their data', async () => {
      const member = await memberWithData();
      const answer = await server.request({ method: 'GET', url: '/api/v1/me/export', token: member.apiKey });
      expect(answer.statusCode).toBe(403);
      expect(answer.json().error.code).toBe('FORBIDDEN');
    });
  });

  describe('DELETE /api/v1/me', () => {
    it('answers 403 ERASURE_CONFIRMATION_INVALID to a wrong password and changes nothing', async () => {
      const member = await memberWithData();
      const before = await userRow(member.id);
      const answer = await server.request({
        method: 'DELETE',
        url: '/api/v1/me',
        payload: { password: 'not my password at all' },
        token: member.token,
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.json().error.code).toBe('ERASURE_CONFIRMATION_INVALID');
      expect(await userRow(member.id)).toEqual(before);
      const keys = await db().selectFrom('api_keys').selectAll().where('owner_id', '=', member.id).execute();
      expect(keys.map((key) => key.revoked_at)).toEqual([null]);
      expect(await db().selectFrom('memberships').selectAll().where('user_id', '=', member.id).execute()).toHaveLength(1);
      expect((await server.request({ method: 'GET', url: '/api/v1/auth/me', token: member.apiKey })).statusCode).toBe(200);
      // A confirmation instead of the password does not do for an account that has one.
      const confirmation = await server.request({
        method: 'DELETE',
        url: '/api/v1/me',
        payload: { confirmation: 'erase my account' },
        token: member.token,
      });
      expect(confirmation.statusCode).toBe(403);
      expect(await userRow(member.id)).toEqual(before);
    });

    it('pseudonymises the account, revokes its keys, ends its sessions and removes its personal records; what it wrote stays', async () => {
      const member = await memberWithData();
      const answer = await server.request({
        method: 'DELETE',
        url: '/api/v1/me',
        payload: { password: 'ada has a long password' },
        token: member.token,
      });
      expect(answer.statusCode, answer.body).toBe(200);
      const pseudonym = pseudonymOf(member.id);
      expect(answer.json()).toEqual({
        userId: member.id,
        pseudonym: pseudonym.name,
        erasedAt: expect.any(String),
        accountErased: true,
        workspaceIds: [server.workspaceId],
      });
      expect(pseudonym.name).toMatch(/^Deleted user [0-9a-f]{6}$/);

      expect(await userRow(member.id)).toMatchObject({ email: pseudonym.email, name: pseudonym.name, password_hash: 'erased' });
      // The key and the session token stop working at once.
      const withKey = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: member.apiKey });
      expect(withKey.statusCode).toBe(401);
      expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: member.token })).statusCode).toBe(401);
      const login = await server.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'ada@example.com', password: 'ada has a long password' },
        token: null,
      });
      expect(login.statusCode).toBe(401);

      const stored = (table: 'memberships' | 'mfa_totp_factors' | 'mfa_recovery_codes' | 'user_identities') =>
        db().selectFrom(table).selectAll().where('user_id', '=', member.id).execute();
      expect(await stored('memberships')).toEqual([]);
      expect(await stored('mfa_totp_factors')).toEqual([]);
      expect(await stored('mfa_recovery_codes')).toEqual([]);
      expect(await db().selectFrom('agent_chat_messages').selectAll().where('user_id', '=', member.id).execute()).toEqual([]);
      const sessions = await db().selectFrom('sessions').selectAll().where('user_id', '=', member.id).execute();
      expect(sessions.every((session) => session.revoked_at !== null)).toBe(true);
      const invitations = await db().selectFrom('invitations').selectAll().execute();
      expect(invitations.map((invitation) => invitation.email)).toEqual([pseudonym.email]);

      // The workspace's record stays, under the pseudonym.
      const message = await server.request({ method: 'GET', url: `/api/v1/tasks/${member.taskId}/messages` });
      expect(message.json().data[0]).toMatchObject({
        content: 'The engine weaves algebraic patterns',
        author: { kind: 'user', id: member.id },
      });
      const members = await server.request({ method: 'GET', url: '/api/v1/members' });
      expect(members.json().data.map((entry: { user: { id: string } }) => entry.user.id)).toEqual([server.ownerPrincipal.id]);

      // The feed no longer shows the email; the events that close streams were appended.
      const events = await db().selectFrom('events').selectAll().where('workspace_id', '=', server.workspaceId).orderBy('seq').execute();
      expect(events.map((event) => event.summary).join('\n')).not.toContain('ada@example.com');
      expect(events.map((event) => event.type)).toEqual(
        expect.arrayContaining(['api-key-revoked', 'session-ended', 'member-removed', 'member-erased']),
      );
      const audit = await db().selectFrom('audit_entries').selectAll().where('action', '=', 'account.erased').execute();
      expect(audit).toEqual([expect.objectContaining({ actor_id: member.id, target_id: member.id })]);
      expect(audit[0]?.summary).not.toContain('ada@example.com');
    });

    it('answers 409 ERASURE_LAST_OWNER while the person is the last owner of a workspace with other members', async () => {
      await server.addMember({ email: 'grace@example.com' });
      const answer = await server.request({ method: 'DELETE', url: '/api/v1/me', payload: { password: ownerPassword } });
      expect(answer.statusCode).toBe(409);
      expect(answer.json().error).toMatchObject({
        code: 'ERASURE_LAST_OWNER',
        details: { workspaces: [{ id: server.workspaceId, name: 'Default workspace' }] },
      });
      expect(await userRow(server.ownerPrincipal.id)).toMatchObject({ email: 'owner@example.com' });
    });
  });

  describe('POST /api/v1/members/{userId}/erase', () => {
    it('lets an owner erase a member who belongs nowhere else: the account is pseudonymised too', async () => {
      const member = await memberWithData();
      const answer = await server.request({ method: 'POST', url: `/api/v1/members/${member.id}/erase` });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ userId: member.id, accountErased: true, workspaceIds: [server.workspaceId] });
      expect(await userRow(member.id)).toMatchObject({ name: pseudonymOf(member.id).name });
      expect((await server.request({ method: 'GET', url: '/api/v1/auth/me', token: member.apiKey })).statusCode).toBe(401);
      const audit = await db().selectFrom('audit_entries').selectAll().where('action', '=', 'account.erased').execute();
      expect(audit).toEqual([expect.objectContaining({ actor_id: server.ownerPrincipal.id, target_id: member.id })]);
    });

    it('erases only this workspace’s data of a member who belongs to another workspace, and keeps their account', async () => {
      // The member is also in a second workspace of the owner (joined before MFA), with a key there.
      const otherToken = await server.createOtherWorkspaceToken();
      const joined = await server.addMember({
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        password: 'ada has a long password',
        invitedBy: otherToken,
      });
      const member = await memberWithData();
      const otherKey = await server.request({
        method: 'POST',
        url: '/api/v1/auth/api-keys',
        payload: { name: 'other' },
        token: joined.token,
      });
      expect(otherKey.statusCode).toBe(201);

      const answer = await server.request({ method: 'POST', url: `/api/v1/members/${member.id}/erase` });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ accountErased: false, workspaceIds: [server.workspaceId] });
      expect(await userRow(member.id)).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
      expect((await server.request({ method: 'GET', url: '/api/v1/auth/me', token: member.apiKey })).statusCode).toBe(401);
      expect((await server.request({ method: 'GET', url: '/api/v1/auth/me', token: otherKey.json().secret })).statusCode).toBe(200);
      const memberships = await db().selectFrom('memberships').select('workspace_id').where('user_id', '=', member.id).execute();
      expect(memberships).toHaveLength(1);
      expect(memberships[0]?.workspace_id).not.toBe(server.workspaceId);
      const audit = await db().selectFrom('audit_entries').selectAll().where('action', '=', 'member.erased').execute();
      expect(audit).toEqual([expect.objectContaining({ workspace_id: server.workspaceId, target_id: member.id })]);
    });

    it('answers 403 to an admin or a member, and to an owner erasing themselves, and changes nothing', async () => {
      const member = await memberWithData();
      const admin = await server.addMember({ email: 'admin@example.com', role: 'admin' });
      for (const token of [admin.token, member.token]) {
        const answer = await server.request({ method: 'POST', url: `/api/v1/members/${member.id}/erase`, token });
        expect(answer.statusCode).toBe(403);
        expect(answer.json().error.code).toBe('FORBIDDEN');
      }
      const self = await server.request({ method: 'POST', url: `/api/v1/members/${server.ownerPrincipal.id}/erase` });
      expect(self.statusCode).toBe(403);
      expect(await userRow(member.id)).toMatchObject({ email: 'ada@example.com' });
      expect((await server.request({ method: 'GET', url: '/api/v1/auth/me', token: member.apiKey })).statusCode).toBe(200);
    });
  });
});
