import type { DatabaseHandle } from '../db/database.js';
import { type CredentialChecks, CredentialWatcher } from './credential-watcher.js';
import { EventTailer } from './event-tailer.js';
import { closeCodes, StreamHub } from './stream-hub.js';

export interface EventStreamOptions {
  pollIntervalMs?: number;
  maxBufferedBytes?: number;
  maxSubscriptionsPerPrincipal?: number;
  pingIntervalMs?: number;
  /** How long a socket opened without a credential has to send `{"type":"auth","token":…}` (5 s by default). */
  authTimeoutMs?: number;
  /** How often credential expiries are checked (1 s by default). */
  expiryCheckIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface EventStream {
  tailer: EventTailer;
  hub: StreamHub;
  /** Closes sockets, MCP sessions and chat answers whose credential stopped giving access. */
  credentials: CredentialWatcher;
  pingIntervalMs: number;
  authTimeoutMs: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The instance's event tailer, the credential watcher and the socket hub, all fed by the tailer. */
export function createEventStream(database: DatabaseHandle, checks: CredentialChecks, options: EventStreamOptions = {}): EventStream {
  const tailer = new EventTailer({
    db: database.db,
    commits: database.commits,
    postgres: database.databaseUrl ? { url: database.databaseUrl, schema: database.postgresSchema } : undefined,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  // Built before the hub, so it hears each batch first: a socket whose credential a batch revokes
  // is closed before the hub could send it anything that came after the revocation.
  const credentials = new CredentialWatcher({
    ...checks,
    tailer,
    ...(options.expiryCheckIntervalMs ? { expiryCheckIntervalMs: options.expiryCheckIntervalMs } : {}),
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
    credentials,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    authTimeoutMs: options.authTimeoutMs ?? 5_000,
    start: () => tailer.start(),
    async stop() {
      hub.closeAll(closeCodes.shuttingDown, 'server shutting down: reconnect with after=<last seq>');
      hub.stop();
      credentials.stop();
      await tailer.stop();
    },
  };
}
