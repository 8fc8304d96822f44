import type { Agent, HeartbeatResponse, Task } from '@mission-control/contracts';
import type { StreamedEvent } from '../../events/event-tailer.js';

/** What a heartbeat answered last time, minus the parts that follow from the clock. */
export interface HeartbeatSummary {
  workspaceId: string;
  agent: Agent;
  notifications: HeartbeatResponse['notifications'];
  assignedTasks: Task[];
  /** Live leases with the moment each is due for renewal (half its term), in ms. */
  leases: { taskId: string; key: string; expiresAt: string; renewAtMs: number }[];
  lead: HeartbeatResponse['lead'];
  hasWork: boolean;
  /** Clock time after which the summary is read again whatever happened (ms). */
  staleAtMs: number;
}

/** How the summaries learn that the database moved on: the instance's event tailer. */
export interface SummarySource {
  subscribe(listener: (events: StreamedEvent[]) => void): () => void;
  /** True when every local commit so far has been read and handed to listeners. */
  readonly isCurrent: boolean;
}

// Events that change only the agent they name; any other event may change any agent's answer
// in its workspace (assigned tasks, claimable inbox, a lead's counts), so it drops the workspace.
const agentScopedEvents = new Set(['agent-status-changed', 'notification-created']);

/**
 * Per-agent heartbeat answers kept in memory and dropped as soon as the event stream (or a local
 * write that has no event) says something they were computed from changed. A summary is only
 * stored when nothing was dropped while it was being computed, and only used while the tailer is
 * current, so a heartbeat never answers from before a change this instance has acknowledged.
 */
export class HeartbeatSummaries {
  private readonly entries = new Map<string, HeartbeatSummary>();
  private readonly agentsByWorkspace = new Map<string, Set<string>>();
  // Bumped by every drop: a summary computed across a drop is not stored.
  private version = 0;
  private source: SummarySource | undefined;
  private unsubscribe: (() => void) | undefined;

  /** Starts answering from memory, kept current by the source; without one every beat reads. */
  follow(source: SummarySource): void {
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

  /** The stored summary, if the stream is current and it is not stale. */
  find(agentId: string, workspaceId: string, nowMs: number): HeartbeatSummary | undefined {
    if (!this.source?.isCurrent) return undefined;
    const summary = this.entries.get(agentId);
    if (!summary || summary.workspaceId !== workspaceId || nowMs >= summary.staleAtMs) return undefined;
    return summary;
  }

  /** Call before reading what a summary is made of; hand the answer to store(). */
  begin(): number {
    return this.version;
  }

  store(agentId: string, summary: HeartbeatSummary, token: number): void {
    if (token !== this.version || !this.source?.isCurrent) return;
    this.entries.set(agentId, summary);
    let agents = this.agentsByWorkspace.get(summary.workspaceId);
    if (!agents) {
      agents = new Set();
      this.agentsByWorkspace.set(summary.workspaceId, agents);
    }
    agents.add(agentId);
  }

  /** Drops one agent's summary (a write without an event changed it, or it is about to change). */
  dropAgent(agentId: string): void {
    this.version += 1;
    const summary = this.entries.get(agentId);
    if (!summary) return;
    this.entries.delete(agentId);
    this.agentsByWorkspace.get(summary.workspaceId)?.delete(agentId);
  }

  clear(): void {
    this.version += 1;
    this.entries.clear();
    this.agentsByWorkspace.clear();
  }

  private dropFor(events: readonly StreamedEvent[]): void {
    if (events.length === 0) return;
    this.version += 1;
    for (const event of events) {
      const agentId = event.activity.agentId;
      if (agentId && agentScopedEvents.has(event.activity.type)) {
        this.dropAgent(agentId);
        continue;
      }
      const agents = this.agentsByWorkspace.get(event.workspaceId);
      if (!agents) continue;
      for (const id of agents) this.entries.delete(id);
      this.agentsByWorkspace.delete(event.workspaceId);
    }
  }
}
