import { type Activity, streamCloseCodes } from '@mission-control/contracts';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { findLatestEventSeq, listEventsAfter } from './event.repository.js';
import { type EventTailer, type StreamedEvent, toStreamedEvent } from './event-tailer.js';

/** What the hub needs from a socket: sending, how much is still queued, closing with a reason. */
export interface StreamSink {
  send(message: string): void;
  readonly bufferedBytes: number;
  close(code: number, reason: string): void;
}

export interface SubscriptionOptions {
  principal: Principal;
  /** Replay everything after this sequence first; undefined starts from now. */
  after: number | undefined;
  /** Which events this subscription wants. */
  filter: (activity: Activity) => boolean;
  sink: StreamSink;
  name: string;
  /** Called with each event that was sent, e.g. to mark notifications delivered. */
  onSent?: (activity: Activity) => void;
  /** Called once the backlog is sent, right as the subscription turns live, with its cursor. */
  onLive?: (cursor: number) => void;
}

export interface StreamHubOptions {
  db: Kysely<Database>;
  tailer: EventTailer;
  /** A socket whose unsent data grows past this is closed: a slow consumer cannot grow memory without bound. */
  maxBufferedBytes?: number;
  maxSubscriptionsPerPrincipal?: number;
  replayBatchSize?: number;
}

interface Subscription extends SubscriptionOptions {
  workspaceId: string;
  cursor: number;
  live: boolean;
  closed: boolean;
  /** Closed by us for being too slow; the socket's close handler unsubscribes. */
  dropped: boolean;
}

export const closeCodes = {
  ...streamCloseCodes,
  unauthenticated: streamCloseCodes.credentialInvalid,
  shuttingDown: 1001,
} as const;

export class SubscriptionLimitError extends Error {}

/** The client asked to resume after a sequence the server never reached: its cursor is from another (or a reset) database. */
export class CursorAheadError extends Error {
  constructor(readonly latestSeq: number) {
    super(
      `after is beyond the newest event (${latestSeq}): this server's events were reset or you connected to another one. Resume after ${latestSeq}.`,
    );
  }
}

/**
 * Fans the event stream out to sockets. A new subscription first replays from the database
 * after its `after` sequence, then turns live at a moment when nothing was dispatched during
 * its last read, so it gets every event once, in order. Live dispatch reuses the message each
 * event was serialised to once.
 */
export class StreamHub {
  private readonly byWorkspace = new Map<string, Set<Subscription>>();
  private readonly countByPrincipal = new Map<string, number>();
  private readonly unsubscribeTailer: () => void;

  constructor(private readonly options: StreamHubOptions) {
    this.unsubscribeTailer = options.tailer.subscribe((events) => this.dispatch(events));
  }

  get subscriptionCount(): number {
    let count = 0;
    for (const subscriptions of this.byWorkspace.values()) count += subscriptions.size;
    return count;
  }

  /** Starts a subscription; resolves once its backlog is sent and it is live. Returns the closer. */
  async subscribe(options: SubscriptionOptions): Promise<() => void> {
    if (options.after !== undefined && options.after > this.options.tailer.latestSeq) {
      // This instance's tailer may lag behind what another instance already streamed: ask the table.
      const latestSeq = await findLatestEventSeq(this.options.db);
      if (options.after > latestSeq) throw new CursorAheadError(latestSeq);
    }
    const principalKey = `${options.principal.kind}:${options.principal.id}`;
    const limit = this.options.maxSubscriptionsPerPrincipal ?? 20;
    const current = this.countByPrincipal.get(principalKey) ?? 0;
    if (current >= limit) {
      throw new SubscriptionLimitError(`At most ${limit} open streams per agent or user. Close one before opening another.`);
    }
    this.countByPrincipal.set(principalKey, current + 1);
    const subscription: Subscription = {
      ...options,
      workspaceId: options.principal.workspaceId,
      cursor: options.after ?? this.options.tailer.latestSeq,
      live: false,
      closed: false,
      dropped: false,
    };
    let set = this.byWorkspace.get(subscription.workspaceId);
    if (!set) {
      set = new Set();
      this.byWorkspace.set(subscription.workspaceId, set);
    }
    set.add(subscription);
    const unsubscribe = () => {
      if (subscription.closed) return;
      subscription.closed = true;
      this.byWorkspace.get(subscription.workspaceId)?.delete(subscription);
      const count = (this.countByPrincipal.get(principalKey) ?? 1) - 1;
      if (count <= 0) this.countByPrincipal.delete(principalKey);
      else this.countByPrincipal.set(principalKey, count);
    };
    try {
      await this.replay(subscription);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Tells every socket why it is closing. */
  closeAll(code: number, reason: string): void {
    for (const subscriptions of this.byWorkspace.values()) {
      for (const subscription of subscriptions) subscription.sink.close(code, reason);
    }
  }

  stop(): void {
    this.unsubscribeTailer();
  }

  private async replay(subscription: Subscription): Promise<void> {
    const batchSize = this.options.replayBatchSize ?? 500;
    for (;;) {
      const headBeforeRead = this.options.tailer.latestSeq;
      const rows = await listEventsAfter(this.options.db, {
        afterSeq: subscription.cursor,
        limit: batchSize,
        workspaceId: subscription.workspaceId,
      });
      if (subscription.closed || subscription.dropped) return;
      for (const row of rows) {
        const event = toStreamedEvent(row);
        if (!this.deliver(subscription, event)) return;
      }
      if (rows.length === batchSize) continue;
      // Everything up to the head seen before the read is now sent. If nothing was dispatched
      // while we read, no event can fall between the replay and the live stream.
      subscription.cursor = Math.max(subscription.cursor, headBeforeRead);
      if (this.options.tailer.latestSeq === headBeforeRead) {
        subscription.live = true;
        subscription.onLive?.(subscription.cursor);
        return;
      }
    }
  }

  private dispatch(events: StreamedEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    for (const event of events) {
      const subscriptions = this.byWorkspace.get(event.workspaceId);
      if (!subscriptions) continue;
      for (const subscription of subscriptions) {
        if (subscription.live) this.deliver(subscription, event);
      }
    }
    for (const subscriptions of this.byWorkspace.values()) {
      for (const subscription of subscriptions) {
        if (subscription.live && subscription.cursor < last.seq) subscription.cursor = last.seq;
      }
    }
  }

  /** Sends one event if the subscription wants it and has not had it; false when the socket was dropped. */
  private deliver(subscription: Subscription, event: StreamedEvent): boolean {
    if (subscription.closed || subscription.dropped) return false;
    if (event.seq <= subscription.cursor) return true;
    subscription.cursor = event.seq;
    if (!subscription.filter(event.activity)) return true;
    const limit = this.options.maxBufferedBytes ?? 4 * 1024 * 1024;
    if (subscription.sink.bufferedBytes > limit) {
      subscription.dropped = true;
      subscription.live = false;
      subscription.sink.close(closeCodes.slowConsumer, 'slow consumer: reconnect with after=<last seq> to resume');
      return false;
    }
    subscription.sink.send(event.message);
    subscription.onSent?.(event.activity);
    return true;
  }
}
