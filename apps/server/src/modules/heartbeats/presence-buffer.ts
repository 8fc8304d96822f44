/**
 * Coalesces steady-state heartbeats: each one only records "seen at" in memory, and flush()
 * writes every agent seen since the last flush in one statement. With N agents beating every
 * interval, the database sees one write per flush instead of N. Transitions (offline → idle,
 * a new status) bypass the buffer and are written at once, with their event.
 */
export class PresenceBuffer {
  private pending = new Map<string, { at: string; deadline: string }>();

  record(agentId: string, at: Date, deadline: Date): void {
    this.pending.set(agentId, { at: at.toISOString(), deadline: deadline.toISOString() });
  }

  /** Drops a buffered entry that a direct write has superseded. */
  forget(agentId: string): void {
    this.pending.delete(agentId);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Takes everything buffered so far; the caller writes it. */
  drain(): { agentId: string; at: string; deadline: string }[] {
    const entries = [...this.pending].map(([agentId, presence]) => ({ agentId, ...presence }));
    this.pending = new Map();
    return entries;
  }
}
