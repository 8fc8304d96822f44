import type { Activity } from '@mission-control/contracts';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { CommitSignal } from '../db/commit-signal.js';
import type { Database } from '../db/schema.js';
import { eventChannel, findLatestEventSeq, readEventsAfter, toActivity } from './event.repository.js';

/** An event as the stream hands it out: parsed once, serialised once for every socket. */
export interface StreamedEvent {
  seq: number;
  workspaceId: string;
  activity: Activity;
  /** The `{ type: 'event', seq, at, data }` message, already JSON. */
  message: string;
}

export interface EventTailerOptions {
  db: Kysely<Database>;
  commits: CommitSignal;
  /** Set on PostgreSQL: LISTEN for commits made by other instances. */
  postgres?: { url: string; schema?: string | undefined } | undefined;
  /** Safety net for missed wake-ups, and the backfill after a LISTEN reconnect. */
  pollIntervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
}

export function toStreamedEvent(row: Parameters<typeof toActivity>[0]): StreamedEvent {
  const activity = toActivity(row);
  return {
    seq: activity.seq,
    workspaceId: activity.workspaceId,
    activity,
    message: JSON.stringify({ type: 'event', seq: activity.seq, at: activity.createdAt, data: activity }),
  };
}

/**
 * One reader of the events table per instance. It is woken by local commits, by NOTIFY from
 * other instances, and by a slow poll; it reads everything after its cursor in sequence order
 * and hands each batch to its listeners. Wake-ups carry no data: the table is the truth.
 */
export class EventTailer {
  private head = 0;
  private listening = false;
  private lastReadAt: Date | undefined;
  private reading = false;
  private wakeAgain = false;
  private stopped = true;
  private pollTimer: NodeJS.Timeout | undefined;
  private listenClient: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private unsubscribeCommits: (() => void) | undefined;
  private readonly listeners = new Set<(events: StreamedEvent[]) => void>();
  private idleWaiters: (() => void)[] = [];
  // Local commits signalled, and how many of them a finished read has covered.
  private commitsSeen = 0;
  private commitsRead = 0;

  constructor(private readonly options: EventTailerOptions) {}

  /** The last sequence handed to listeners. */
  get latestSeq(): number {
    return this.head;
  }

  /** What /api/health reports: whether the LISTEN connection is up (null on SQLite, which needs none) and the last read. */
  status(): { listening: boolean | null; latestSeq: number; lastReadAt: string | null } {
    return {
      listening: this.options.postgres ? this.listening : null,
      latestSeq: this.head,
      lastReadAt: this.lastReadAt?.toISOString() ?? null,
    };
  }

  /**
   * True when every local commit signalled so far was followed by a finished read: what this
   * instance acknowledged has reached the listeners. Answers kept from the stream are safe then.
   */
  get isCurrent(): boolean {
    return !this.stopped && this.commitsRead === this.commitsSeen;
  }

  subscribe(listener: (events: StreamedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.head = await findLatestEventSeq(this.options.db);
    this.unsubscribeCommits = this.options.commits.subscribe(() => {
      this.commitsSeen += 1;
      this.wake();
    });
    this.pollTimer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1_000);
    this.pollTimer.unref();
    if (this.options.postgres) await this.listen(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribeCommits?.();
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    const client = this.listenClient;
    this.listenClient = undefined;
    this.listening = false;
    await client?.end().catch(() => {});
    await this.waitUntilIdle();
  }

  /** Reads now (or right after the read in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.wakeAgain = true;
      return;
    }
    void this.readAll();
  }

  /** Resolves once no read is running or pending; tests use it to wait for delivery. */
  waitUntilIdle(): Promise<void> {
    if (!this.reading) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async readAll(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.wakeAgain = false;
        const commitsCovered = this.commitsSeen;
        // On PostgreSQL a transaction still in progress may hold committed rows back (decision
        // 0020); its own commit wakes us again, and until then the local commits are not covered.
        let heldBack = false;
        for (;;) {
          const batchSize = this.options.batchSize ?? 500;
          const read = await readEventsAfter(this.options.db, { afterSeq: this.head, limit: batchSize });
          const rows = read.rows;
          heldBack = read.heldBack;
          if (rows.length === 0) break;
          const events = rows.map(toStreamedEvent);
          this.head = events[events.length - 1]?.seq ?? this.head;
          for (const listener of this.listeners) {
            try {
              listener(events);
            } catch (error) {
              this.options.onError?.(error);
            }
          }
          if (rows.length < batchSize || heldBack) break;
        }
        this.lastReadAt = new Date();
        if (!heldBack) this.commitsRead = commitsCovered;
      } while (this.wakeAgain && !this.stopped);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.reading = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async listen(attempt: number): Promise<void> {
    const postgres = this.options.postgres;
    if (!postgres || this.stopped) return;
    const client = new pg.Client({
      connectionString: postgres.url,
      ...(postgres.schema ? { options: `-c search_path=${postgres.schema}` } : {}),
    });
    const retry = (error: unknown) => {
      if (this.stopped || this.listenClient !== client) return;
      this.options.onError?.(error);
      this.listening = false;
      this.listenClient = undefined;
      client.end().catch(() => {});
      const delay = Math.min(30_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
      this.reconnectTimer = setTimeout(() => void this.listen(attempt + 1), delay);
      this.reconnectTimer.unref();
    };
    this.listenClient = client;
    client.on('notification', () => this.wake());
    client.on('error', retry);
    try {
      await client.connect();
      await client.query(`listen ${eventChannel}`);
      this.listening = true;
      // Whatever committed while we were not listening is read now.
      this.wake();
    } catch (error) {
      retry(error);
    }
  }
}
