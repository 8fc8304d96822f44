import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../test/test-server.js';

const origin = 'https://dashboard.example.com';

// Browser rules over HTTP headers: no storage involved, so SQLite alone.
describe('CORS with MISSION_CORS_ORIGINS set', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer('sqlite', { config: { corsOrigins: [origin] } });
  });
  afterAll(async () => {
    await server.close();
  });

  const preflight = (method: string, url: string, from = origin) =>
    server.app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin: from,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization, content-type, idempotency-key, if-match',
      },
    });

  const listed = (header: unknown) =>
    String(header)
      .split(',')
      .map((entry) => entry.trim().toLowerCase());

  for (const [method, url] of [
    ['PATCH', '/api/v1/tasks/TASK-1'],
    ['DELETE', '/api/v1/tasks/TASK-1'],
    ['PUT', '/api/v1/state/working-md'],
  ] as const) {
    it(`allows a preflight for ${method} with the headers the API reads`, async () => {
      const response = await preflight(method, url);
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
      expect(listed(response.headers['access-control-allow-methods'])).toEqual(
        expect.arrayContaining(['get', 'head', 'post', 'put', 'patch', 'delete']),
      );
      expect(listed(response.headers['access-control-allow-headers'])).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-match']),
      );
    });
  }

  it('does not allow another origin', async () => {
    const response = await preflight('PATCH', '/api/v1/tasks/TASK-1', 'https://evil.example.com');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the browser read the headers clients act on', async () => {
    const response = await server.request({ method: 'GET', url: '/api/v1/tasks', headers: { origin } });
    expect(response.statusCode).toBe(200);
    expect(listed(response.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining(['retry-after', 'etag', 'www-authenticate']),
    );
  });
});
