import { randomBytes } from 'node:crypto';
import { endpoints, type Me, signatureHeader, signatureNonceHeader, signatureTimestampHeader } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FetchFunction, MissionControl } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A fetch that sends the request and remembers it, so a test can replay exactly what the SDK sent. */
function createRecordingFetch(): { fetch: FetchFunction; sent: RecordedRequest[] } {
  const sent: RecordedRequest[] = [];
  const fetch: FetchFunction = (url, init) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    sent.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body });
    return globalThis.fetch(url, init);
  };
  return { fetch, sent };
}

/** The agent a `me` answer names, or undefined for a user. */
function agentIdOf(me: Me): string | undefined {
  return me.kind === 'agent' ? me.agent.id : undefined;
}

/** The server's error code and message from an error answer. */
async function readError(response: Response): Promise<{ code: unknown; message: unknown }> {
  const body: unknown = await response.json();
  const error: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'error') : undefined;
  if (typeof error !== 'object' || error === null) return { code: undefined, message: undefined };
  return { code: Reflect.get(error, 'code'), message: Reflect.get(error, 'message') };
}

describeEachEngine('signed requests through the SDK against a real server', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  let agentId: string;
  let signedKey: string;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
    const { agent } = await server.createAgentWithKey();
    agentId = agent.id;
    const created = await owner.agents.createApiKey(agent.id, { name: 'signed', requireSignature: true });
    expect(created.apiKey.requireSignature).toBe(true);
    signedKey = created.secret;
  });
  afterAll(async () => {
    await server?.close();
  });

  const signedClient = (fetch?: FetchFunction) =>
    new MissionControl({ baseUrl: server.url, apiKey: signedKey, retry: { retries: 0 }, ...(fetch ? { fetch } : {}) });

  it('calls GET and POST endpoints with a key that requires signatures', async () => {
    const agent = signedClient();
    expect(agentIdOf(await agent.auth.me())).toBe(agentId);

    const created = await agent.requestWithResponse(endpoints.createTask, { body: { title: 'Signed by the agent' } });
    expect(created.status).toBe(201);
    expect(created.value).toMatchObject({ title: 'Signed by the agent' });
    // Stored: the owner reads it back, and the agent finds it through a query string it signed.
    expect(await owner.tasks.get(created.value.id)).toMatchObject({
      title: 'Signed by the agent',
      creator: { kind: 'agent', id: agentId },
    });
    const page = await agent.tasks.list({ status: 'inbox' }).page();
    expect(page.data.map((task) => task.id)).toContain(created.value.id);
    await agent.messages.post(created.value.id, { content: 'signed comment' });
    expect((await owner.messages.list(created.value.id).page()).data.map((message) => message.content)).toContain('signed comment');
  });

  it('uploads an attachment with a key that requires signatures', async () => {
    const agent = signedClient();
    const task = await owner.tasks.create({ title: 'Needs the logs' });
    const bytes = randomBytes(20_000);
    const uploaded = await agent.attachments.uploadToTask(task.id, 'trace.bin', bytes);
    expect(uploaded).toMatchObject({ taskId: task.id, name: 'trace.bin', size: 20_000 });
    const downloaded = await owner.attachments.download(uploaded.id);
    expect(Buffer.from(await downloaded.content.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses the same call made without signature headers', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${signedKey}` } });
    expect(response.status).toBe(401);
    expect((await readError(response)).code).toBe('SIGNATURE_INVALID');
    const posted = await fetch(`${server.url}/api/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${signedKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Unsigned' }),
    });
    expect(posted.status).toBe(401);
    expect((await readError(posted)).code).toBe('SIGNATURE_INVALID');
  });

  it('refuses a replay of exactly the headers and body the SDK signed', async () => {
    const { fetch: recordingFetch, sent } = createRecordingFetch();
    const agent = signedClient(recordingFetch);
    const task = await agent.tasks.create({ title: 'Sent once' });
    const original = sent.at(-1);
    if (!original) throw new Error('expected the SDK to have sent a request');
    expect(original.headers.get(signatureHeader)).toMatch(/^v1=[0-9a-f]{64}$/);

    const replay = await fetch(original.url, { method: original.method, headers: original.headers, body: original.body ?? null });
    expect(replay.status).toBe(401);
    // Refused as a replay, not as a bad signature: the signature itself still matches the request.
    expect(await readError(replay)).toMatchObject({ code: 'SIGNATURE_INVALID', message: expect.stringContaining('already received') });
    const titles: string[] = [];
    for await (const item of owner.tasks.list({ q: 'Sent once' })) titles.push(item.title);
    expect(titles.filter((title) => title === task.title)).toHaveLength(1);
  });

  it('accepts two identical GETs in quick succession, each with its own nonce', async () => {
    const { fetch: recordingFetch, sent } = createRecordingFetch();
    const agent = signedClient(recordingFetch);
    const [first, second] = await Promise.all([agent.auth.me(), agent.auth.me()]);
    expect(agentIdOf(first)).toBe(agentId);
    expect(agentIdOf(second)).toBe(agentId);
    expect(agentIdOf(await agent.auth.me())).toBe(agentId);
    const nonces = sent.map((request) => request.headers.get(signatureNonceHeader));
    expect(new Set(nonces).size).toBe(3);
    const timestamps = new Set(sent.map((request) => request.headers.get(signatureTimestampHeader)));
    expect(timestamps.size).toBeLessThanOrEqual(2);
  });

  it('signs the resend after a 401 renews the credential', async () => {
    let current = 'mc_not_a_real_key_at_all';
    const { fetch: recordingFetch, sent } = createRecordingFetch();
    const agent = new MissionControl({
      baseUrl: server.url,
      credential: () => current,
      onUnauthorized: async () => {
        current = signedKey;
        return true;
      },
      fetch: recordingFetch,
      retry: { retries: 0 },
    });
    expect(agentIdOf(await agent.auth.me())).toBe(agentId);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.headers.get(signatureNonceHeader)).not.toBe(sent[0]?.headers.get(signatureNonceHeader));
  });

  it('follows the event stream with a key that requires signatures', async () => {
    const agent = new MissionControl({ baseUrl: server.url, apiKey: signedKey, reconnect: { minDelayMs: 20, maxDelayMs: 100 } });
    const stream = agent.events.connect({ agentId });
    const failures: string[] = [];
    stream.onError((error) => failures.push(error.code));
    const ready: boolean[] = [];
    stream.onReady(({ resumed }) => ready.push(resumed));
    const titles: string[] = [];
    stream.subscribe('type:task-created', (activity) => titles.push(activity.summary));
    try {
      await expect.poll(() => ready, { timeout: 10_000 }).toEqual([false]);
      await owner.tasks.create({ title: 'For the signed stream', assignees: [{ kind: 'agent', id: agentId }] });
      await expect.poll(() => titles.some((title) => title.includes('For the signed stream')), { timeout: 10_000 }).toBe(true);
      // The reconnect signs its upgrade anew: the server refuses a signature it has seen.
      server.dropSockets();
      await expect.poll(() => ready, { timeout: 10_000 }).toEqual([false, true]);
      await owner.tasks.create({ title: 'After the reconnect', assignees: [{ kind: 'agent', id: agentId }] });
      await expect.poll(() => titles.some((title) => title.includes('After the reconnect')), { timeout: 10_000 }).toBe(true);
      expect(failures.filter((code) => code !== 'NETWORK_ERROR')).toEqual([]);
    } finally {
      stream.stop();
    }
  });

  it('cannot sign a stream whose credential goes in the URL, and says so', async () => {
    const agent = new MissionControl({ baseUrl: server.url, apiKey: signedKey, reconnect: { minDelayMs: 20, maxDelayMs: 100 } });
    const stream = agent.events.connect({ agentId, credentialIn: 'query' });
    const failures: { code: string; willReconnect: boolean }[] = [];
    stream.onError((error, { willReconnect }) => failures.push({ code: error.code, willReconnect }));
    try {
      await expect.poll(() => stream.status.state, { timeout: 10_000 }).toBe('closed');
      expect(failures.at(-1)).toEqual({ code: 'SIGNATURE_INVALID', willReconnect: false });
    } finally {
      stream.stop();
    }
  });
});
