import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer, testSigningKey } from '../test/test-server.js';

describeEachEngine('access tokens', (engine) => {
  let server: TestServer;
  let claims: { sub: string; wid: string; sid: string };
  beforeAll(async () => {
    server = await createTestServer(engine);
    const payload = decodeJwt(server.ownerToken);
    claims = { sub: String(payload.sub), wid: String(payload.wid), sid: String(payload.sid) };
  });
  afterAll(async () => {
    await server.close();
  });

  /** A token signed with the server's own key, for a live session, with only the time claims asked for. */
  const forge = (times: { exp?: number; iat?: number }) => {
    let token = new SignJWT({ wid: claims.wid, sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer('mission-control')
      .setAudience('mission-control-api');
    if (times.iat !== undefined) token = token.setIssuedAt(times.iat);
    if (times.exp !== undefined) token = token.setExpirationTime(times.exp);
    return token.sign(testSigningKey);
  };
  const nowSeconds = () => Math.floor(server.clock.now().getTime() / 1000);
  const me = (token: string) => server.request({ method: 'GET', url: '/api/v1/auth/me', token });

  it('accepts a token with exp and iat signed by the server key (the forgery is faithful)', async () => {
    const response = await me(await forge({ iat: nowSeconds(), exp: nowSeconds() + 60 }));
    expect(response.statusCode).toBe(200);
  });

  it('refuses a token without exp (it would never expire) with 401 TOKEN_INVALID', async () => {
    const token = await forge({ iat: nowSeconds() });
    const response = await me(token);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('TOKEN_INVALID');
  });

  it('refuses a token without iat with 401 TOKEN_INVALID', async () => {
    const response = await me(await forge({ exp: nowSeconds() + 60 }));
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('TOKEN_INVALID');
  });
});
