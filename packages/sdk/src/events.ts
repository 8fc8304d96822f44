import { type Activity, errorCodeSchema, type StreamMessage, streamMessageSchema } from '@mission-control/contracts';
import { MissionControlError, type MissionControlErrorCode } from './errors.js';
import { computeBackoffDelay } from './transport.js';

// Function-typed properties are checked contravariantly; this keeps the handler parameters
// bivariant so both the browser's WebSocket and the `ws` package's class fit.
type Handler<Event> = { bivarianceHack(event: Event): void }['bivarianceHack'];

/** The part of the WebSocket API the SDK uses; browsers' WebSocket and the `ws` package both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers, `ws` in Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What `client.events.subscribe` takes. */
export interface SubscribeOptions {
  /** Follow what concerns one agent (`/ws/agents/:id`) instead of the whole workspace. */
  agentId?: string;
  /** Start after this sequence number: events after it are replayed first. Live only when left out. */
  after?: number;
  /** Called once per event, in order, never twice for the same sequence. */
  onEvent: (activity: Activity, seq: number) => void;
  /** Called when the stream is live (backlog replayed), after every (re)connection. */
  onReady?: (seq: number) => void;
  /** Called on every failure; `willReconnect` is false when the subscription has given up (bad key, unknown agent). */
  onError?: (error: MissionControlError, state: { willReconnect: boolean; attempt: number }) => void;
}

/** Stops a subscription and closes its socket. */
export type Unsubscribe = () => void;

/** What a subscription needs from the client: where, with which credential and WebSocket class, and how to back off. */
export interface EventStreamContext {
  baseUrl: string;
  credential: () => string | undefined;
  webSocket: () => Promise<WebSocketConstructor>;
  reconnect: { minDelayMs: number; maxDelayMs: number };
}

/** Close codes after which reconnecting cannot help: the credential or the agent is wrong. */
const fatalCloseCodes = new Set([4401, 4404]);

const isWebSocketConstructor = (value: unknown): value is WebSocketConstructor => typeof value === 'function';

/** Finds a WebSocket class: the given one, the global one (browsers, Node 22+), or the `ws` package (Node 20). */
export async function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) return given;
  const global: unknown = Reflect.get(globalThis, 'WebSocket');
  if (isWebSocketConstructor(global)) return global;
  // A computed specifier keeps bundlers from pulling `ws` into browser builds, which never reach here.
  const specifier = 'ws';
  const module: unknown = await import(/* @vite-ignore */ specifier);
  const candidate: unknown =
    typeof module === 'object' && module !== null ? (Reflect.get(module, 'default') ?? Reflect.get(module, 'WebSocket')) : undefined;
  if (isWebSocketConstructor(candidate)) return candidate;
  throw new MissionControlError(
    'NETWORK_ERROR',
    'No WebSocket implementation found: install the `ws` package or pass `webSocket` to MissionControl.',
  );
}

function toText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return String(data);
}

/** Opens the event stream and keeps it open: reconnects with backoff and resumes after the last sequence seen. */
export function subscribeToEvents(context: EventStreamContext, options: SubscribeOptions): Unsubscribe {
  let lastSeq = options.after;
  let attempt = 0;
  let stopped = false;
  let socket: WebSocketLike | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let serverError: MissionControlError | undefined;

  const report = (error: MissionControlError, willReconnect: boolean) => {
    options.onError?.(error, { willReconnect, attempt });
  };

  const streamUrl = () => {
    const base = context.baseUrl.replace(/^http/, 'ws');
    const path = options.agentId ? `/api/v1/ws/agents/${encodeURIComponent(options.agentId)}` : '/api/v1/ws/activities';
    const url = new URL(`${base}${path}`);
    const credential = context.credential();
    // Browsers cannot set headers on a WebSocket, so the server takes the credential in the query.
    if (credential) url.searchParams.set('token', credential);
    if (lastSeq !== undefined) url.searchParams.set('after', String(lastSeq));
    return url.toString();
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    const delay = computeBackoffDelay(attempt, context.reconnect);
    attempt += 1;
    reconnectTimer = setTimeout(() => void connect(), delay);
  };

  const handleMessage = (raw: unknown) => {
    let json: unknown;
    try {
      json = JSON.parse(toText(raw));
    } catch {
      return;
    }
    const parsed = streamMessageSchema.safeParse(json);
    if (!parsed.success) return; // pongs and future message types
    const message: StreamMessage = parsed.data;
    if (message.type === 'event') {
      // After a reconnect the server may replay what we already have; the sequence tells.
      if (lastSeq !== undefined && message.seq <= lastSeq) return;
      lastSeq = message.seq;
      options.onEvent(message.data, message.seq);
    } else if (message.type === 'ready') {
      attempt = 0;
      if (lastSeq === undefined || message.seq > lastSeq) lastSeq = message.seq;
      options.onReady?.(message.seq);
    } else {
      serverError = new MissionControlError(codeOrUnexpected(message.data.code), message.data.message);
    }
  };

  const connect = async () => {
    if (stopped) return;
    let WebSocketClass: WebSocketConstructor;
    try {
      WebSocketClass = await context.webSocket();
    } catch (error) {
      stopped = true;
      report(error instanceof MissionControlError ? error : new MissionControlError('NETWORK_ERROR', String(error)), false);
      return;
    }
    if (stopped) return;
    serverError = undefined;
    const current = new WebSocketClass(streamUrl());
    socket = current;
    current.onmessage = (event) => handleMessage(event.data);
    current.onerror = () => {
      // The close event follows and decides what happens next.
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = undefined;
      if (stopped) return;
      const fatal = fatalCloseCodes.has(event.code);
      const error =
        serverError ??
        new MissionControlError('NETWORK_ERROR', `The event stream closed (code ${event.code}${event.reason ? `: ${event.reason}` : ''}).`);
      report(error, !fatal);
      if (fatal) {
        stopped = true;
        return;
      }
      scheduleReconnect();
    };
  };

  void connect();

  return () => {
    stopped = true;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    const current = socket;
    socket = undefined;
    current?.close(1000, 'unsubscribed');
  };
}

/** The server's code when it is one we know, else a generic one. */
function codeOrUnexpected(code: string): MissionControlErrorCode {
  const known = errorCodeSchema.safeParse(code);
  return known.success ? known.data : 'UNEXPECTED_STATUS';
}
