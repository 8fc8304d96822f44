import { endpoints, type SessionTokens, sessionTokensSchema } from '@mission-control/contracts';
import { isMissionControlError, type MissionControl } from '@mission-control/sdk';

const storageKey = 'mission-control.session';
/** Refresh this long before the access token expires, so requests never race the expiry. */
const refreshMarginMs = 60_000;

export type Session = SessionTokens;

type Listener = (session: Session | null) => void;

export interface SessionStoreOptions {
  storage?: Storage | undefined;
  /** Refreshes the session (`refreshSession`); a client that sends no credential of its own. */
  client: Pick<MissionControl, 'request'>;
  now?: () => number;
}

/**
 * Holds the signed-in session. The refresh token rotates (each works once), so refreshing is
 * single-flight inside a tab and serialised across tabs with the Web Locks API; a tab that
 * waited for the lock adopts the session another tab already refreshed instead of spending a
 * used token (which the server would treat as theft and revoke).
 */
export class SessionStore {
  private session: Session | null;
  private listeners = new Set<Listener>();
  private refreshing: Promise<Session | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly storage: Storage | undefined;
  private readonly client: Pick<MissionControl, 'request'>;
  private readonly now: () => number;

  constructor(options: SessionStoreOptions) {
    this.storage = options.storage;
    this.client = options.client;
    this.now = options.now ?? (() => Date.now());
    this.session = this.readStored();
    this.scheduleRefresh();
  }

  get current(): Session | null {
    return this.session;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Session | null => this.session;

  set(session: Session | null): void {
    this.session = session;
    if (session) this.storage?.setItem(storageKey, JSON.stringify(session));
    else this.storage?.removeItem(storageKey);
    this.scheduleRefresh();
    for (const listener of this.listeners) listener(session);
  }

  /** Adopts a session written by another tab (the storage event). */
  syncFromStorage(): void {
    const stored = this.readStored();
    if (stored?.accessToken !== this.session?.accessToken) {
      this.session = stored;
      this.scheduleRefresh();
      for (const listener of this.listeners) listener(stored);
    }
  }

  /** An access token that is valid now, refreshing first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    const session = this.session;
    if (!session) return null;
    if (Date.parse(session.accessTokenExpiresAt) - this.now() > refreshMarginMs / 4) return session.accessToken;
    const refreshed = await this.refresh();
    return refreshed?.accessToken ?? null;
  }

  /** Trades the refresh token for a new pair; null (and signed out) when the server refuses. */
  refresh(): Promise<Session | null> {
    if (this.refreshing) return this.refreshing;
    const spentToken = this.session?.refreshToken;
    const run = async (): Promise<Session | null> => {
      // Another tab may have refreshed while this one waited for the lock.
      const stored = this.readStored();
      if (stored && stored.refreshToken !== spentToken && Date.parse(stored.accessTokenExpiresAt) > this.now() + refreshMarginMs / 4) {
        this.set(stored);
        return stored;
      }
      const token = stored?.refreshToken ?? spentToken;
      if (!token) return null;
      try {
        const next = await this.client.request(endpoints.refreshSession, { body: { refreshToken: token } });
        this.set(next);
        return next;
      } catch (error) {
        // 401: the token is spent or revoked. Anything else (a 503 during a deploy, no network) keeps the session for a retry.
        if (isMissionControlError(error) && error.status === 401) {
          this.set(null);
          return null;
        }
        return this.session;
      }
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const locked = (async (): Promise<Session | null> => (locks ? await locks.request('mission-control.refresh', run) : await run()))();
    const promise = locked.finally(() => {
      this.refreshing = null;
    });
    this.refreshing = promise;
    return promise;
  }

  private readStored(): Session | null {
    const raw = this.storage?.getItem(storageKey);
    if (!raw) return null;
    try {
      const parsed = sessionTokensSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return null;
      if (Date.parse(parsed.data.refreshTokenExpiresAt) <= this.now()) return null;
      return parsed.data;
    } catch {
      return null;
    }
  }

  private scheduleRefresh(): void {
    clearTimeout(this.timer);
    const session = this.session;
    if (!session) return;
    const delay = Math.max(1_000, Date.parse(session.accessTokenExpiresAt) - this.now() - refreshMarginMs);
    this.timer = setTimeout(() => void this.refresh(), Math.min(delay, 2_147_000_000));
  }
}
