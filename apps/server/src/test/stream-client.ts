import { type StreamMessage, streamMessageSchema } from '@mission-control/contracts';
import WebSocket from 'ws';

export interface TestStreamClient {
  messages: StreamMessage[];
  /** Event messages only. */
  events(): Extract<StreamMessage, { type: 'event' }>[];
  waitFor(predicate: (messages: StreamMessage[]) => boolean, description?: string, timeoutMs?: number): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
  socket: WebSocket;
}

/**
 * A real WebSocket client that records every message, parsed through the contract schema. With
 * `authToken` it authenticates by its first message instead of the URL.
 */
export function connectStream(url: string, options: { authToken?: string } = {}): TestStreamClient {
  const socket = new WebSocket(url);
  const authToken = options.authToken;
  if (authToken) socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: authToken })));
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(streamMessageSchema.parse(JSON.parse(data.toString())));
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const waiter of waiters) waiter();
    });
  });
  socket.on('error', () => {});
  return {
    messages,
    socket,
    closed,
    events: () => messages.filter((message): message is Extract<StreamMessage, { type: 'event' }> => message.type === 'event'),
    waitFor(predicate, description = 'stream condition', timeoutMs = 10_000) {
      if (predicate(messages)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(messages)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${description}; got ${messages.length} messages`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () => socket.close(),
  };
}
