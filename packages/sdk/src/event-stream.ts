import { buildEndpointPath, type StreamAuthMessage, streamPaths } from '@mission-control/contracts';
import { MissionControlError } from './errors.js';
import {
  credentialCloseCodes,
  cursorAheadCloseCode,
  openState,
  toStreamError,
  unknownAgentCloseCode,
  untrustedSocketCloseCode,
} from './event-stream-close-codes.js';
import { SocketHeartbeat } from './event-stream-heartbeat.js';
import { readIncomingMessage } from './event-stream-messages.js';
import { type EventHandler, type EventTopic, TopicRouter } from './event-stream-topics.js';
import type { ConnectionStatus, EventStreamContext, EventStreamOptions, FailureInfo, ReadyInfo } from './event-stream-types.js';
import type { Unsubscribe, WebSocketConstructor, WebSocketLike } from './events.js';
import { canSignRequests, createRequestSigner, isApiKey } from './request-signing.js';
import { computeBackoffDelay } from './transport.js';

export type {
  ConnectionState,
  ConnectionStatus,
  ConnectOptions,
  EventStreamContext,
  EventStreamOptions,
  FailureInfo,
  ReadyInfo,
} from './event-stream-types.js';

/**
 * One event stream kept open: reconnects with exponential backoff and jitter, resumes after the
 * last sequence seen (never delivering one twice), reports its status, routes events to topic
 * handlers, sends heartbeats and queues what is sent while disconnected. Created by
 * `client.events.connect`.
 */
export class EventStream {
  private readonly context: EventStreamContext;
  private readonly options: EventStreamOptions;
  private readonly reconnectDelays: { minDelayMs: number; maxDelayMs: number };
  private readonly router = new TopicRouter();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly readyListeners = new Set<(info: ReadyInfo) => void>();
  private readonly errorListeners = new Set<(error: MissionControlError, info: FailureInfo) => void>();
  private readonly queue: string[] = [];
  private readonly signRequest = createRequestSigner();
  private current: ConnectionStatus;
  private socket: WebSocketLike | undefined;
  private stopped = true;
  /** Bumped whenever an attempt is abandoned, so its pending awaits and sockets know they are stale. */
  private generation = 0;
  /** An attempt (reading the credential, opening) or a credential renewal is under way. */
  private attemptInProgress = false;
  private hasBeenLive = false;
  private renewedSinceLive = false;
  private resetSinceLive = false;
  /** What the server said before closing this socket, if anything. */
  private serverError: MissionControlError | undefined;
  /** The credential the current (or last) socket was opened with. */
  private socketCredential: string | undefined;
  /** The newest sequence the server named with CURSOR_AHEAD. */
  private serverLatestSeq: number | undefined;
  private heartbeat: SocketHeartbeat | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  /** Use `client.events.connect(options)` rather than this constructor. */
  constructor(context: EventStreamContext, options: EventStreamOptions = {}) {
    this.context = context;
    this.options = options;
    this.reconnectDelays = { ...context.reconnect, ...options.reconnect };
    this.current = { state: 'idle', attempt: 0, nextAttemptAt: null, lastSeq: options.after ?? null, lastError: null };
  }

  /** The connection as it is now; a new object after every change. */
  get status(): ConnectionStatus {
    return this.current;
  }

  /** How many sent messages wait for the socket to open. */
  get queuedMessages(): number {
    return this.queue.length;
  }

  /** Connects, and keeps reconnecting until `stop()` or a fatal refusal; a no-op while running. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.renewedSinceLive = false;
    this.updateStatus({ attempt: 0, lastError: null });
    void this.connect();
  }

  /** Closes the socket and stops reconnecting; `start()` resumes after the last sequence. */
  stop(): void {
    this.stopped = true;
    this.abandonAttempt();
    this.discardSocket(1000, 'client stopped');
    this.updateStatus({ state: 'closed', nextAttemptAt: null });
  }

  /** Reconnects at once instead of waiting out the backoff (the network is back, the tab is visible again). */
  reconnectNow(): void {
    if (this.stopped || this.attemptInProgress) return;
    if (this.socket) {
      if (this.current.state !== 'offline') return;
      // A socket that lived through going offline may be dead without knowing; resume on a fresh one.
      this.discardSocket(untrustedSocketCloseCode, 'reconnecting after going offline');
    }
    clearTimeout(this.reconnectTimer);
    void this.connect();
  }

  /** The network is gone: stop retrying until `reconnectNow()`. */
  markOffline(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.updateStatus({ state: 'offline', nextAttemptAt: null });
  }

  /** Resumes after this sequence from now on, when it is newer than what the stream has (the newest an app loaded). */
  setResumePoint(seq: number): void {
    if (this.current.lastSeq === null || seq > this.current.lastSeq) this.updateStatus({ lastSeq: seq });
  }

  /** Calls the handler for every event of a topic: '*', 'type:<event type>', 'task:<id>' or 'agent:<id>'. */
  subscribe(topic: EventTopic, handler: EventHandler): Unsubscribe {
    return this.router.add(topic, handler);
  }

