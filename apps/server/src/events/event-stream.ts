import type { DatabaseHandle } from '../db/database.js';
import { EventTailer } from './event-tailer.js';
import { closeCodes, StreamHub } from './stream-hub.js';

export interface EventStreamOptions {
  pollIntervalMs?: number;
  maxBufferedBytes?: number;
  maxSubscriptionsPerPrincipal?: number;
  pingIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface EventStream {
  tailer: EventTailer;
  hub: StreamHub;
  pingIntervalMs: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The instance's event tailer and the socket hub fed by it. */
export function createEventStream(database: DatabaseHandle, options: EventStreamOptions = {}): EventStream {
  const tailer = new EventTailer({
    db: database.db,
    commits: database.commits,
    postgres: database.databaseUrl ? { url: database.databaseUrl, schema: database.postgresSchema } : undefined,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const hub = new StreamHub({
    db: database.db,
    tailer,
    ...(options.maxBufferedBytes ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    ...(options.maxSubscriptionsPerPrincipal ? { maxSubscriptionsPerPrincipal: options.maxSubscriptionsPerPrincipal } : {}),
  });
  return {
    tailer,
    hub,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    start: () => tailer.start(),
    async stop() {
      hub.closeAll(closeCodes.shuttingDown, 'server shutting down: reconnect with after=<last seq>');
      hub.stop();
      await tailer.stop();
    },
  };
}
