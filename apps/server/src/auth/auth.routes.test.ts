import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../test/test-server.js';

describeEachEngine('auth', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const login = (email = ownerEmail, password = ownerPassword) =>
    server.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, token: null });

  it('signs in with email and password and answers who the caller is', async () => {
    const response = await login();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', role: 'owner', user: { email: ownerEmail }, workspace: { slug: 'default' } });
    expect(body.refreshToken).toMatch(/^mcr_/);
    expect(JSON.stringify(body)).not.toContain('password');

    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: body.accessToken });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'user', role: 'owner', user: { email: ownerEmail } });
  });

  it('answers a wrong password and an unknown email with the same 401 INVALID_CREDENTIALS', async () => {
    const wrongPassword = await login(ownerEmail, 'not the password');
    const unknownEmail = await login('nobody@example.com', 'not the password');
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownEmail.json());
    expect(wrongPassword.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('rejects requests without a token, with a malformed token, or with an unknown API key', async () => {
    const none = await server.request({ method: 'GET', url: '/api/v1/tasks', token: null });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHENTICATED');
    const garbage = await server.request({ method: 'GET', url: '/api/v1/tasks', token: 'not-a-jwt' });
    expect(garbage.json().error.code).toBe('TOKEN_INVALID');
    const unknownKey = await server.request({ method: 'GET', url: '/api/v1/tasks', token: 'mc_doesnotexist' });
    expect(unknownKey.statusCode).toBe(401);
    expect(unknownKey.json().error.code).toBe('API_KEY_INVALID');
  });

  it('answers 401 TOKEN_EXPIRED once the access token has expired, and refresh gives a working one', async () => {
    const session = (await login()).json();
    server.clock.advance(901_000);
    const expired = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: session.accessToken });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('TOKEN_EXPIRED');

    const refreshed = await server.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
      token: null,
    });
    expect(refreshed.statusCode).toBe(200);
    const fresh = refreshed.json();
    expect(fresh.refreshToken).not.toBe(session.refreshToken);
    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: fresh.accessToken });
    expect(me.statusCode).toBe(200);
  });

  it('revokes the whole session when a refresh token is used twice', async () => {
    const session = (await login()).json();
    const refresh = (refreshToken: string) =>
      server.request({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken }, token: null });
    const first = await refresh(session.refreshToken);
    expect(first.statusCode).toBe(200);
    // Past the grace window in which a retry gets the same pair (refresh.routes.test.ts).
    server.clock.advance(11_000);
    const second = await refresh(session.refreshToken);
    expect(second.statusCode).toBe(401);
    expect(second.json().error.code).toBe('REFRESH_TOKEN_REUSED');

    // The token issued by the legitimate refresh belongs to the same family and is now dead too.
    const afterTheft = await refresh(first.json().refreshToken);
    expect(afterTheft.statusCode).toBe(401);
    const accessAfterTheft = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: first.json().accessToken });
    expect(accessAfterTheft.statusCode).toBe(401);
    const stored = await server.database.db.selectFrom('sessions').select('revoked_at').execute();
    expect(stored.filter((row) => row.revoked_at !== null).length).toBeGreaterThanOrEqual(1);
  });

  it('logout ends the session for its access and refresh tokens', async () => {
    const session = (await login()).json();
    const logout = await server.request({ method: 'POST', url: '/api/v1/auth/logout', token: session.accessToken });
    expect(logout.statusCode).toBe(204);
    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: session.accessToken });
    expect(me.statusCode).toBe(401);
    const refresh = await server.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
      token: null,
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('rejects malformed JSON, unknown fields and wrong types with 400 and a clear code', async () => {
    const malformed = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "owner@example.com",',
      token: null,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('MALFORMED_JSON');

    const unknownField = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword, admin: true },
      token: null,
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.code).toBe('VALIDATION_FAILED');

    const wrongType = await server.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 42, password: [] },
      token: null,
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.details.issues.map((issue: { path: string }) => issue.path)).toContain('body.email');
  });

  it('creates personal API keys that work as Bearer tokens until revoked', async () => {
    const created = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'scripts' } });
    expect(created.statusCode).toBe(201);
    const { apiKey, secret } = created.json();
    expect(secret).toMatch(/^mc_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).toBe(secret.slice(0, 11));

    const stored = await server.database.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(secret.slice(3));

    const listed = await server.request({ method: 'GET', url: '/api/v1/auth/api-keys' });
    expect(JSON.stringify(listed.json())).not.toContain(secret);

    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: secret });
    expect(me.statusCode).toBe(200);
    expect(me.json().kind).toBe('user');

    const revoked = await server.request({ method: 'DELETE', url: `/api/v1/auth/api-keys/${apiKey.id}` });
    expect(revoked.statusCode).toBe(200);
    const after = await server.request({ method: 'GET', url: '/api/v1/auth/me', token: secret });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('API_KEY_REVOKED');
  });
});
