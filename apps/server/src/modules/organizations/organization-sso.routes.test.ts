import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { type LocalOidcAccount, type LocalOidcProvider, startLocalOidcProvider } from '../../test/oidc-provider.js';
import { createTestClock, createTestServer, ownerEmail, type TestServer } from '../../test/test-server.js';

const redirectUri = 'http://127.0.0.1:4000/api/v1/auth/oidc/callback';

describeEachEngine('single sign-on per organisation', (engine) => {
  let provider: LocalOidcProvider;
  let server: TestServer;
  let organizationId: string;
  beforeEach(async () => {
    provider = await startLocalOidcProvider({ redirectUri });
    // No provider of the server's own: the organisation brings one. The provider listens on
    // 127.0.0.1 over http, which only an operator's leave for private targets allows.
    server = await createTestServer(engine, { clock: createTestClock(new Date()), integrations: { allowPrivateTargets: true } });
    organizationId = (await server.request({ method: 'GET', url: '/api/v1/organizations' })).json().data[0].id;
  });
  afterEach(async () => {
    await server.close();
    await provider.close();
  });

  const configure = (payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'PUT', url: `/api/v1/organizations/${organizationId}/sso`, payload, ...(token ? { token } : {}) });
  const settings = () => ({
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    providerName: 'Acme IdP',
    allowedEmailDomains: ['Example.com'],
  });
  async function signInThroughOrganization(account: LocalOidcAccount) {
    provider.signInAs(account);
    const started = await server.request({ method: 'GET', url: '/api/v1/auth/oidc/start?organization=default', token: null });
    expect(started.statusCode, started.body).toBe(302);
    const back = await provider.followToRedirect(String(started.headers.location), redirectUri);
    const finished = await server.request({ method: 'GET', url: `${back.pathname}${back.search}`, token: null });
    if (finished.statusCode !== 302) return finished;
    const code = new URL(String(finished.headers.location), 'http://dashboard.invalid').searchParams.get('oidcCode');
    return server.request({ method: 'POST', url: '/api/v1/auth/oidc/exchange', payload: { code }, token: null });
  }

  it('signs members in through the organisation’s own provider, keeps its secret sealed, and lists it on the sign-in page', async () => {
    const configured = await configure(settings());
    expect(configured.statusCode, configured.body).toBe(200);
    expect(configured.json().sso).toEqual({
      issuer: provider.issuer,
      clientId: provider.clientId,
      providerName: 'Acme IdP',
      allowedEmailDomains: ['example.com'],
      updatedAt: expect.any(String),
    });
    expect(configured.body).not.toContain(provider.clientSecret);
    const [stored] = await server.database.db.selectFrom('organization_sso').selectAll().execute();
    expect(stored?.client_secret_sealed).not.toContain(provider.clientSecret);

    const providers = (await server.request({ method: 'GET', url: '/api/v1/auth/providers', token: null })).json();
    expect(providers.oidc).toEqual([
      { id: 'organization:default', name: 'Acme IdP', startUrl: '/api/v1/auth/oidc/start?organization=default' },
    ]);

    const session = await signInThroughOrganization({ sub: 'owner-at-acme', email: ownerEmail, email_verified: true });
    expect(session.statusCode, session.body).toBe(200);
    expect(session.json()).toMatchObject({ user: { email: ownerEmail }, workspace: { id: server.workspaceId }, role: 'owner' });
    const refused = await signInThroughOrganization({ sub: 'mallory', email: 'mallory@elsewhere.org', email_verified: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('OIDC_DOMAIN_NOT_ALLOWED');

    // With its own provider the organisation may turn password sign-in off, and then keeps the provider.
    const off = await server.request({
      method: 'PATCH',
      url: `/api/v1/organizations/${organizationId}`,
      payload: { passwordSignInDisabled: true },
    });
    expect(off.statusCode, off.body).toBe(200);
    const removal = await server.request({ method: 'DELETE', url: `/api/v1/organizations/${organizationId}/sso` });
    expect(removal.statusCode).toBe(409);
    expect(removal.json().error.code).toBe('SSO_NOT_CONFIGURED');
    expect(await server.database.db.selectFrom('organization_sso').select('organization_id').execute()).toHaveLength(1);
  });

  it('refuses bad settings and people who are not owners, and starting a sign-in for an organisation without a provider', async () => {
    const member = await server.addMember({ email: 'mo@example.com' });
    const notOwner = await configure(settings(), member.token);
    expect(notOwner.statusCode).toBe(403);
    const badIssuer = await configure({ ...settings(), issuer: 'ftp://idp.example.com' });
    expect(badIssuer.statusCode).toBe(400);
    expect(badIssuer.json().error.code).toBe('VALIDATION_FAILED');
    const noSecret = await configure({ ...settings(), clientSecret: '' });
    expect(noSecret.statusCode).toBe(400);
    expect(await server.database.db.selectFrom('organization_sso').selectAll().execute()).toEqual([]);
    const start = await server.request({ method: 'GET', url: '/api/v1/auth/oidc/start?organization=default', token: null });
    expect(start.statusCode).toBe(404);
    expect(start.json().error.code).toBe('OIDC_NOT_CONFIGURED');
    const noSso = await server.request({
      method: 'PATCH',
      url: `/api/v1/organizations/${organizationId}`,
      payload: { passwordSignInDisabled: true },
    });
    expect(noSso.statusCode).toBe(409);
  });
});
