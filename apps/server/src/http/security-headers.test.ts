import helmet from 'helmet';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { computeSecurityHeaders, securityHeaderOptions } from './security-headers.js';

/** What helmet sets on a real Node response for the same options (the per-request way). */
function headersHelmetSetsPerRequest(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  (helmet(securityHeaderOptions) as unknown as (q: unknown, r: unknown, n: () => void) => void)({ headers: {} }, response, () => {});
  return headers;
}

it('computes the same headers helmet sets, once', () => {
  const headers = computeSecurityHeaders();
  expect(headers).toEqual(headersHelmetSetsPerRequest());
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  expect(headers['x-frame-options']).toBe('SAMEORIGIN');
});

describeEachEngine('security headers on every answer', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });

  it('sets them on success, on errors, on unauthenticated answers and on unknown routes', async () => {
    const expected = computeSecurityHeaders();
    const task = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Headers' } });
    expect(task.statusCode).toBe(201);
    const answers = [
      task,
      await server.request({ method: 'GET', url: `/api/v1/tasks/${task.json().id}` }),
      await server.request({ method: 'GET', url: '/api/v1/tasks/00000000-0000-7000-8000-000000000000' }),
      await server.request({ method: 'GET', url: '/api/v1/tasks', token: null }),
      await server.request({ method: 'GET', url: '/api/v1/nope' }),
      await server.request({ method: 'GET', url: '/api/v1/health', token: null }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 200, 404, 401, 404, answers[5]?.statusCode]);
    for (const answer of answers) {
      for (const [name, value] of Object.entries(expected)) expect(answer.headers[name], name).toBe(value);
    }
  });
});
