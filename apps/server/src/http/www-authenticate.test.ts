import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../test/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(async () => {
  await server.close();
});

it('challenges a request without a credential with WWW-Authenticate: Bearer', async () => {
  const response = await server.request({ method: 'GET', url: '/api/v1/tasks', token: null });
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe('Bearer realm="Mission Control"');
});

it('says invalid_token, with the reason, when the credential was refused', async () => {
  const garbage = await server.request({ method: 'GET', url: '/api/v1/tasks', token: 'not-a-jwt' });
  expect(garbage.statusCode).toBe(401);
  expect(garbage.json().error.code).toBe('TOKEN_INVALID');
  expect(garbage.headers['www-authenticate']).toMatch(/^Bearer realm="Mission Control", error="invalid_token", error_description="[^"]+"$/);
  const unknownKey = await server.request({ method: 'GET', url: '/api/v1/tasks', token: 'mc_doesnotexist' });
  expect(unknownKey.headers['www-authenticate']).toContain('error="invalid_token"');
});

it('challenges a failed sign-in too, and leaves answers other than 401 without a challenge', async () => {
  const login = await server.request({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'nobody@example.com', password: 'not the password' },
    token: null,
  });
  expect(login.statusCode).toBe(401);
  expect(login.headers['www-authenticate']).toBe('Bearer realm="Mission Control"');
  const missing = await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-404' });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['www-authenticate']).toBeUndefined();
});
