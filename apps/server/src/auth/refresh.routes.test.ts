import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../test/test-server.js';

describeEachEngine('refreshing a session', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const login = async () =>
    (
      await server.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: ownerEmail, password: ownerPassword },
        token: null,
      })
    ).json();
  const refresh = (refreshToken: string) =>
    server.request({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken }, token: null });
  const me = (accessToken: string) => server.request({ method: 'GET', url: '/api/v1/auth/me', token: accessToken });
  const pairOf = (body: { accessToken: string; refreshToken: string; accessTokenExpiresAt: string; refreshTokenExpiresAt: string }) => ({
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    accessTokenExpiresAt: body.accessTokenExpiresAt,
    refreshTokenExpiresAt: body.refreshTokenExpiresAt,
  });
  const storedRefreshTokens = () => server.database.db.selectFrom('refresh_tokens').selectAll().execute();

  it('answers ten concurrent refreshes of one token with the same new pair, and the family keeps working', async () => {
    const session = await login();
    const rowsBefore = (await storedRefreshTokens()).length;
    server.clock.advance(1_000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(session.refreshToken)));
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(10).fill(200));
    const pairs = answers.map((answer) => pairOf(answer.json()));
    const [first] = pairs;
    if (!first) throw new Error('no answer');
    for (const pair of pairs) expect(pair).toEqual(first);
    expect(first.refreshToken).not.toBe(session.refreshToken);

    // One successor was stored, by its hash only.
    const rows = await storedRefreshTokens();
    expect(rows).toHaveLength(rowsBefore + 1);
    expect(JSON.stringify(rows)).not.toContain(first.refreshToken);
    expect(JSON.stringify(rows)).not.toContain(first.refreshToken.slice(4));

    expect((await me(first.accessToken)).statusCode).toBe(200);
    server.clock.advance(60_000);
    const next = await refresh(first.refreshToken);
    expect(next.statusCode).toBe(200);
    expect((await me(next.json().accessToken)).statusCode).toBe(200);
    expect((await server.database.db.selectFrom('sessions').select('revoked_at').execute()).every((row) => row.revoked_at === null)).toBe(
      true,
    );
  });

  it('answers the same pair to a retry within 10 s, without storing anything more', async () => {
    const session = await login();
    const first = await refresh(session.refreshToken);
    expect(first.statusCode).toBe(200);
    const rowsAfterFirst = await storedRefreshTokens();
    server.clock.advance(9_000);
    const retry = await refresh(session.refreshToken);
    expect(retry.statusCode).toBe(200);
    expect(pairOf(retry.json())).toEqual(pairOf(first.json()));
    expect(await storedRefreshTokens()).toEqual(rowsAfterFirst);
  });

  it('still revokes the whole family when a used token comes back after the grace window', async () => {
    const session = await login();
    const first = await refresh(session.refreshToken);
    expect(first.statusCode).toBe(200);
    server.clock.advance(11_000);
    const replay = await refresh(session.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refresh(first.json().refreshToken)).statusCode).toBe(401);
    expect((await me(first.json().accessToken)).statusCode).toBe(401);
    const sessions = await server.database.db.selectFrom('sessions').select('revoked_at').execute();
    expect(sessions.filter((row) => row.revoked_at !== null)).toHaveLength(1);
  });
});
