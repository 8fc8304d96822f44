import { type Activity, streamMessageSchema } from '@mission-control/contracts';

export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the stream was last live. */
  attempt: number;
  /** When the next attempt starts, while reconnecting. */
  nextAttemptAt: number | null;
  lastSeq: number | null;
  /** The last reason the server gave for closing, if any. */
  lastError: string | null;
}

/** The part of the browser WebSocket the client uses, so tests can pass a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface RealtimeClientOptions {
  /** Builds the socket URL with a fresh token and the resume point; null while signed out. */
  buildUrl(after: number | null): Promise<string | null>;
  createSocket?: WebSocketFactory;
  random?: () => number;
  now?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  maxQueuedMessages?: number;
}

export type ActivityHandler = (activity: Activity) => void;
export type ReadyHandler = (info: { resumed: boolean; seq: number }) => void;

const openState = 1;

/** The topics one activity is published under: everything, its type, its task and its agent. */
export function topicsOf(activity: Activity): string[] {
  const topics = ['*', `type:${activity.type}`];
  if (activity.taskId) topics.push(`task:${activity.taskId}`);
  if (activity.agentId) topics.push(`agent:${activity.agentId}`);
  if (activity.actor?.kind === 'agent' && activity.actor.id !== activity.agentId) topics.push(`agent:${activity.actor.id}`);
  return topics;
}

/**
 * One WebSocket to the workspace's activity stream for the whole app. It reconnects with
 * exponential backoff and full jitter (so a restarted server is not hit by every tab at once),
 * resumes with `after=<last seq>` so nothing is missed or repeated, sends a heartbeat, queues
 * what is sent while disconnected, and routes events to topic subscribers.
 */
export class RealtimeClient {
  private socket: WebSocketLike | null = null;
  private status: ConnectionStatus = { state: 'idle', attempt: 0, nextAttemptAt: null, lastSeq: null, lastError: null };
  private readonly subscribers = new Map<string, Set<ActivityHandler>>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly readyListeners = new Set<ReadyHandler>();
  private readonly queue: string[] = [];
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private heartbeatDeadline: ReturnType<typeof setTimeout> | undefined;
  /** Set once the server answers a ping with a pong; only then does a missing pong count as a dead socket. */
  private serverAnswersPings = false;
  private hasBeenLive = false;
  private stopped = true;
  private generation = 0;
  private readonly options: Required<Omit<RealtimeClientOptions, 'buildUrl' | 'createSocket'>> &
    Pick<RealtimeClientOptions, 'buildUrl' | 'createSocket'>;

  constructor(options: RealtimeClientOptions) {
    this.options = {
      random: Math.random,
      now: () => Date.now(),
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      heartbeatIntervalMs: 25_000,
      heartbeatTimeoutMs: 10_000,
      maxQueuedMessages: 100,
      ...options,
    };
  }

  get connection(): ConnectionStatus {
    return this.status;
  }

