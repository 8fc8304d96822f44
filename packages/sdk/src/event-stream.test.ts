import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectionStatus, type ConnectOptions, type EventStream, MissionControl, type MissionControlError } from './index.js';
import { type ScriptedStreamServer, startScriptedStreamServer } from './test/scripted-stream-server.js';

const taskId = '0193d6a0-0000-7000-8000-00000000aaaa';
const agentId = '0193d6a0-0000-7000-8000-00000000bbbb';

describe('EventStream against a scripted stream server', () => {
  let peer: ScriptedStreamServer;
  const streams: EventStream[] = [];

  beforeEach(async () => {
    peer = await startScriptedStreamServer();
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.stop();
    await peer.close();
  });

  function connect(options: ConnectOptions = {}, client?: MissionControl): EventStream {
    const owner = client ?? new MissionControl({ baseUrl: peer.url, apiKey: 'mc_test', reconnect: { minDelayMs: 1, maxDelayMs: 5 } });
    const stream = owner.events.connect(options);
    streams.push(stream);
    return stream;
  }

  function recordFailures(stream: EventStream) {
    const failures: { code: string; willReconnect: boolean; attempt: number }[] = [];
    stream.onError((error, info) => failures.push({ code: error.code, ...info }));
    return failures;
  }

  it('goes live on ready and routes events to their topics', async () => {
    const stream = connect();
    const everything: number[] = [];
    const forTask: number[] = [];
    const created: number[] = [];
    const forAgent: number[] = [];
    stream.subscribe('*', (_activity, seq) => everything.push(seq));
    stream.subscribe(`task:${taskId}`, (activity) => forTask.push(activity.seq));
    stream.subscribe('type:task-created', (activity) => created.push(activity.seq));
    stream.subscribe(`agent:${agentId}`, (activity) => forAgent.push(activity.seq));
    const connection = await peer.connection(0);
    expect(connection.url.pathname).toBe('/api/v1/ws/activities');
    // The credential comes as the first message, never in the URL.
    expect(await connection.credential()).toBe('mc_test');
    expect(connection.url.searchParams.has('token')).toBe(false);
    expect(connection.url.searchParams.has('after')).toBe(false);
    connection.sendReady(0);
    await expect.poll(() => stream.status.state).toBe('live');
    connection.sendEvent(1, { taskId, type: 'task-created' });
    connection.sendEvent(2, {
      type: 'message-posted',
      actor: { kind: 'agent', id: agentId },
      data: { messageId: randomUUID(), key: 'TASK-1', type: 'comment', replyToId: null, excerpt: 'hello' },
    });
    connection.sendEvent(3, { type: 'task-updated', agentId, data: { key: 'TASK-1', fields: ['title'] } });
    await expect.poll(() => everything).toEqual([1, 2, 3]);
    expect(created).toEqual([1]);
    expect(forTask).toEqual([1]);
    expect(forAgent).toEqual([2, 3]);
  });

  it('reconnects after a drop and resumes after the last sequence it saw, skipping duplicates', async () => {
    const stream = connect();
    const seen: number[] = [];
    const ready: { seq: number; resumed: boolean }[] = [];
    stream.subscribe('*', (_activity, seq) => seen.push(seq));
    stream.onReady((info) => ready.push(info));
    const first = await peer.connection(0);
    first.sendEvent(41);
    first.sendEvent(42);
    first.sendReady(42);
    await expect.poll(() => ready).toEqual([{ seq: 42, resumed: false }]);
    first.terminate();

    const second = await peer.connection(1);
    expect(second.url.searchParams.get('after')).toBe('42');
    // A server that replays from an older point must not make the client see 42 twice.
    second.sendEvent(42);
    second.sendEvent(43);
    second.sendReady(43);
    await expect.poll(() => ready).toHaveLength(2);
    expect(ready[1]).toEqual({ seq: 43, resumed: true });
    expect(seen).toEqual([41, 42, 43]);
    expect(stream.status).toMatchObject({ state: 'live', attempt: 0, lastSeq: 43, lastError: null });
  });

  it('backs off exponentially with jitter up to the cap while refused, and resets once live', async () => {
    const now = 1_000_000;
    const stream = connect({ reconnect: { minDelayMs: 2, maxDelayMs: 16 }, clock: () => now });
    const waits: { attempt: number; delay: number }[] = [];
    stream.onStatus((status: ConnectionStatus) => {
      if (status.state === 'reconnecting' && status.nextAttemptAt !== null)
        waits.push({ attempt: status.attempt, delay: status.nextAttemptAt - now });
    });
    const refusals = 6;
    for (let index = 0; index < refusals; index += 1) (await peer.connection(index)).close(1011, 'not now');
    const accepted = await peer.connection(refusals);
    expect(waits.map((wait) => wait.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    const ceilings = [2, 4, 8, 16, 16, 16];
    waits.forEach((wait, index) => {
      const ceiling = ceilings[index] ?? 0;
      expect(wait.delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(wait.delay).toBeLessThanOrEqual(ceiling);
    });
    expect(stream.status.state).toBe('reconnecting');
    accepted.sendReady(0);
    await expect.poll(() => stream.status.state).toBe('live');
    expect(stream.status.attempt).toBe(0);
  });

  it('reports each failure with the attempt number and that it will reconnect, and the reason the server gave', async () => {
    const stream = connect();
    const failures = recordFailures(stream);
    const first = await peer.connection(0);
    first.sendError('SUBSCRIPTION_LIMIT', 'Too many streams: close one.');
    first.close(4429, 'Too many streams');
    await peer.connection(1);
    expect(failures[0]).toEqual({ code: 'SUBSCRIPTION_LIMIT', willReconnect: true, attempt: 0 });
    expect(stream.status.lastError?.message).toBe('Too many streams: close one.');
    expect(stream.status.state).toBe('reconnecting');
    (await peer.connection(1)).terminate();
    await peer.connection(2);
    expect(failures[1]).toEqual({ code: 'NETWORK_ERROR', willReconnect: true, attempt: 1 });
    stream.stop();
    expect(stream.status.state).toBe('closed');
  });

  it('queues what is sent while disconnected, drops the oldest past the limit, and sends the rest in order once open', async () => {
    const stream = connect({ connectNow: false, maxQueuedMessages: 2, heartbeat: false });
    stream.send({ type: 'note', n: 1 });
    stream.send({ type: 'note', n: 2 });
    stream.send({ type: 'note', n: 3 });
    expect(stream.queuedMessages).toBe(2);
    expect(stream.status.state).toBe('idle');
    stream.start();
    const connection = await peer.connection(0);
    await expect.poll(() => connection.received).toEqual(['{"type":"note","n":2}', '{"type":"note","n":3}']);
    expect(stream.queuedMessages).toBe(0);
    stream.send({ type: 'note', n: 4 });
    await expect.poll(() => connection.received).toHaveLength(3);
    expect(connection.received[2]).toBe('{"type":"note","n":4}');
  });

  it('pings, and reconnects when a server that answered pings goes silent', async () => {
    const stream = connect({ heartbeat: { intervalMs: 20, timeoutMs: 20 } });
    const failures = recordFailures(stream);
    const first = await peer.connection(0);
    first.sendReady(5);
    await expect.poll(() => first.received.includes('{"type":"ping"}')).toBe(true);
    // It answered that ping; from now on it stays silent.
    first.answerPings = false;
    expect((await first.closed).code).toBe(4000);
    const second = await peer.connection(1);
    expect(second.url.searchParams.get('after')).toBe('5');
    expect(failures[0]).toMatchObject({ code: 'NETWORK_ERROR', willReconnect: true });
  });

  it('does not count silence as a dead socket while the server has never answered a ping', async () => {
    // The timeout is shorter than the interval: were it armed after the first ping, the socket would die before the second.
    const stream = connect({ heartbeat: { intervalMs: 20, timeoutMs: 5 } });
    const connection = await peer.connection(0);
    connection.answerPings = false;
    connection.sendReady(0);
    await expect.poll(() => connection.received.filter((text) => text === '{"type":"ping"}').length).toBeGreaterThanOrEqual(3);
    expect(peer.connections).toHaveLength(1);
    expect(stream.status.state).toBe('live');
  });

  it('counts any frame after a ping as a sign of life, not only a pong', async () => {
    // Were frames other than pongs ignored, the deadline of the second ping would end the socket before the sixth.
    const stream = connect({ heartbeat: { intervalMs: 20, timeoutMs: 60 } });
    const connection = await peer.connection(0);
    connection.sendReady(0);
    await expect.poll(() => connection.received.includes('{"type":"ping"}')).toBe(true);
    let seq = 0;
    connection.answerPings = false;
    connection.onPing = () => {
      seq += 1;
      connection.sendEvent(seq);
    };
    await expect.poll(() => seq).toBeGreaterThanOrEqual(6);
    expect(peer.connections).toHaveLength(1);
    expect(stream.status.state).toBe('live');
  });

  it('moves the resume point past events it cannot read', async () => {
    const stream = connect();
    const seen: number[] = [];
    stream.subscribe('*', (_activity, seq) => seen.push(seq));
    const first = await peer.connection(0);
    first.sendEvent(1);
    first.sendRaw({ type: 'event', seq: 2, at: new Date().toISOString(), data: { type: 'from-a-newer-server' } });
    first.sendRaw({ type: 'something-new', seq: 99 });
    first.sendReady(2);
    await expect.poll(() => stream.status.state).toBe('live');
    first.terminate();
    const second = await peer.connection(1);
    expect(second.url.searchParams.get('after')).toBe('2');
    expect(seen).toEqual([1]);
  });

  it('starts after the point given by startAfter, asked until the stream has one', async () => {
    const asked: number[] = [];
    const stream = connect({
      startAfter: async () => {
        asked.push(asked.length);
        return asked.length === 1 ? undefined : 17;
      },
    });
    const first = await peer.connection(0);
    expect(first.url.searchParams.has('after')).toBe(false);
    first.close(1011, 'restarting');
    const second = await peer.connection(1);
    expect(second.url.searchParams.get('after')).toBe('17');
    second.sendReady(17);
    await expect.poll(() => stream.status.state).toBe('live');
    second.terminate();
    expect((await peer.connection(2)).url.searchParams.get('after')).toBe('17');
    expect(asked).toHaveLength(2);
  });

  it('waits while offline and reconnects at once when back online', async () => {
    const stream = connect();
    const first = await peer.connection(0);
    first.sendReady(3);
    await expect.poll(() => stream.status.state).toBe('live');
    stream.markOffline();
    first.terminate();
    await expect.poll(() => stream.status.attempt).toBe(1);
    expect(stream.status).toMatchObject({ state: 'offline', nextAttemptAt: null });
    // Many times the longest backoff (5 ms): a timer would have reconnected by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(peer.connections).toHaveLength(1);
    stream.reconnectNow();
    const second = await peer.connection(1);
    expect(second.url.searchParams.get('after')).toBe('3');
  });

  it('reconnects at once on reconnectNow instead of waiting out a long backoff', async () => {
    const stream = connect({ reconnect: { minDelayMs: 600_000, maxDelayMs: 600_000 } });
    (await peer.connection(0)).terminate();
    await expect.poll(() => stream.status.state).toBe('reconnecting');
    stream.reconnectNow();
    stream.reconnectNow();
    const second = await peer.connection(1);
    second.sendReady(0);
    await expect.poll(() => stream.status.state).toBe('live');
    stream.reconnectNow();
    expect(peer.connections).toHaveLength(2);
  });

  it('replaces a socket that lived through going offline when the network is back', async () => {
    const stream = connect();
    const first = await peer.connection(0);
    first.sendReady(8);
    await expect.poll(() => stream.status.state).toBe('live');
    stream.markOffline();
    stream.reconnectNow();
    expect((await first.closed).code).toBe(4000);
    expect((await peer.connection(1)).url.searchParams.get('after')).toBe('8');
  });

  for (const code of [4401, 4403, 4404]) {
    it(`gives up when the server closes with ${code}, saying why`, async () => {
      const stream = connect();
      const failures = recordFailures(stream);
      const connection = await peer.connection(0);
      connection.sendError(code === 4404 ? 'AGENT_NOT_FOUND' : 'UNAUTHENTICATED', 'No.');
      connection.close(code, 'No.');
      await expect.poll(() => stream.status.state).toBe('closed');
      expect(failures).toEqual([{ code: code === 4404 ? 'AGENT_NOT_FOUND' : 'UNAUTHENTICATED', willReconnect: false, attempt: 0 }]);
      expect(stream.status.lastError?.code).toBe(failures[0]?.code);
      stream.reconnectNow();
      expect(peer.connections).toHaveLength(1);
    });
  }

  it('renews a refused credential once through onUnauthorized, reconnects with the new one, and gives up when refused again', async () => {
    let token = 'expired-token';
    let renewals = 0;
    const client = new MissionControl({
      baseUrl: peer.url,
      credential: async () => token,
      onUnauthorized: async () => {
        renewals += 1;
        token = `renewed-${renewals}`;
        return true;
      },
      reconnect: { minDelayMs: 1, maxDelayMs: 5 },
    });
    const stream = connect({}, client);
    const failures = recordFailures(stream);
    const first = await peer.connection(0);
    expect(await first.credential()).toBe('expired-token');
    first.close(4401, 'expired');
    const second = await peer.connection(1);
    expect(await second.credential()).toBe('renewed-1');
    second.close(4401, 'still no');
    await expect.poll(() => stream.status.state).toBe('closed');
    expect(renewals).toBe(1);
    expect(failures.map((failure) => failure.willReconnect)).toEqual([true, false]);
  });

  it('reads the credential before every attempt, so a token rotated between connections is used', async () => {
    let token = 'first-token';
    const client = new MissionControl({ baseUrl: peer.url, credential: () => token, reconnect: { minDelayMs: 1, maxDelayMs: 5 } });
    connect({ agentId }, client);
    const first = await peer.connection(0);
    expect(first.url.pathname).toBe(`/api/v1/ws/agents/${agentId}`);
    expect(await first.credential()).toBe('first-token');
    token = 'second-token';
    first.terminate();
    expect(await (await peer.connection(1)).credential()).toBe('second-token');
  });

  it('puts the credential in ?token= only when asked to (credentialIn: query), for older servers', async () => {
    const stream = connect({ credentialIn: 'query', heartbeat: false });
    const connection = await peer.connection(0);
    expect(connection.url.searchParams.get('token')).toBe('mc_test');
    connection.sendReady(0);
    await expect.poll(() => stream.status.state).toBe('live');
    stream.send({ type: 'hello' });
    // No auth message was sent: the only frame the server got is the app's.
    await expect.poll(() => connection.received).toEqual(['{"type":"hello"}']);
  });

  it('resets its resume point to the server’s latest seq on CURSOR_AHEAD (4409) and reconnects at once, then resumes from there', async () => {
    const stream = connect({ after: 5_000 });
    const failures = recordFailures(stream);
    const seen: number[] = [];
    stream.subscribe('*', (_activity, seq) => seen.push(seq));
    const first = await peer.connection(0);
    expect(first.url.searchParams.get('after')).toBe('5000');
    first.sendError('CURSOR_AHEAD', 'after is beyond the newest event (12).', { latestSeq: 12 });
    first.close(4409, 'after is beyond the newest event');

    const second = await peer.connection(1);
    expect(second.url.searchParams.get('after')).toBe('12');
    expect(failures).toEqual([{ code: 'CURSOR_AHEAD', willReconnect: true, attempt: 0 }]);
    // Events after the new resume point arrive although they are below the old one.
    second.sendEvent(13);
    second.sendReady(13);
    await expect.poll(() => stream.status.state).toBe('live');
    expect(seen).toEqual([13]);
    expect(stream.status.lastSeq).toBe(13);
  });

  it('backs off instead of spinning when the server answers CURSOR_AHEAD twice in a row', async () => {
    const stream = connect({ after: 100 });
    const failures = recordFailures(stream);
    const first = await peer.connection(0);
    first.sendError('CURSOR_AHEAD', 'ahead', { latestSeq: 50 });
    first.close(4409, 'ahead');
    const second = await peer.connection(1);
    second.sendError('CURSOR_AHEAD', 'ahead', { latestSeq: 40 });
    second.close(4409, 'ahead');
    const third = await peer.connection(2);
    expect(third.url.searchParams.get('after')).toBe('40');
    expect(failures.map((failure) => [failure.code, failure.attempt])).toEqual([
      ['CURSOR_AHEAD', 0],
      ['CURSOR_AHEAD', 0],
    ]);
    expect(stream.status.attempt).toBe(1);
  });

  it('stops with a normal close and does not come back until started again, then resumes', async () => {
    const stream = connect();
    const first = await peer.connection(0);
    first.sendEvent(12);
    first.sendReady(12);
    await expect.poll(() => stream.status.state).toBe('live');
    stream.stop();
    expect(stream.status.state).toBe('closed');
    expect((await first.closed).code).toBe(1000);
    stream.start();
    expect((await peer.connection(1)).url.searchParams.get('after')).toBe('12');
  });

  it('keeps the subscribe API: events once each, ready after every connection, failures with willReconnect', async () => {
    const client = new MissionControl({ baseUrl: peer.url, apiKey: 'mc_test', reconnect: { minDelayMs: 1, maxDelayMs: 5 } });
    const seen: number[] = [];
    const ready: number[] = [];
    const errors: { error: MissionControlError; willReconnect: boolean }[] = [];
    const unsubscribe = client.events.subscribe({
      after: 9,
      onEvent: (_activity, seq) => seen.push(seq),
      onReady: (seq) => ready.push(seq),
      onError: (error, { willReconnect }) => errors.push({ error, willReconnect }),
    });
    try {
      const first = await peer.connection(0);
      expect(first.url.searchParams.get('after')).toBe('9');
      first.sendEvent(9);
      first.sendEvent(10);
      first.sendReady(10);
      await expect.poll(() => ready).toEqual([10]);
      first.terminate();
      const second = await peer.connection(1);
      second.sendEvent(10);
      second.sendEvent(11);
      second.sendReady(11);
      await expect.poll(() => ready).toEqual([10, 11]);
      expect(seen).toEqual([10, 11]);
      expect(errors.map((entry) => entry.willReconnect)).toEqual([true]);
    } finally {
      unsubscribe();
    }
  });
});
