// Test support: a real WebSocket server on port 0 that speaks the event stream protocol, driven
// by the test (send these events, turn live, refuse the credential, stop answering pings), for
// the behaviours a real Mission Control server cannot be made to show on demand.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Activity } from '@mission-control/contracts';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';

/** One client connection as the server sees it. */
export interface ScriptedConnection {
  /** The request's path and query (token, after). */
  url: URL;
  /** Every text frame the client sent after authenticating, in order (pings included). */
  received: string[];
  /** The credential the client sent: its first `{"type":"auth"}` message, or `?token=`. Resolves once known. */
  credential(): Promise<string | undefined>;
  /** Resolves with how the socket closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** Answer `{"type":"ping"}` with a pong (true until set otherwise). */
  answerPings: boolean;
  /** Called on every ping after the pong (if any), to answer with something else. */
  onPing: (() => void) | undefined;
  sendEvent(seq: number, overrides?: Partial<Activity>): void;
  sendReady(seq: number): void;
  sendError(code: string, message: string, extra?: Record<string, unknown>): void;
  /** Sends a frame as is (unknown message types, newer event types). */
  sendRaw(message: unknown): void;
  close(code: number, reason?: string): void;
  /** Cuts the connection without a close handshake. */
  terminate(): void;
}

export interface ScriptedStreamServer {
  /** The server root, such as http://127.0.0.1:41234. */
  url: string;
  connections: ScriptedConnection[];
  /** Resolves with the connection number `index` (0-based) once the client opened it. */
  connection(index: number): Promise<ScriptedConnection>;
  close(): Promise<void>;
}

const workspaceId = randomUUID();

/** A valid activity with the given sequence number (a task-created event unless overridden). */
export function makeActivity(seq: number, overrides: { [K in keyof Activity]?: unknown } = {}): Activity {
  return {
    seq,
    id: randomUUID(),
    workspaceId,
    type: 'task-created',
    actor: null,
    taskId: null,
    agentId: null,
    summary: `event ${seq}`,
    data: { key: `TASK-${seq}`, title: `Task ${seq}`, status: 'inbox', priority: 'medium', assignees: [], parentId: null },
    createdAt: new Date().toISOString(),
    ...overrides,
    // Overrides may pair any type with any data: the fixture stands for what a server could send.
  } as Activity;
}

const authMessageSchema = z.object({ type: z.literal('auth'), token: z.string() });

function createConnection(socket: WebSocket, requestUrl: string): ScriptedConnection {
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  const url = new URL(requestUrl, 'http://scripted.test');
  let resolveCredential: (credential: string | undefined) => void = () => {};
  const credential = new Promise<string | undefined>((resolve) => {
    resolveCredential = resolve;
  });
  let authenticated = false;
  const queryToken = url.searchParams.get('token');
  if (queryToken !== null) {
    authenticated = true;
    resolveCredential(queryToken);
  }
  const connection: ScriptedConnection = {
    url,
    received: [],
    credential: () => credential,
    closed: new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    answerPings: true,
    onPing: undefined,
    sendEvent: (seq, overrides) => {
      const activity = makeActivity(seq, overrides);
      send({ type: 'event', seq, at: activity.createdAt, data: activity });
    },
    sendReady: (seq) => send({ type: 'ready', seq, at: new Date().toISOString(), data: { subscription: 'activities' } }),
    sendError: (code, message, extra = {}) =>
      send({ type: 'error', seq: null, at: new Date().toISOString(), data: { code, message, ...extra } }),
    sendRaw: send,
    close: (code, reason) => socket.close(code, reason),
    terminate: () => socket.terminate(),
  };
  socket.on('close', () => resolveCredential(undefined));
  socket.on('message', (raw) => {
    const text = raw.toString();
    if (!authenticated) {
      authenticated = true;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const auth = authMessageSchema.safeParse(json);
      if (auth.success) {
        resolveCredential(auth.data.token);
        return;
      }
      resolveCredential(undefined);
    }
    connection.received.push(text);
    if (text !== '{"type":"ping"}') return;
    if (connection.answerPings) send({ type: 'pong', seq: null, at: new Date().toISOString(), data: {} });
    connection.onPing?.();
  });
  return connection;
}

/** Starts a scripted stream server on 127.0.0.1, port 0. */
export async function startScriptedStreamServer(): Promise<ScriptedStreamServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const connections: ScriptedConnection[] = [];
  const waiting = new Map<number, (connection: ScriptedConnection) => void>();
  server.on('connection', (socket, request) => {
    const connection = createConnection(socket, request.url ?? '/');
    connections.push(connection);
    waiting.get(connections.length - 1)?.(connection);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections,
    connection: (index) => {
      const existing = connections[index];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => waiting.set(index, resolve));
    },
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