  /** Where to resume from: the newest sequence the app already has (from a REST load). */
  setResumePoint(seq: number): void {
    if (this.status.lastSeq === null || seq > this.status.lastSeq) this.updateStatus({ lastSeq: seq });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'client stopped');
    }
    this.updateStatus({ state: 'closed', nextAttemptAt: null });
  }

  /** Reconnect at once (the browser came back online, the tab became visible). */
  reconnectNow(): void {
    if (this.stopped || this.status.state === 'live' || this.status.state === 'connecting') return;
    clearTimeout(this.reconnectTimer);
    void this.connect();
  }

  /** The browser reports it is offline: stop trying until it is back. */
  markOffline(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.updateStatus({ state: 'offline', nextAttemptAt: null });
  }

  /** Subscribes to a topic: '*', 'type:<event type>', 'task:<id>' or 'agent:<id>'. */
  subscribe(topic: string, handler: ActivityHandler): () => void {
    let handlers = this.subscribers.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.subscribers.set(topic, handlers);
    }
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0) this.subscribers.delete(topic);
    };
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onReady(listener: ReadyHandler): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** Sends now when connected, otherwise queues (oldest dropped past the limit) until the socket opens. */
  send(message: unknown): void {
    const text = JSON.stringify(message);
    if (this.socket && this.socket.readyState === openState) {
      this.socket.send(text);
      return;
    }
    this.queue.push(text);
    if (this.queue.length > this.options.maxQueuedMessages) this.queue.shift();
  }

  get queuedMessages(): number {
    return this.queue.length;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.updateStatus({ state: this.status.attempt > 0 ? 'reconnecting' : 'connecting', nextAttemptAt: null });
    let url: string | null;
    try {
      url = await this.options.buildUrl(this.status.lastSeq);
    } catch {
      url = null;
    }
    if (generation !== this.generation || this.stopped) return;
    if (!url) {
      this.scheduleReconnect();
      return;
    }
    const createSocket = this.options.createSocket ?? ((address: string) => new WebSocket(address) as unknown as WebSocketLike);
    let socket: WebSocketLike;
    try {
      socket = createSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.flushQueue();
      this.startHeartbeat();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.handleMessage(event.data);
    };
    socket.onerror = () => {
      // The close event that follows carries what matters; nothing to do here.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      if (!this.stopped) this.scheduleReconnect();
    };
  }

  private handleMessage(raw: unknown): void {
    this.armHeartbeatDeadline(false);
    if (typeof raw !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    if (json && typeof json === 'object' && 'type' in json && json.type === 'pong') {
      this.serverAnswersPings = true;
      return;
    }
    const parsed = streamMessageSchema.safeParse(json);
    if (!parsed.success) {
      // An event this build does not know (a newer server): keep the resume point moving past it.
      const seq = json && typeof json === 'object' && 'seq' in json && typeof json.seq === 'number' ? json.seq : null;
      if (seq !== null) this.setResumePoint(seq);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      if (this.status.lastSeq !== null && message.seq <= this.status.lastSeq) return;
      this.status = { ...this.status, lastSeq: message.seq };
      this.dispatch(message.data);
      return;
    }
    if (message.type === 'ready') {
      const resumed = this.hasBeenLive;
      this.hasBeenLive = true;
      if (this.status.lastSeq === null || message.seq > this.status.lastSeq) this.status = { ...this.status, lastSeq: message.seq };
      this.updateStatus({ state: 'live', attempt: 0, nextAttemptAt: null, lastError: null });
      for (const listener of this.readyListeners) listener({ resumed, seq: message.seq });
      return;
    }
    this.updateStatus({ lastError: `${message.data.code}: ${message.data.message}` });
  }

  private dispatch(activity: Activity): void {
    for (const topic of topicsOf(activity)) {
      const handlers = this.subscribers.get(topic);
      if (!handlers) continue;
      for (const handler of [...handlers]) {
        try {
          handler(activity);
        } catch (error) {
          // One broken view must not stop the others from updating.
          console.error('realtime subscriber failed', error);
        }
      }
    }
  }

  private flushQueue(): void {
    const socket = this.socket;
    if (!socket) return;
    while (this.queue.length > 0 && socket.readyState === openState) {
      const text = this.queue.shift();
      if (text !== undefined) socket.send(text);
    }
  }

  /** Full jitter: a random delay between 0 and the exponential cap. */
  delayFor(attempt: number): number {
    const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return Math.round(this.options.random() * cap);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    const attempt = this.status.attempt;
    const delay = this.delayFor(attempt);
    this.updateStatus({
      state: this.status.state === 'offline' ? 'offline' : 'reconnecting',
      attempt: attempt + 1,
      nextAttemptAt: this.options.now() + delay,
    });
    if (this.status.state === 'offline') return;
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      const socket = this.socket;
      if (!socket || socket.readyState !== openState) return;
      // Exactly this text: the server answers it with a pong without parsing.
      socket.send('{"type":"ping"}');
      this.armHeartbeatDeadline(true);
    }, this.options.heartbeatIntervalMs);
  }

  /** After a ping, a server known to answer pings has heartbeatTimeoutMs to say anything before the socket counts as dead. */
  private armHeartbeatDeadline(pingSent: boolean): void {
    clearTimeout(this.heartbeatDeadline);
    if (!pingSent || !this.serverAnswersPings) return;
    this.heartbeatDeadline = setTimeout(() => {
      const socket = this.socket;
      if (!socket) return;
      this.socket = null;
      this.stopHeartbeat();
      socket.onclose = null;
      socket.close(4000, 'heartbeat timeout');
      this.scheduleReconnect();
    }, this.options.heartbeatTimeoutMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.heartbeatDeadline);
  }

  private updateStatus(change: Partial<ConnectionStatus>): void {
    this.status = { ...this.status, ...change };
    for (const listener of this.statusListeners) listener(this.status);
  }
}