  /** Calls the listener after every status change (not for every event; read `status.lastSeq` for that). */
  onStatus(listener: (status: ConnectionStatus) => void): Unsubscribe {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Calls the listener each time the stream turns live, with `resumed` true after a reconnection. */
  onReady(listener: (info: ReadyInfo) => void): Unsubscribe {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** Calls the listener on every failure, saying whether the stream will reconnect. */
  onError(listener: (error: MissionControlError, info: FailureInfo) => void): Unsubscribe {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Sends a message as JSON now when connected, else queues it (bounded) until the socket opens. */
  send(message: unknown): void {
    const text = JSON.stringify(message);
    if (this.socket && this.socket.readyState === openState) {
      this.socket.send(text);
      return;
    }
    this.queue.push(text);
    const limit = this.options.maxQueuedMessages ?? 100;
    while (this.queue.length > limit) this.queue.shift();
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const isStale = () => this.stopped || generation !== this.generation;
    this.attemptInProgress = true;
    this.updateStatus({ state: this.current.attempt > 0 ? 'reconnecting' : 'connecting', nextAttemptAt: null });
    let WebSocketClass: WebSocketConstructor;
    try {
      WebSocketClass = await this.context.webSocket();
    } catch (error) {
      if (isStale()) return;
      this.attemptInProgress = false;
      this.giveUp(toStreamError(error, 'No WebSocket implementation could be loaded.'));
      return;
    }
    let socket: WebSocketLike;
    let credential: string | undefined;
    let authMessage: string | undefined;
    try {
      credential = await this.context.credential();
      const url = await this.streamUrl(credential);
      authMessage = await this.createAuthMessage(credential, url);
      if (isStale()) return;
      socket = new WebSocketClass(url);
    } catch (error) {
      if (isStale()) return;
      this.attemptInProgress = false;
      this.retryAfter(toStreamError(error, 'The event stream could not be opened.'));
      return;
    }
    this.attemptInProgress = false;
    this.socket = socket;
    this.socketCredential = credential;
    this.serverError = undefined;
    this.serverLatestSeq = undefined;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      // The credential goes in the first message, never in the URL that proxies and servers log.
      if (authMessage) socket.send(authMessage);
      this.flushQueue(socket);
      this.startHeartbeat(socket);
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.handleMessage(event.data);
    };
    socket.onerror = () => {
      // The close event follows and decides what happens next.
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.stopHeartbeat();
      if (!this.stopped) void this.handleClose(event.code, event.reason);
    };
  }

  /**
   * The first message, `{"type":"auth","token"}`, unless the credential goes in the URL. An API key
   * also signs the upgrade request there (GET, its path and query, no body), since browsers cannot
   * set its headers; it is signed for each attempt, as the server accepts a signature only once.
   */
  private async createAuthMessage(credential: string | undefined, url: string): Promise<string | undefined> {
    if (!credential || this.options.credentialIn === 'query') return undefined;
    const signature = isApiKey(credential) && canSignRequests() ? await this.signRequest(credential, { method: 'GET', url }) : {};
    const message: StreamAuthMessage = { type: 'auth', token: credential, ...signature };
    return JSON.stringify(message);
  }

  /** The stream's URL with the resume point (and the credential only where `credentialIn: 'query'` asks for it). */
  private async streamUrl(credential: string | undefined): Promise<string> {
    const agentId = this.options.agentId;
    const path = agentId === undefined ? streamPaths.activities : buildEndpointPath(streamPaths.agent, { agentId });
    const url = new URL(`${this.context.baseUrl.replace(/^http/, 'ws')}${path}`);
    if (credential && this.options.credentialIn === 'query') url.searchParams.set('token', credential);
    if (this.current.lastSeq === null && this.options.startAfter) {
      const start = await Promise.resolve()
        .then(() => this.options.startAfter?.())
        .catch(() => undefined);
      if (start !== undefined) this.setResumePoint(start);
    }
    if (this.current.lastSeq !== null) url.searchParams.set('after', String(this.current.lastSeq));
    return url.toString();
  }

  private handleMessage(data: unknown): void {
    this.heartbeat?.noteFrame();
    const message = readIncomingMessage(data);
    switch (message.kind) {
      case 'event': {
        // After a reconnect the server replays after the resume point; a repeat is dropped by its sequence.
        if (this.current.lastSeq !== null && message.seq <= this.current.lastSeq) return;
        this.current = { ...this.current, lastSeq: message.seq };
        this.router.dispatch(message.activity, message.seq);
        return;
      }
      case 'unknown-event': {
        if (this.current.lastSeq === null || message.seq > this.current.lastSeq) this.current = { ...this.current, lastSeq: message.seq };
        return;
      }
      case 'ready': {
        const resumed = this.hasBeenLive;
        this.hasBeenLive = true;
        this.renewedSinceLive = false;
        this.resetSinceLive = false;
        const lastSeq = this.current.lastSeq === null ? message.seq : Math.max(this.current.lastSeq, message.seq);
        this.updateStatus({ state: 'live', attempt: 0, nextAttemptAt: null, lastSeq, lastError: null });
        for (const listener of [...this.readyListeners]) listener({ seq: message.seq, resumed });
        return;
      }
      case 'error': {
        this.serverError = message.error;
        this.serverLatestSeq = message.latestSeq;
        this.updateStatus({ lastError: message.error });
        return;
      }
      case 'pong': {
        this.heartbeat?.notePong();
        return;
      }
      case 'ignored':
        return;
    }
  }

  private async handleClose(code: number, reason: string): Promise<void> {
    const error =
      this.serverError ?? new MissionControlError('NETWORK_ERROR', `The event stream closed (code ${code}${reason ? `: ${reason}` : ''}).`);
    if (code === unknownAgentCloseCode) {
      this.giveUp(error);
      return;
    }
    if (code === cursorAheadCloseCode) {
      // Our resume point came from a database the server no longer has: resume from its newest
      // event (or live), and say so, so the app can reload what it shows. Twice in a row without
      // turning live backs off like any failure, so a confused server cannot make us spin.
      this.updateStatus({ lastSeq: this.serverLatestSeq ?? null });
      if (this.resetSinceLive) {
        this.retryAfter(error);
        return;
      }
      this.resetSinceLive = true;
      this.updateStatus({ lastError: error, nextAttemptAt: null });
      this.report(error, true);
      void this.connect();
      return;
    }
    if (!credentialCloseCodes.has(code)) {
      this.retryAfter(error);
      return;
    }
    if (this.renewedSinceLive) {
      this.giveUp(error);
      return;
    }
    const refused = this.socketCredential;
    // Without a renewal hook, a credential function that now gives another credential (the app
    // rotated its key before revoking the old one) is a renewal too.
    const renew =
      this.context.onUnauthorized ??
      (async () => {
        const next = await this.context.credential();
        return next !== undefined && next !== refused;
      });
    this.renewedSinceLive = true;
    const generation = ++this.generation;
    this.attemptInProgress = true;
    this.updateStatus({ state: 'reconnecting', lastError: error, nextAttemptAt: null });
    const renewed = await renew().catch(() => false);
    if (this.stopped || generation !== this.generation) return;
    this.attemptInProgress = false;
    if (!renewed) {
      this.giveUp(error);
      return;
    }
    this.report(error, true);
    // The credential changed; there is nothing to wait out.
    void this.connect();
  }

  /** A failure reconnecting can fix: tell the listeners, then try again after a backoff (or when back online). */
  private retryAfter(error: MissionControlError): void {
    const attempt = this.current.attempt;
    const delay = computeBackoffDelay(attempt, this.reconnectDelays);
    const offline = this.current.state === 'offline';
    const now = this.options.clock?.() ?? Date.now();
    this.updateStatus({
      state: offline ? 'offline' : 'reconnecting',
      attempt: attempt + 1,
      nextAttemptAt: offline ? null : now + delay,
      lastError: error,
    });
    this.report(error, true, attempt);
    if (offline || this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  /** A failure reconnecting cannot fix: stop and say so. */
  private giveUp(error: MissionControlError): void {
    this.stopped = true;
    this.abandonAttempt();
    this.updateStatus({ state: 'closed', nextAttemptAt: null, lastError: error });
    this.report(error, false);
  }

  private report(error: MissionControlError, willReconnect: boolean, attempt = this.current.attempt): void {
    for (const listener of [...this.errorListeners]) listener(error, { willReconnect, attempt });
  }

  private abandonAttempt(): void {
    this.generation += 1;
    this.attemptInProgress = false;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
  }

  /** Closes the current socket without letting its events reach the stream. */
  private discardSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = undefined;
    this.stopHeartbeat();
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    // Closing a socket that is still opening emits an error; `ws` throws on an error nobody listens to.
    socket.onerror = () => {};
    try {
      socket.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  private flushQueue(socket: WebSocketLike): void {
    while (this.queue.length > 0 && socket.readyState === openState) {
      const text = this.queue.shift();
      if (text !== undefined) socket.send(text);
    }
  }

  private startHeartbeat(socket: WebSocketLike): void {
    this.stopHeartbeat();
    const heartbeat = this.options.heartbeat;
    if (heartbeat === false) return;
    const timing = { intervalMs: heartbeat?.intervalMs ?? 25_000, timeoutMs: heartbeat?.timeoutMs ?? 10_000 };
    this.heartbeat = new SocketHeartbeat(socket, timing, () => this.declareDead(socket));
  }

  private declareDead(socket: WebSocketLike): void {
    if (this.socket !== socket || this.stopped) return;
    this.discardSocket(untrustedSocketCloseCode, 'heartbeat timeout');
    this.retryAfter(new MissionControlError('NETWORK_ERROR', 'The event stream stopped answering heartbeats; reconnecting.'));
  }

  private stopHeartbeat(): void {
    this.heartbeat?.stop();
    this.heartbeat = undefined;
  }

  private updateStatus(change: Partial<ConnectionStatus>): void {
    this.current = { ...this.current, ...change };
    for (const listener of [...this.statusListeners]) listener(this.current);
  }
}
