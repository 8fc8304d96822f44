import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MissionControl } from './index.js';

const workspace = {
  id: '0190a3b4-0000-7000-8000-000000000001',
  name: 'W',
  slug: 'w',
  taskKeyPrefix: 'TASK',
  createdAt: '2026-01-01T09:00:00.000Z',
};

interface Seen {
  method: string;
  url: string;
  idempotencyKey: string | undefined;
}

/** A real HTTP server that answers from a script, one entry per request, and records what it got. */
async function startScriptedServer(script: ((request: http.IncomingMessage, response: http.ServerResponse) => void)[]) {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const idempotencyKey = request.headers['idempotency-key'];
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
    });
    const step = script[Math.min(seen.length - 1, script.length - 1)];
    request.resume();
    request.on('end', () => step?.(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_request: http.IncomingMessage, response: http.ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
const unavailable = json(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'starting up' } });
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 50 };

describe('retries', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  it('retries a GET after 503 and returns the answer that follows', async () => {
    const server = await startScriptedServer([unavailable, unavailable, json(200, workspace)]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    expect(await client.workspaces.current()).toEqual(workspace);
    expect(server.seen).toHaveLength(3);
  });

  it('retries a POST with the same Idempotency-Key on every attempt', async () => {
    const server = await startScriptedServer([unavailable, json(201, workspace)]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    await client.workspaces.create({ name: 'W' });
    expect(server.seen).toHaveLength(2);
    const [first, second] = server.seen;
    expect(first?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
  });

  it('retries after a dropped connection', async () => {
    const server = await startScriptedServer([(request) => request.socket.destroy(), json(200, workspace)]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    expect((await client.workspaces.current()).slug).toBe('w');
    expect(server.seen).toHaveLength(2);
  });

  it('honours a Retry-After of 429 and gives the error back when the wait is longer than allowed', async () => {
    const limited = json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '0' });
    const server = await startScriptedServer([limited, json(200, workspace)]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    expect((await client.workspaces.current()).id).toBe(workspace.id);

    const patient = await startScriptedServer([
      json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '3600' }),
    ]);
    try {
      const impatient = new MissionControl({ baseUrl: patient.url, apiKey: 'mc_test', retry: fast });
      await expect(impatient.workspaces.current()).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 3600 });
      expect(patient.seen).toHaveLength(1);
    } finally {
      await patient.close();
    }
  });

  it('never retries a PATCH, and stops after the configured retries', async () => {
    const server = await startScriptedServer([unavailable]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    await expect(client.tasks.update('TASK-1', { title: 'x' })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(server.seen).toHaveLength(1);
    await expect(client.workspaces.current()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(server.seen).toHaveLength(1 + 4);
  });

  it('rejects an answer that does not match the contract instead of passing it on', async () => {
    const server = await startScriptedServer([json(200, { id: 'not-a-uuid' })]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    await expect(client.workspaces.current()).rejects.toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
  });

  it('answers the health report of a 503 (database down) at once instead of retrying or throwing', async () => {
    const report = {
      status: 'degraded',
      version: '1.0.0',
      uptimeSeconds: 5,
      database: { status: 'down', error: 'connection refused', engine: 'postgres' },
    };
    const server = await startScriptedServer([json(503, report)]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, retry: fast });
    expect(await client.health()).toEqual(report);
    expect(server.seen).toEqual([{ method: 'GET', url: '/api/health', idempotencyKey: undefined }]);
  });

  it('sends a refresh once, even when the answer is a 503', async () => {
    const server = await startScriptedServer([unavailable]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, retry: fast });
    await expect(client.auth.refresh('mcr_once')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(server.seen).toHaveLength(1);
  });

  it('reports an unreachable server as NETWORK_ERROR with what to check', async () => {
    const server = await startScriptedServer([json(200, workspace)]);
    await server.close();
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 } });
    await expect(client.workspaces.current()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: expect.stringMatching(/server is running/),
    });
  });
});
