import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createTestServer, type TestServer, testAppConfig } from '../test/test-server.js';
import { answerClientError } from './error-handler.js';

const errorBodyShape = { error: { code: expect.any(String), message: expect.any(String) } };

/** Sends raw bytes on a new connection and reads everything until the server closes it. */
function sendRaw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

/** Splits a raw HTTP/1.1 answer into its status and its JSON body. */
function parseRawAnswer(raw: string): { status: number; headers: string; body: unknown } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, headers: head.toLowerCase(), body: JSON.parse(rest.join('\r\n\r\n')) };
}

async function listen(app: FastifyInstance): Promise<number> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return Number(new URL(address).port);
}

// What Fastify and its plugins raise outside the services: no storage involved, so SQLite alone.
describe('errors the framework raises', () => {
  let server: TestServer | undefined;
  const extraApps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of extraApps.splice(0)) await app.close();
    await server?.close();
    server = undefined;
  });

  it('answers a path parameter over 100 characters with 400 VALIDATION_FAILED in the one error body', async () => {
    server = await createTestServer('sqlite');
    const response = await server.request({ method: 'GET', url: `/api/v1/tasks/${'a'.repeat(101)}` });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/longer than 100 characters/) },
    });
  });

  it('answers a URL that does not decode with 400 VALIDATION_FAILED', async () => {
    server = await createTestServer('sqlite');
    for (const url of ['/api/v1/tasks/%E0%A4%A', '/api/v1/tasks/%ED%A0%80']) {
      const response = await server.request({ method: 'GET', url });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/does not decode/) } });
    }
  });

  it('answers an unknown method, a body too large, a wrong media type and a short body in the one error body', async () => {
    server = await createTestServer('sqlite', { config: { bodyLimitBytes: 1_000 } });
    const method = await server.request({ method: 'PROPFIND' as 'GET', url: '/api/v1/tasks' });
    expect(method.statusCode).toBe(404);
    expect(method.json().error.code).toBe('ROUTE_NOT_FOUND');

    const large = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'x'.repeat(2_000) } });
    expect(large.statusCode).toBe(413);
    expect(large.json().error.code).toBe('PAYLOAD_TOO_LARGE');

    const xml = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const short = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'content-type': 'application/json', 'content-length': '100' },
      payload: '{"title":"x"}',
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('MALFORMED_JSON');
  });

  it('answers a plain HTTP request to a WebSocket stream with 404 ROUTE_NOT_FOUND saying to use a WebSocket', async () => {
    server = await createTestServer('sqlite');
    const response = await server.request({ method: 'GET', url: '/api/v1/ws/activities' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: expect.stringMatching(/WebSocket client/) } });
  });

  it('answers requests the HTTP parser refuses (not HTTP, headers too large) with the one error body', async () => {
    server = await createTestServer('sqlite');
    const port = await listen(server.app);

    const garbage = parseRawAnswer(await sendRaw(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(garbage.status).toBe(400);
    expect(garbage.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/not valid HTTP/) } });

    const huge = parseRawAnswer(await sendRaw(port, `GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(huge.status).toBe(431);
    expect(huge.body).toEqual({ error: { code: 'REQUEST_HEADERS_TOO_LARGE', message: expect.any(String) } });
    expect(huge.headers).toContain('connection: close');
  });

  it('answers a WebSocket handshake the ws library refuses with the one error body', async () => {
    server = await createTestServer('sqlite');
    const port = await listen(server.app);
    const upgrade = (headers: string) =>
      sendRaw(port, `GET /api/v1/ws/activities HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${headers}\r\n`);

    const noKey = parseRawAnswer(await upgrade('Sec-WebSocket-Version: 13\r\n'));
    expect(noKey.status).toBe(400);
    expect(noKey.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/Sec-WebSocket-Key/) } });

    const badVersion = parseRawAnswer(await upgrade('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n'));
    expect(badVersion.status).toBe(400);
    expect(badVersion.headers).toContain('sec-websocket-version: 13, 8');
    expect(badVersion.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/Sec-WebSocket-Version/) } });

    const badProtocol = parseRawAnswer(
      await upgrade('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a,,b\r\n'),
    );
    expect(badProtocol.status).toBe(400);
    expect(badProtocol.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/Sec-WebSocket-Protocol/) } });
  });

  it('answers headers that never finish arriving with 408 REQUEST_TIMEOUT', async () => {
    // Node's headers timeout is a minute: the handler is given a real socket and the error Node raises.
    server = await createTestServer('sqlite');
    const app = server.app;
    const listener = net.createServer();
    const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    const { port } = listener.address() as net.AddressInfo;
    const received = sendRaw(port, '');
    const serverSide = await accepted;
    answerClientError.call(app, Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), serverSide);
    const answer = parseRawAnswer(await received);
    listener.close();
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) } });
  });

  it('answers a request that arrives while the server drains with 503 SERVICE_UNAVAILABLE', async () => {
    server = await createTestServer('sqlite');
    const app = server.app;
    const port = await listen(app);
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // The first request is routed before the close and keeps the connection busy until its body is in.
    const routed = new Promise<void>((resolve) => app.server.once('request', () => resolve()));
    const body = '{"email":"nobody@example.com","password":"not it"}';
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    await routed;
    const closed = app.close();
    while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    // Its body, then a second request on the same connection, which arrives during the drain.
    socket.write(`${body}GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n`);
    await socketClosed;
    await closed;
    const answers = received.split(/(?=HTTP\/1\.1 \d{3})/).map(parseRawAnswer);
    expect(answers.map((answer) => answer.status)).toEqual([401, 503]);
    expect(answers[1]?.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/shutting down/) } });
  });

  it('answers errors of the static file plugin in the one error body', async () => {
    server = await createTestServer('sqlite');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-dashboard-'));
    fs.writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>Mission Control</title>');
    fs.mkdirSync(path.join(directory, 'assets'));
    fs.writeFileSync(path.join(directory, 'assets', 'app.js'), 'console.log("dashboard")');
    const app = await buildApp({ config: testAppConfig, services: server.services, dashboardDirectory: directory });
    extraApps.push(app);
    const range = await app.inject({ method: 'GET', url: '/assets/app.js', headers: { range: 'bytes=1000-2000' } });
    expect(range.statusCode).toBe(416);
    expect(range.json()).toEqual(errorBodyShape);
    const missing = await app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ROUTE_NOT_FOUND');
    fs.rmSync(directory, { recursive: true, force: true });
  });
});
