import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('EventStream against a real server', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server.close();
  });

  it('resumes after the server drops every socket, missing nothing and repeating nothing', async () => {
    const stream = owner.events.connect({ reconnect: { minDelayMs: 20, maxDelayMs: 100 } });
    const seen: number[] = [];
    const titles: string[] = [];
    const ready: boolean[] = [];
    stream.subscribe('*', (_activity, seq) => seen.push(seq));
    stream.subscribe('type:task-created', (activity) => titles.push(activity.summary));
    stream.onReady(({ resumed }) => ready.push(resumed));
    try {
      await expect.poll(() => stream.status.state).toBe('live');
      await owner.tasks.create({ title: 'before the drop' });
      await expect.poll(() => titles.some((title) => title.includes('before the drop'))).toBe(true);

      server.dropSockets();
      // Written while the stream is down: the replay after the reconnect must bring it, once.
      await owner.tasks.create({ title: 'during the drop' });
      await expect.poll(() => ready, { timeout: 10_000 }).toEqual([false, true]);
      await owner.tasks.create({ title: 'after the drop' });
      await expect.poll(() => titles.some((title) => title.includes('after the drop'))).toBe(true);

      expect(titles.filter((title) => title.includes('during the drop'))).toHaveLength(1);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((left, right) => left - right)).toEqual(seen);
      expect(stream.status.lastSeq).toBe(seen.at(-1));
    } finally {
      stream.stop();
    }
  });

  it('reconnects with a credential rotated while it was connected (the old one revoked)', async () => {
    const { agent, apiKey: firstKey } = await server.createAgentWithKey();
    const second = await owner.agents.createApiKey(agent.id, { name: 'rotated' });
    const firstKeyId = (await owner.agents.listApiKeys(agent.id)).find((key) => key.id !== second.apiKey.id)?.id;
    if (!firstKeyId) throw new Error('expected the first key to be listed');
    let current = firstKey;
    const client = new MissionControl({
      baseUrl: server.url,
      credential: async () => current,
      reconnect: { minDelayMs: 20, maxDelayMs: 100 },
    });
    const stream = client.events.connect({ agentId: agent.id });
    const failures: { code: string; willReconnect: boolean }[] = [];
    stream.onError((error, { willReconnect }) => failures.push({ code: error.code, willReconnect }));
    const ready: boolean[] = [];
    stream.onReady(({ resumed }) => ready.push(resumed));
    const messages: string[] = [];
    stream.subscribe('type:message-posted', (activity) => messages.push(activity.summary));
    try {
      await expect.poll(() => ready).toEqual([false]);
      // Rotation: the app switches to the new key, then revokes the old one. The server closes the
      // socket opened with the old key (4401) and the stream comes back with the new one.
      current = second.secret;
      await owner.agents.revokeApiKey(agent.id, firstKeyId);
      const withOldKey = new MissionControl({ baseUrl: server.url, apiKey: firstKey, retry: { retries: 0 } });
      await expect(withOldKey.auth.me()).rejects.toMatchObject({ status: 401 });

      await expect.poll(() => ready, { timeout: 10_000 }).toEqual([false, true]);
      expect(failures).toEqual([{ code: 'API_KEY_REVOKED', willReconnect: true }]);
      const task = await owner.tasks.create({ title: 'For the rotated key', assignees: [{ kind: 'agent', id: agent.id }] });
      await client.messages.post(task.key, { content: 'still here' });
      await expect.poll(() => messages).toHaveLength(1);
    } finally {
      stream.stop();
    }
  });

  it('gives up when its only key is revoked while connected: the server closed the socket with 4401', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const client = new MissionControl({ baseUrl: server.url, apiKey, reconnect: { minDelayMs: 20, maxDelayMs: 100 } });
    const stream = client.events.connect({ agentId: agent.id });
    const failures: { code: string; willReconnect: boolean }[] = [];
    stream.onError((error, { willReconnect }) => failures.push({ code: error.code, willReconnect }));
    try {
      await expect.poll(() => stream.status.state).toBe('live');
      const keyId = (await owner.agents.listApiKeys(agent.id))[0]?.id ?? '';
      await owner.agents.revokeApiKey(agent.id, keyId);
      await expect.poll(() => stream.status.state).toBe('closed');
      expect(failures).toEqual([{ code: 'API_KEY_REVOKED', willReconnect: false }]);
    } finally {
      stream.stop();
    }
  });

  it('renews a refused credential through onUnauthorized and goes live with the new one', async () => {
    let current = 'mc_not_a_real_key';
    let renewals = 0;
    const client = new MissionControl({
      baseUrl: server.url,
      credential: () => current,
      onUnauthorized: async () => {
        renewals += 1;
        current = server.ownerToken;
        return true;
      },
    });
    const stream = client.events.connect();
    try {
      await expect.poll(() => stream.status.state).toBe('live');
      expect(renewals).toBe(1);
    } finally {
      stream.stop();
    }
  });

  it('gives up on an agent stream for an agent that does not exist, saying so', async () => {
    const stream = owner.events.connect({ agentId: randomUUID() });
    const failures: { code: string; willReconnect: boolean }[] = [];
    stream.onError((error, { willReconnect }) => failures.push({ code: error.code, willReconnect }));
    await expect.poll(() => stream.status.state).toBe('closed');
    expect(failures).toEqual([{ code: 'AGENT_NOT_FOUND', willReconnect: false }]);
  });

  it('sends requests with the credential function and retries once after onUnauthorized renews it', async () => {
    let current = 'mc_not_a_real_key';
    const client = new MissionControl({
      baseUrl: server.url,
      credential: async () => current,
      onUnauthorized: async () => {
        current = server.ownerToken;
        return true;
      },
      retry: { retries: 0 },
    });
    expect((await client.auth.me()).kind).toBe('user');
    const refusing = new MissionControl({ baseUrl: server.url, credential: () => 'mc_wrong', onUnauthorized: async () => false });
    await expect(refusing.auth.me()).rejects.toMatchObject({ status: 401 });
  });
});
