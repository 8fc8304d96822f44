import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MissionControl } from './index.js';

const workspace = {
  id: '0190a3b4-0000-7000-8000-000000000001',
  name: 'W',
  slug: 'w',
  taskKeyPrefix: 'TASK',
  wipLimits: {},
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

describe('server-sent events', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  const agentId = '0190a3b4-0000-7000-8000-000000000002';
  const stored = {
    id: '0190a3b4-0000-7000-8000-000000000003',
    agentId,
    role: 'assistant',
    authorId: agentId,
    content: 'Hi there',
    createdAt: '2026-01-01T09:00:00.000Z',
  };
  const done = {
    type: 'done',
    message: stored,
    runId: '0190a3b4-0000-7000-8000-000000000004',
    tokensIn: 1,
    tokensOut: 2,
    costMicroDollars: 3,
  };
  const event = (data: unknown) => `event: ${(data as { type?: string }).type ?? 'message'}\ndata: ${JSON.stringify(data)}\n\n`;
  const eventStream = (response: http.ServerResponse) => response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });

  it('lets a stream run past the timeout once it has begun', async () => {
    let finish: (() => void) | undefined;
    const server = await startScriptedServer([
      (_request, response) => {
        eventStream(response);
        response.write(event({ type: 'delta', text: 'Hi ' }));
        finish = () => response.end(event({ type: 'delta', text: 'there' }) + event(done));
      },
    ]);
    close = server.close;
    // Long enough that a loaded machine still begins the answer in time; the pause below outlasts it.
    const timeoutMs = 1_000;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast, timeoutMs });
    const types: string[] = [];
    for await (const answer of client.runtime.chat(agentId, 'hello')) {
      types.push(answer.type);
      if (types.length === 1) {
        // Well past the timeout before the rest of the answer is sent.
        await new Promise((resolve) => setTimeout(resolve, timeoutMs * 1.5));
        finish?.();
      }
    }
    expect(types).toEqual(['delta', 'delta', 'done']);
  });

  it('fails as TIMEOUT when the stream does not begin in time', async () => {
    const server = await startScriptedServer([() => undefined]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: { retries: 0 }, timeoutMs: 50 });
    await expect(client.runtime.chat(agentId, 'hello').next()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('rejects an event that does not match the contract, and an answer that is not an event stream', async () => {
    const server = await startScriptedServer([
      (_request, response) => {
        eventStream(response);
        response.end(event({ type: 'delta', text: 'fine' }) + event({ type: 'done', message: 'not a message' }));
      },
      json(200, done),
    ]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    const stream = client.runtime.chat(agentId, 'hello');
    expect((await stream.next()).value).toEqual({ type: 'delta', text: 'fine' });
    await expect(stream.next()).rejects.toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
    await expect(client.runtime.chat(agentId, 'hello').next()).rejects.toMatchObject({
      code: 'INVALID_RESPONSE',
      message: expect.stringMatching(/instead of server-sent events/),
    });
  });

  it('fails when the answer stops before its last event', async () => {
    const server = await startScriptedServer([
      (_request, response) => {
        eventStream(response);
        response.end(event({ type: 'delta', text: 'half an ans' }));
      },
    ]);
    close = server.close;
    const client = new MissionControl({ baseUrl: server.url, apiKey: 'mc_test', retry: fast });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const answer of client.runtime.chat(agentId, 'hello')) if (answer.type === 'delta') seen.push(answer.text);
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['half an ans']);
    expect(failure).toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringMatching(/before it was complete/) });
  });
});
