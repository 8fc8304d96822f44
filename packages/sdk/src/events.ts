import type { Activity } from '@mission-control/contracts';
import { MissionControlError } from './errors.js';
import { EventStream, type EventStreamContext } from './event-stream.js';

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
  /** Called on every failure; `willReconnect` is false when the subscription has given up (bad key, lost access, unknown agent). */
  onError?: (error: MissionControlError, state: { willReconnect: boolean; attempt: number }) => void;
}

/** Stops a subscription and closes its socket. */
export type Unsubscribe = () => void;

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

/** Opens the event stream and keeps it open: reconnects with backoff and resumes after the last sequence seen. */
export function subscribeToEvents(context: EventStreamContext, options: SubscribeOptions): Unsubscribe {
  const stream = new EventStream(context, {
    ...(options.agentId === undefined ? {} : { agentId: options.agentId }),
    ...(options.after === undefined ? {} : { after: options.after }),
  });
  stream.subscribe('*', options.onEvent);
  const { onReady, onError } = options;
  if (onReady) stream.onReady(({ seq }) => onReady(seq));
  if (onError) stream.onError(onError);
  stream.start();
  return () => stream.stop();
}
