import type { Activity } from '@mission-control/contracts';
import { reviewHolder } from '../events/credential-revocation.js';
import type { StreamedEvent } from '../events/event-tailer.js';
import type { Principal } from './principal.js';

/** How long a resolved credential is answered from memory, at most (clock time, ms). */
export const principalCacheLifetimeMs = 1_000;
/** Past this many entries the stale ones are swept, then the oldest dropped: memory stays bounded. */
const maxEntries = 20_000;

/** How the cache learns that access was taken away: the instance's event tailer. */
export interface PrincipalSource {
  subscribe(listener: (events: StreamedEvent[]) => void): () => void;
  /** True when every local commit so far has been read and handed to listeners. */
  readonly isCurrent: boolean;
}

/**
 * The events that take access away or change what a credential resolves to (decision 0009). The
 * same rule as for open sockets (`reviewHolder`) decides which cached credentials they touch.
 */
const revokingEvents = new Set<Activity['type']>([
  'api-key-revoked',
  'agent-deleted',
  'member-removed',
  'member-updated',
  'session-ended',
  // A custom role's permissions changed, or it went: its holders are looked up again.
  'role-updated',
  'role-deleted',
]);

interface Entry {
  credential: string;
  principal: Principal;
  /** Clock time (ms) from which the entry is not used: its lifetime, or the credential's own expiry if sooner. */
  staleAtMs: number;
}

/**
 * Resolved API keys and access tokens, kept for at most a second per instance (decision 0018).
 *
 * - Dropped as soon as the instance's tailer hands out an event that revokes them, whichever
 *   instance made the change.
 * - Used only while the tailer is current: a revocation committed on this instance makes the
 *   tailer not current until it has read it, so the request after a revoke reads the database.
 * - Stored only when no revoking event arrived while the credential was being resolved, and only
 *   while the tailer is current (a version counter taken before the reads).
 * - Never used past the credential's own expiry (a key's `expiresAt`, an access token's `exp`).
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private version = 0;
  private source: PrincipalSource | undefined;
  private unsubscribe: (() => void) | undefined;

  /** Starts answering from memory, kept current by the source; without one every request reads. */
  follow(source: PrincipalSource): void {
    this.stopFollowing();
    this.source = source;
    this.unsubscribe = source.subscribe((events) => this.dropFor(events));
  }

  stopFollowing(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.source = undefined;
    this.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The principal a credential resolved to less than a second ago, if nothing revoked it since. */
  find(credential: string, nowMs: number): Principal | undefined {
    if (!this.source?.isCurrent) return undefined;
    const entry = this.entries.get(credential);
    if (!entry) return undefined;
    if (nowMs >= entry.staleAtMs) {
      this.entries.delete(credential);
      return undefined;
    }
    return entry.principal;
  }

  /** Call before resolving a credential; hand the result to store(). */
  begin(): number {
    return this.version;
  }

  /** Keeps a resolved credential; `expiresAtMs` is when it stops working by itself (null: never). */
  store(credential: string, principal: Principal, nowMs: number, expiresAtMs: number | null, token: number): void {
    if (token !== this.version || !this.source?.isCurrent) return;
    const staleAtMs = Math.min(nowMs + principalCacheLifetimeMs, expiresAtMs ?? Number.POSITIVE_INFINITY);
    if (staleAtMs <= nowMs) return;
    if (this.entries.size >= maxEntries) this.makeRoom(nowMs);
    // Deleted first so the Map's order stays the order of storing: the first entry is the oldest.
    this.entries.delete(credential);
    this.entries.set(credential, { credential, principal, staleAtMs });
  }

  clear(): void {
    this.version += 1;
    this.entries.clear();
  }

  private makeRoom(nowMs: number): void {
    for (const [credential, entry] of this.entries) if (nowMs >= entry.staleAtMs) this.entries.delete(credential);
    for (const credential of this.entries.keys()) {
      if (this.entries.size < maxEntries) break;
      this.entries.delete(credential);
    }
  }

  private dropFor(events: readonly StreamedEvent[]): void {
    for (const event of events) {
      if (!revokingEvents.has(event.activity.type)) continue;
      this.version += 1;
      for (const [credential, entry] of this.entries) {
        if (entry.principal.workspaceId !== event.workspaceId) continue;
        const { revocation, role } = reviewHolder(entry, event.activity);
        if (revocation || role) this.entries.delete(credential);
      }
    }
  }
}
