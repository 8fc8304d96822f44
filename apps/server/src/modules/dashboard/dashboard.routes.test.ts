import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from './dashboard.routes.js';

async function appServing(directory: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } }));
  app.get('/api/v1/ping', async () => ({ ok: true }));
  await app.register(dashboardRoutes, { directory });
  return app;
}

describe('dashboard routes', () => {
  let directory: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-dist-'));
    fs.mkdirSync(path.join(directory, 'assets'));
    fs.writeFileSync(
      path.join(directory, 'index.html'),
      '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>',
    );
    fs.writeFileSync(path.join(directory, 'assets', 'index-abc123.js'), 'console.log("app")');
    fs.writeFileSync(path.join(directory, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await appServing(directory);
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('answers / with index.html that browsers revalidate', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<div id="root">');
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.body).toBe('console.log("app")');
  });

  it('serves other files without the immutable cache', async () => {
    const response = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers client-side routes with index.html so a reload keeps the page', async () => {
    const response = await app.inject({ method: 'GET', url: '/agents/0193d6a0-0000-7000-8000-000000000001?tab=keys' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<div id="root">');
  });

  it('keeps the JSON 404 for unknown API paths and missing assets', async () => {
    const api = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    const asset = await app.inject({ method: 'GET', url: '/assets/gone-123.js' });
    expect(asset.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({ ok: true });
  });

  it('says to run npm run build when the dashboard is not built', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-missing-'));
    const bare = await appServing(path.join(empty, 'dist'));
    try {
      const response = await bare.inject({ method: 'GET', url: '/' });
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('npm run build');
      expect(response.body).not.toContain('<script');
      const api = await bare.inject({ method: 'GET', url: '/api/v1/nothing-here' });
      expect(api.statusCode).toBe(404);
    } finally {
      await bare.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
