import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { type LocalOidcProvider, startLocalOidcProvider } from '../../test/oidc-provider.js';
import { createTestClock, createTestServer, ownerEmail, type TestServer } from '../../test/test-server.js';

const redirectUri = 'http://127.0.0.1:4000/api/v1/auth/oidc/callback';

describeEachEngine('single sign-on with OpenID Connect', (engine) => {
  let provider: LocalOidcProvider;
  let server: TestServer;
  beforeEach(async () => {
    provider = await startLocalOidcProvider({ redirectUri, idTokenTtlSeconds: 60 });
    // The provider signs with the real time, so the server's clock starts there (and moves only when told to).
    server = await createTestServer(engine, {
      clock: createTestClock(new Date()),
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        redirectUri,
        allowedEmailDomains: ['example.com'],
        providerName: 'Local IdP',
        allowInsecureRequests: true,
      },
    });
  });
  afterEach(async () => {
    await server.close();
    await provider.close();
  });

  /** Begins at /start and plays the browser at the provider: answers the callback URL it sends back. */
  async function signInAtProvider(redirect = '/board', editAuthorizationUrl: (url: URL) => void = () => {}) {
    const started = await server.request({
      method: 'GET',
      url: `/api/v1/auth/oidc/start?redirect=${encodeURIComponent(redirect)}`,
      token: null,
    });
    expect(started.statusCode).toBe(302);
    const authorizationUrl = new URL(String(started.headers.location));
    editAuthorizationUrl(authorizationUrl);
    return provider.followToRedirect(authorizationUrl.href, redirectUri);
  }
  const callback = (url: URL) => server.request({ method: 'GET', url: `${url.pathname}${url.search}`, token: null });

  it('lists the provider for the sign-in page', async () => {
    const providers = await server.request({ method: 'GET', url: '/api/v1/auth/providers', token: null });
    expect(providers.statusCode).toBe(200);
    expect(providers.json()).toEqual({ password: true, oidc: [{ id: 'oidc', name: 'Local IdP', startUrl: '/api/v1/auth/oidc/start' }] });
  });

  it('signs in end to end: code flow with PKCE, a one-time code for the sign-in page, then the token pair', async () => {
    provider.signInAs({ sub: 'owner-at-idp', email: ownerEmail, email_verified: true });
    const started = await server.request({ method: 'GET', url: '/api/v1/auth/oidc/start?redirect=/board', token: null });
    const authorization = new URL(String(started.headers.location));
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toEqual(expect.any(String));
    expect(authorization.searchParams.get('nonce')).toEqual(expect.any(String));

    const back = await provider.followToRedirect(authorization.href, redirectUri);
    const finished = await callback(back);
    expect(finished.statusCode).toBe(302);
    const landing = new URL(String(finished.headers.location), 'http://dashboard.invalid');
    expect(landing.pathname).toBe('/login');
    expect(landing.searchParams.get('next')).toBe('/board');
    const code = landing.searchParams.get('oidcCode');
    expect(code).toMatch(/^mc_sso_/);

    const exchanged = await server.request({ method: 'POST', url: '/api/v1/auth/oidc/exchange', payload: { code }, token: null });
    expect(exchanged.statusCode).toBe(200);
    expect(exchanged.json()).toMatchObject({ tokenType: 'Bearer', role: 'owner', user: { email: ownerEmail } });
    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: exchanged.json().accessToken });
    expect(me.statusCode).toBe(200);

    const identities = await server.database.db.selectFrom('user_identities').selectAll().execute();
    expect(identities).toEqual([expect.objectContaining({ issuer: provider.issuer, subject: 'owner-at-idp', email: ownerEmail })]);
    const stored = JSON.stringify(await server.database.db.selectFrom('oidc_sign_ins').selectAll().execute());
    expect(stored).not.toContain(String(code));
    expect(stored).not.toContain(String(authorization.searchParams.get('state')));

    const again = await server.request({ method: 'POST', url: '/api/v1/auth/oidc/exchange', payload: { code }, token: null });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('OIDC_CODE_INVALID');
    const replayed = await callback(back);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.code).toBe('OIDC_STATE_INVALID');
  });

  it('answers 401 OIDC_STATE_INVALID to a state it did not issue, and stores no session', async () => {
    const back = await signInAtProvider();
    back.searchParams.set('state', 'a-state-nobody-issued');
    const refused = await callback(back);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('OIDC_STATE_INVALID');
    expect(await server.database.db.selectFrom('user_identities').selectAll().execute()).toHaveLength(0);
  });

  it('answers 401 OIDC_SIGN_IN_FAILED when the ID token carries another nonce', async () => {
    const back = await signInAtProvider('/board', (url) => url.searchParams.set('nonce', 'a-nonce-of-someone-else'));
    const refused = await callback(back);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('OIDC_SIGN_IN_FAILED');
    expect(refused.json().error.message).toMatch(/nonce/i);
  });

  it('answers 401 OIDC_SIGN_IN_FAILED when the ID token has expired by the server clock', async () => {
    const back = await signInAtProvider();
    server.clock.advance(3 * 60_000);
    const refused = await callback(back);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('OIDC_SIGN_IN_FAILED');
    expect(refused.json().error.message).toMatch(/exp/i);
  });

  it('sends a browser whose sign-in is refused to the sign-in page with the reason, not to an error body', async () => {
    const back = await signInAtProvider();
    server.clock.advance(3 * 60_000);
    const refused = await server.request({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { accept: 'text/html,application/xhtml+xml' },
      token: null,
    });
    expect(refused.statusCode).toBe(302);
    const location = new URL(String(refused.headers.location), 'http://dashboard.invalid');
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('ssoError')).toBe('OIDC_SIGN_IN_FAILED');
    expect(location.searchParams.get('ssoMessage')).toMatch(/Start again from the sign-in page/);
  });

  it('never links by an unverified email: 403 OIDC_EMAIL_UNVERIFIED', async () => {
    provider.signInAs({ sub: 'impostor', email: ownerEmail, email_verified: false });
    const refused = await callback(await signInAtProvider());
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('OIDC_EMAIL_UNVERIFIED');
    expect(await server.database.db.selectFrom('user_identities').selectAll().execute()).toHaveLength(0);
  });

  it('answers 403 OIDC_DOMAIN_NOT_ALLOWED outside the allowed domains and 403 OIDC_ACCOUNT_NOT_FOUND without an account', async () => {
    provider.signInAs({ sub: 'outsider', email: 'someone@elsewhere.org', email_verified: true });
    const outside = await callback(await signInAtProvider());
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OIDC_DOMAIN_NOT_ALLOWED');

    provider.signInAs({ sub: 'stranger', email: 'stranger@example.com', email_verified: true });
    const stranger = await callback(await signInAtProvider());
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().error.code).toBe('OIDC_ACCOUNT_NOT_FOUND');
  });

  it('refuses a redirect to another site with 400 VALIDATION_FAILED', async () => {
    const refused = await server.request({ method: 'GET', url: '/api/v1/auth/oidc/start?redirect=//evil.example', token: null });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describeEachEngine('single sign-on when not set up', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('offers password sign-in only and answers 404 OIDC_NOT_CONFIGURED to /start', async () => {
    const providers = await server.request({ method: 'GET', url: '/api/v1/auth/providers', token: null });
    expect(providers.json()).toEqual({ password: true, oidc: [] });
    const start = await server.request({ method: 'GET', url: '/api/v1/auth/oidc/start', token: null });
    expect(start.statusCode).toBe(404);
    expect(start.json().error.code).toBe('OIDC_NOT_CONFIGURED');
  });
});
