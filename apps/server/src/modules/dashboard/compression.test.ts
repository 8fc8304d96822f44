import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCompression } from './compression.js';
import { dashboardRoutes } from './dashboard.routes.js';

describe('compression', () => {
  let directory: string;
  let app: FastifyInstance;
  const script = `console.log(${JSON.stringify('x'.repeat(4_000))});`;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-compressed-'));
    fs.mkdirSync(path.join(directory, 'assets'));
    fs.writeFileSync(path.join(directory, 'index.html'), `<!doctype html><div id="root"></div>${'<!-- pad -->'.repeat(200)}`);
    fs.writeFileSync(path.join(directory, 'index.html.br'), zlib.brotliCompressSync(fs.readFileSync(path.join(directory, 'index.html'))));
    fs.writeFileSync(path.join(directory, 'assets', 'app-abc.js'), script);
    fs.writeFileSync(path.join(directory, 'assets', 'app-abc.js.br'), zlib.brotliCompressSync(script));
    fs.writeFileSync(path.join(directory, 'assets', 'app-abc.js.gz'), zlib.gzipSync(script));
    app = Fastify();
    await registerCompression(app);
    app.get('/api/v1/big', async () => ({ items: Array.from({ length: 500 }, (_, index) => ({ index, name: `item ${index}` })) }));
    app.get('/api/v1/small', async () => ({ ok: true }));
    app.get('/api/v1/stream', async (_request, reply) => {
      reply.type('text/event-stream');
      return `data: ${'y'.repeat(5_000)}\n\n`;
    });
    await app.register(dashboardRoutes, { directory });
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('answers large JSON with brotli or gzip, as asked, and leaves small answers alone', async () => {
    const br = await app.inject({ method: 'GET', url: '/api/v1/big', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString()).items).toHaveLength(500);
    expect(br.rawPayload.length).toBeLessThan(JSON.stringify({ items: [] }).length + 5_000);
    const gzip = await app.inject({ method: 'GET', url: '/api/v1/big', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gzip.rawPayload).toString()).items).toHaveLength(500);
    const plain = await app.inject({ method: 'GET', url: '/api/v1/big' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const small = await app.inject({ method: 'GET', url: '/api/v1/small', headers: { 'accept-encoding': 'br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('never compresses an event stream, so each event leaves at once', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/stream', headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.startsWith('data: ')).toBe(true);
  });

  it('serves the precompressed build files of the dashboard as they are', async () => {
    const br = await app.inject({ method: 'GET', url: '/assets/app-abc.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    const gzip = await app.inject({ method: 'GET', url: '/assets/app-abc.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.rawPayload).toString()).toBe(script);
    const index = await app.inject({ method: 'GET', url: '/tasks', headers: { 'accept-encoding': 'br' } });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(index.rawPayload).toString()).toContain('<div id="root">');
  });
});
