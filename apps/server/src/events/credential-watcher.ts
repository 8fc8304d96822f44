import type { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../core/clock.js';
import { isAppError } from '../http/app-error.js';
import { type CredentialHolder, expiryRevocation, type Revocation, reviewHolder } from './credential-revocation.js';
import type { EventTailer, StreamedEvent } from './event-tailer.js';

/** What the watcher needs to check a credential again: the auth service and the services' clock. */
export interface CredentialChecks {
  auth: Pick<AuthService, 'authenticate' | 'findCredentialExpiry'>;
  clock: Clock;
}

export interface CredentialWatcherOptions extends CredentialChecks {
  tailer: EventTailer;
  /** How often expiries are compared with the clock (1 s by default). */
  expiryCheckIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/** One thing held open with a credential: a socket, an MCP session, a chat answer. */
export interface CredentialWatch extends CredentialHolder {
  /** Called once, when the credential stops giving access; the holder closes what it holds. */
  onRevoked(revocation: Revocation): void;
  /** Called when the holder's role changed and still gives access. */
  onRoleChanged?(principal: Principal): void;
}

interface Entry extends CredentialWatch {
  expiresAt: number | null;
  finished: boolean;
}

/**
 * Closes what was opened with a credential as soon as that credential stops giving access. Every
 * revocation is an event (api-key-revoked, agent-deleted, member-removed, member-updated,
 * session-ended), so each instance learns of it from its tailer, whichever instance made the
 * change; expiries (an access token's exp, a key's expiry) are compared with the clock.
 */
export class CredentialWatcher {
  private readonly byWorkspace = new Map<string, Set<Entry>>();
  private readonly unsubscribeTailer: () => void;
  private readonly expiryTimer: NodeJS.Timeout;

  constructor(private readonly options: CredentialWatcherOptions) {
    this.unsubscribeTailer = options.tailer.subscribe((events) => this.review(events));
    this.expiryTimer = setInterval(() => this.expire(), options.expiryCheckIntervalMs ?? 1_000);
    this.expiryTimer.unref();
  }

  /** The last sequence the tailer handed out: read it before authenticating, pass it to `watch`. */
  get latestSeq(): number {
    return this.options.tailer.latestSeq;
  }

  get watchCount(): number {
    let count = 0;
    for (const entries of this.byWorkspace.values()) count += entries.size;
    return count;
  }

  /**
   * Starts watching a credential that was authenticated when the tailer stood at `checkedAtSeq`
   * (undefined: unknown). A revocation the tailer read between that check and now would be missed
   * by the event rule, so the credential is then authenticated once more. Returns the stopper.
   */
  async watch(watch: CredentialWatch, checkedAtSeq?: number): Promise<() => void> {
    const entry: Entry = { ...watch, expiresAt: null, finished: false };
    const workspaceId = watch.principal.workspaceId;
    let entries = this.byWorkspace.get(workspaceId);
    if (!entries) {
      entries = new Set();
      this.byWorkspace.set(workspaceId, entries);
    }
    entries.add(entry);
    const stop = () => this.remove(entry);
    try {
      const expiresAt = await this.options.auth.findCredentialExpiry(watch.credential);
      entry.expiresAt = expiresAt ? expiresAt.getTime() : null;
      if (checkedAtSeq === undefined || checkedAtSeq !== this.latestSeq) await this.authenticateAgain(entry);
      this.expireEntry(entry, this.options.clock.now().getTime());
    } catch (error) {
      this.options.onError?.(error);
    }
    return stop;
  }

  stop(): void {
    this.unsubscribeTailer();
    clearInterval(this.expiryTimer);
    this.byWorkspace.clear();
  }

  private async authenticateAgain(entry: Entry): Promise<void> {
    try {
      const principal = await this.options.auth.authenticate(entry.credential);
      if (principal.role !== entry.principal.role) this.changeRole(entry, principal.role);
    } catch (error) {
      if (!isAppError(error)) throw error;
      this.revoke(entry, { closeCode: 4401, code: error.code, message: error.message });
    }
  }

  private review(events: StreamedEvent[]): void {
    for (const event of events) {
      const entries = this.byWorkspace.get(event.workspaceId);
      if (!entries) continue;
      for (const entry of entries) {
        const { revocation, role } = reviewHolder(entry, event.activity);
        if (revocation) this.revoke(entry, revocation);
        else if (role && role !== entry.principal.role) this.changeRole(entry, role);
      }
    }
  }

  private expire(): void {
    const now = this.options.clock.now().getTime();
    for (const entries of this.byWorkspace.values()) {
      for (const entry of entries) this.expireEntry(entry, now);
    }
  }

  private expireEntry(entry: Entry, now: number): void {
    if (entry.expiresAt !== null && now >= entry.expiresAt) this.revoke(entry, expiryRevocation(entry));
  }

  private changeRole(entry: Entry, role: Principal['role']): void {
    if (entry.principal.kind !== 'user' || role === 'agent') return;
    entry.principal = { ...entry.principal, role };
    try {
      entry.onRoleChanged?.(entry.principal);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private revoke(entry: Entry, revocation: Revocation): void {
    if (entry.finished) return;
    this.remove(entry);
    try {
      entry.onRevoked(revocation);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private remove(entry: Entry): void {
    entry.finished = true;
    const entries = this.byWorkspace.get(entry.principal.workspaceId);
    if (!entries) return;
    entries.delete(entry);
    if (entries.size === 0) this.byWorkspace.delete(entry.principal.workspaceId);
  }
}
