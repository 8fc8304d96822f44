import type { MissionControlError } from './errors.js';
import type { WebSocketConstructor } from './events.js';

/** Where a stream is in its life: not started, opening, receiving, waiting to retry, paused while offline, or stopped. */
export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline' | 'closed';

/** A snapshot of the stream's connection, for status displays. */
export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the stream was last live. */
  attempt: number;
  /** When the next attempt starts (milliseconds since the epoch), while reconnecting. */
  nextAttemptAt: number | null;
  /** The newest sequence received (or the resume point set); the next connection resumes after it. */
  lastSeq: number | null;
  /** Why the last connection failed: the reason the server gave, else how the socket closed. Cleared once live. */
  lastError: MissionControlError | null;
}

/** Passed to ready listeners each time the stream turns live. */
export interface ReadyInfo {
  /** The last sequence the server replayed (or the resume point). */
  seq: number;
  /** True when the stream had been live before: this is a reconnection that resumed. */
  resumed: boolean;
}

/** Passed to error listeners with each failure. */
export interface FailureInfo {
  /** False when the stream gave up (bad credential, lost access, unknown agent, no WebSocket). */
  willReconnect: boolean;
  /** Failed attempts before this one since the stream was last live. */
  attempt: number;
}

/** What an EventStream needs from the client: where, with which credential and WebSocket class, and how to back off. */
export interface EventStreamContext {
  baseUrl: string;
  /** Read before every connection attempt, so a renewed access token is used on reconnect. */
  credential: () => string | undefined | Promise<string | undefined>;
  webSocket: () => Promise<WebSocketConstructor>;
  reconnect: { minDelayMs: number; maxDelayMs: number };
  /** Called once when the server refuses the credential; resolving true reconnects with the renewed one. */
  onUnauthorized?: (() => Promise<boolean>) | undefined;
}

/** How a stream is opened: which stream, where to resume, heartbeat and queue limits. */
export interface EventStreamOptions {
  /** Follow what concerns one agent (`/ws/agents/{agentId}`) instead of the whole workspace. */
  agentId?: string;
  /** Start after this sequence number: events after it are replayed first. Live only when left out. */
  after?: number;
  /**
   * Where to start while the stream has no resume point yet, read before each attempt until it has
   * one (for example the newest sequence an app loaded over HTTP); undefined starts live.
   */
  startAfter?: () => number | undefined | Promise<number | undefined>;
  /**
   * Application pings (`{"type":"ping"}`, answered with a pong): once the server has answered one,
   * a ping left without any answer for `timeoutMs` counts as a dead socket. 25 s and 10 s by default.
   */
  heartbeat?: false | { intervalMs?: number; timeoutMs?: number };
  /** Messages kept while disconnected, oldest dropped first (100 by default). */
  maxQueuedMessages?: number;
  /** Backoff between attempts, overriding the client's. */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** The clock `nextAttemptAt` is computed with (Date.now by default). */
  clock?: () => number;
  /**
   * How the credential reaches the server: `'message'` (the default) sends `{"type":"auth","token"}`
   * as the socket's first message, so no secret is in a URL; `'query'` puts it in `?token=`, for
   * servers older than that. An API key that requires signed requests needs `'message'`: its
   * signature travels in that message, as a socket cannot be given headers.
   */
  credentialIn?: 'message' | 'query';
}

/** What `client.events.connect` takes. */
export interface ConnectOptions extends EventStreamOptions {
  /** Connect at once (the default); pass false to call `start()` later. */
  connectNow?: boolean;
}
