import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../test/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(async () => {
  await server.close();
});

it('describes every endpoint with request and response schemas in OpenAPI 3.1', async () => {
  const response = await server.request({ method: 'GET', url: '/api/v1/openapi.json', token: null });
  expect(response.statusCode).toBe(200);
  const document = response.json();
  expect(document.openapi).toBe('3.1.0');
  const expected: [string, string][] = [
    ['post', '/api/v1/auth/login'],
    ['post', '/api/v1/auth/refresh'],
    ['post', '/api/v1/auth/logout'],
    ['get', '/api/v1/auth/me'],
    ['get', '/api/v1/agents'],
    ['post', '/api/v1/agents'],
    ['get', '/api/v1/agents/{id}'],
    ['patch', '/api/v1/agents/{id}'],
    ['delete', '/api/v1/agents/{id}'],
    ['post', '/api/v1/agents/{id}/api-keys'],
    ['delete', '/api/v1/agents/{id}/api-keys/{keyId}'],
    ['get', '/api/v1/tasks'],
    ['post', '/api/v1/tasks'],
    ['get', '/api/v1/tasks/{id}'],
    ['patch', '/api/v1/tasks/{id}'],
    ['delete', '/api/v1/tasks/{id}'],
    ['post', '/api/v1/tasks/{id}/assign'],
    ['post', '/api/v1/tasks/{id}/status'],
    ['get', '/api/v1/activities'],
    ['get', '/api/v1/activities/agent/{agentId}'],
    ['get', '/api/v1/activities/task/{taskId}'],
    ['get', '/api/v1/notifications'],
    ['put', '/api/v1/notifications/{id}/read'],
    ['post', '/api/v1/notifications/mark-all-read'],
  ];
  for (const [method, path] of expected) {
    const operation = document.paths[path]?.[method];
    expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
    expect(Object.keys(operation.responses).length, `${method} ${path} responses`).toBeGreaterThan(0);
    if (method === 'post' && !path.endsWith('/logout') && !path.endsWith('mark-all-read')) {
      expect(operation.requestBody, `${method} ${path} request body`).toBeDefined();
    }
  }
  expect(document.components.schemas.Task).toBeDefined();
  expect(document.components.schemas.ErrorBody).toBeDefined();

  const docs = await server.request({ method: 'GET', url: '/api/docs/', token: null });
  expect(docs.statusCode).toBe(200);
  expect(docs.body).toContain('swagger');
});

it('answers unknown routes with the error body', async () => {
  const response = await server.request({ method: 'GET', url: '/api/v1/nope' });
  expect(response.statusCode).toBe(404);
  expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
});

it('answers /api/health with the database status and sets security headers', async () => {
  const response = await server.request({ method: 'GET', url: '/api/health', token: null });
  expect(response.statusCode).toBe(200);
  expect(response.json()).toMatchObject({ status: 'ok', database: { status: 'up', engine: 'sqlite' } });
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(String(response.headers['content-security-policy'])).toContain("script-src 'self'");
});

it('rejects a body over the limit with 413', async () => {
  const response = await server.request({
    method: 'POST',
    url: '/api/v1/tasks',
    payload: { title: 'big', description: 'x'.repeat(1_100_000) },
  });
  expect(response.statusCode).toBe(413);
  expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
});
