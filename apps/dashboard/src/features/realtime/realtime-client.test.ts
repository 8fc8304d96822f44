import type { Activity } from '@mission-control/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeActivity, testId } from '../../test/fixtures';
import { RealtimeClient, type WebSocketLike } from './realtime-client';

/** A socket the test drives by hand: open it, push messages, drop it. */
class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  event(activity: Activity) {
    this.receive({ type: 'event', seq: activity.seq, at: activity.createdAt, data: activity });
  }
  ready(seq: number) {
    this.receive({ type: 'ready', seq, at: new Date().toISOString(), data: { subscription: 'activities' } });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

function latestSocket(): FakeSocket {
  const socket = FakeSocket.all.at(-1);
  if (!socket) throw new Error('no socket yet');
  return socket;
}

function createClient(overrides: Partial<ConstructorParameters<typeof RealtimeClient>[0]> = {}) {
  return new RealtimeClient({
    buildUrl: async (after) => `ws://server.test/api/v1/ws/activities?token=t${after === null ? '' : `&after=${after}`}`,
    createSocket: (url) => new FakeSocket(url),
    random: () => 0.5,
    baseDelayMs: 1_000,
    maxDelayMs: 30_000,
    heartbeatIntervalMs: 25_000,
    heartbeatTimeoutMs: 10_000,
    ...overrides,
  });
}

describe('RealtimeClient', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('goes live on ready and routes events to their topics', async () => {
    const client = createClient();
    const everything: number[] = [];
    const forTask: number[] = [];
    const created: number[] = [];
    client.subscribe('*', (activity) => everything.push(activity.seq));
    client.subscribe('task:task-a', (activity) => forTask.push(activity.seq));
    client.subscribe('type:task-created', (activity) => created.push(activity.seq));
    client.start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = latestSocket();
    socket.open();
    socket.ready(0);
    expect(client.connection.state).toBe('live');
    socket.event(makeActivity(1, { taskId: '0193d6a0-0000-7000-8000-00000000aaaa' }));
    socket.event(
      makeActivity(2, {
        type: 'message-posted',
        data: { messageId: testId(), key: 'TASK-1', type: 'comment', replyToId: null, excerpt: 'Looks good' },
      }),
    );
    expect(everything).toEqual([1, 2]);
    expect(created).toEqual([1]);
    expect(forTask).toEqual([]);
    client.stop();
  });

  it('reconnects with backoff and resumes after the last sequence it saw, skipping duplicates', async () => {
    const client = createClient();
    const seen: number[] = [];
    client.subscribe('*', (activity) => seen.push(activity.seq));
    client.start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const first = latestSocket();
    first.open();
    first.event(makeActivity(41));
    first.event(makeActivity(42));
    first.ready(42);
    first.drop();
    expect(client.connection.state).toBe('reconnecting');
    // random 0.5 × base 1,000 ms × 2^0 = 500 ms before the first retry.
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    const second = latestSocket();
    expect(second.url).toContain('after=42');
    second.open();
    // The server replays from after=42; a repeat of 42 must not reach subscribers twice.
    second.event(makeActivity(42));
    second.event(makeActivity(43));
    const resumed: boolean[] = [];
    client.onReady(({ resumed: wasResumed }) => resumed.push(wasResumed));
    second.ready(43);
    expect(seen).toEqual([41, 42, 43]);
    expect(resumed).toEqual([true]);
    expect(client.connection).toMatchObject({ state: 'live', attempt: 0, lastSeq: 43 });
    client.stop();
  });

  it('backs off exponentially with full jitter up to the cap', () => {
    const client = createClient({ random: () => 1 });
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => client.delayFor(attempt))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    const jittered = createClient({ random: () => 0.25 });
    expect(jittered.delayFor(3)).toBe(2_000);
  });

  it('keeps backing off while the server keeps refusing, and resets once live', async () => {
    const client = createClient({ random: () => 1 });
    client.start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    latestSocket().drop();
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    latestSocket().drop();
    expect(client.connection.attempt).toBe(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(3));
    latestSocket().open();
    latestSocket().ready(0);
    expect(client.connection.attempt).toBe(0);
    client.stop();
  });

  it('queues messages sent while disconnected and sends them in order once open', async () => {
    const client = createClient({ maxQueuedMessages: 2 });
    client.send({ type: 'note', n: 1 });
    client.send({ type: 'note', n: 2 });
    client.send({ type: 'note', n: 3 });
    expect(client.queuedMessages).toBe(2);
    client.start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = latestSocket();
    socket.open();
    expect(socket.sent.map((text) => JSON.parse(text).n)).toEqual([2, 3]);
    expect(client.queuedMessages).toBe(0);
    client.send({ type: 'note', n: 4 });
    expect(socket.sent).toHaveLength(3);
    client.stop();
  });

  it('pings on an interval and reconnects when a server that answers pings goes silent', async () => {
    const client = createClient();
    client.start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = latestSocket();
    socket.open();
    socket.ready(5);
    await vi.advanceTimersByTimeAsync(25_000);
    expect(socket.sent).toEqual(['{"type":"ping"}']);
    socket.receive({ type: 'pong', seq: null, at: new Date().toISOString(), data: {} });
    await vi.advanceTimersByTimeAsync(25_000);
    expect(socket.sent).toHaveLength(2);
    // No pong this time: after the timeout the socket counts as dead.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.closedWith).toMatchObject({ code: 4000 });
    expect(client.connection.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(500);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    expect(latestSocket().url).toContain('after=5');
    client.stop();
  });

  it('records the reason the server gave before closing', async () => {
    const client = createClient();
    client.start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = latestSocket();
    socket.open();
    socket.receive({ type: 'error', seq: null, at: new Date().toISOString(), data: { code: 'TOKEN_EXPIRED', message: 'expired' } });
    socket.drop();
    expect(client.connection.lastError).toBe('TOKEN_EXPIRED: expired');
    expect(client.connection.state).toBe('reconnecting');
    client.stop();
    expect(client.connection.state).toBe('closed');
  });

  it('waits while offline and reconnects at once when back online', async () => {
    const client = createClient();
    client.start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    client.markOffline();
    latestSocket().drop();
    expect(client.connection.state).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    client.reconnectNow();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    client.stop();
  });
});
