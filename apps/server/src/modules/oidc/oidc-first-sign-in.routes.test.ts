import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { type LocalOidcAccount, type LocalOidcProvider, startLocalOidcProvider } from '../../test/oidc-provider.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

const redirectUri = 'http://127.0.0.1:4000/api/v1/auth/oidc/callback';

describeEachEngine('single sign-on: the first sign-in of someone without an account', (engine) => {
  let provider: LocalOidcProvider;
  let server: TestServer;
  beforeEach(async () => {
    provider = await startLocalOidcProvider({ redirectUri });
    server = await createTestServer(engine, {
      clock: createTestClock(new Date()),
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        redirectUri,
        allowedEmailDomains: [],
        providerName: 'Local IdP',
        allowInsecureRequests: true,
        extraScopes: ['groups'],
        groupRoles: {
          roles: new Map([
            ['engineering', 'member'],
            ['platform', 'admin'],
            ['auditors', 'viewer'],
          ]),
          claim: 'groups',
        },
      },
    });
  });
  afterEach(async () => {
    await server.close();
    await provider.close();
  });

  /** The whole browser round trip: /start, the provider, the callback, the one-time code exchange. */
  async function signInWithSso(account: LocalOidcAccount) {
    provider.signInAs(account);
    const started = await server.request({ method: 'GET', url: '/api/v1/auth/oidc/start?redirect=/board', token: null });
    const back = await provider.followToRedirect(String(started.headers.location), redirectUri);
    const finished = await server.request({ method: 'GET', url: `${back.pathname}${back.search}`, token: null });
    if (finished.statusCode !== 302) return finished;
    const code = new URL(String(finished.headers.location), 'http://dashboard.invalid').searchParams.get('oidcCode');
    return server.request({ method: 'POST', url: '/api/v1/auth/oidc/exchange', payload: { code }, token: null });
  }
  const usersWithEmail = (email: string) => server.database.db.selectFrom('users').selectAll().where('email', '=', email).execute();

  it('creates the account from a pending invitation, with the invited role, and accepts the invitation', async () => {
    const invited = await server.request({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email: 'ada@example.com', role: 'admin' },
    });
    expect(invited.statusCode).toBe(201);
    const session = await signInWithSso({ sub: 'ada-at-idp', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ role: 'admin', user: { email: 'ada@example.com', name: 'Ada Lovelace' } });

    const [user] = await usersWithEmail('ada@example.com');
    expect(user?.password_hash).not.toMatch(/^scrypt\$/);
    const invitations = (await server.request({ method: 'GET', url: '/api/v1/invitations?status=accepted' })).json().data;
    expect(invitations).toEqual([expect.objectContaining({ email: 'ada@example.com', status: 'accepted' })]);
    const members = (await server.request({ method: 'GET', url: '/api/v1/members' })).json().data as Array<{
      user: { email: string };
      role: string;
    }>;
    expect(members.find((member) => member.user.email === 'ada@example.com')?.role).toBe('admin');

    // No password signs the new account in; single sign-on does, again, through the linked identity.
    const login = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ada@example.com', password: 'none:single-sign-on' },
      token: null,
    });
    expect(login.statusCode).toBe(401);
    expect((await signInWithSso({ sub: 'ada-at-idp', email: 'ada@example.com', email_verified: true })).statusCode).toBe(200);
    expect(await usersWithEmail('ada@example.com')).toHaveLength(1);
  });

  it('creates the account from a mapped group, with the highest role its groups give, in the instance workspace', async () => {
    const session = await signInWithSso({
      sub: 'grace',
      email: 'grace@corp.example',
      email_verified: true,
      groups: ['auditors', 'platform', 'unmapped'],
    });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ role: 'admin', user: { email: 'grace@corp.example', name: 'grace' } });
    expect(session.json().workspace.id).toBe(server.workspaceId);
    const audit = (await server.request({ method: 'GET', url: '/api/v1/audit-log?action=member.added' })).json().data;
    expect(audit[0]).toMatchObject({ action: 'member.added', after: { role: 'admin' } });
  });

  it('joins an existing account to the group workspace, and leaves a member’s role to the owners', async () => {
    const member = await server.addMember({ email: 'lin@example.com', role: 'viewer' });
    const session = await signInWithSso({ sub: 'lin', email: 'lin@example.com', email_verified: true, groups: ['platform'] });
    expect(session.statusCode).toBe(200);
    // Already a member: the group does not promote (or demote) them.
    expect(session.json().role).toBe('viewer');
    const identities = await server.database.db.selectFrom('user_identities').select('user_id').execute();
    expect(identities).toEqual([{ user_id: member.id }]);
  });

  it('creates nothing for someone with neither an invitation nor a mapped group, and never for an unverified email', async () => {
    const stranger = await signInWithSso({ sub: 'stranger', email: 'stranger@example.com', email_verified: true, groups: ['unmapped'] });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().error.code).toBe('OIDC_ACCOUNT_NOT_FOUND');
    expect(stranger.json().error.message).toContain('stranger@example.com');
    expect(await usersWithEmail('stranger@example.com')).toEqual([]);
    expect(await server.database.db.selectFrom('user_identities').selectAll().execute()).toEqual([]);

    await server.request({ method: 'POST', url: '/api/v1/invitations', payload: { email: 'mallory@example.com', role: 'member' } });
    const unverified = await signInWithSso({
      sub: 'mallory',
      email: 'mallory@example.com',
      email_verified: false,
      groups: ['engineering'],
    });
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json().error.code).toBe('OIDC_EMAIL_UNVERIFIED');
    expect(await usersWithEmail('mallory@example.com')).toEqual([]);
  });
});
