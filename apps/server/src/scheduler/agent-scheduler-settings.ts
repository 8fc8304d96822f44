import { createHash } from 'node:crypto';
import type { HeartbeatResponse } from '@mission-control/contracts';

// What the agent scheduler is tuned by, and how it tells new work from work a turn already saw.

/** The scheduler's defaults; each can be overridden. */
export interface SchedulerSettings {
  tickMs: number;
  batchSize: number;
  maxConcurrentTurns: number;
  checkLeaseMs: number;
  turnLeaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  failuresBeforeBlocked: number;
}

export const schedulerDefaults: SchedulerSettings = {
  /** How often an instance looks for due agents. */
  tickMs: 1_000,
  /** Due agents handled per tick at most; the rest wait for the next tick. */
  batchSize: 200,
  /** Turns running at once on one instance. */
  maxConcurrentTurns: 4,
  /** The runner lease while a tick checks an agent, and while a turn runs. */
  checkLeaseMs: 60_000,
  turnLeaseMs: 15 * 60_000,
  /** Backoff after a failed turn: base × 2^(failures − 1), capped, with jitter in [½, 1]. */
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,
  /** Failed turns in a row before the agent shows as blocked. */
  failuresBeforeBlocked: 3,
};

/** What the heartbeat showed, reduced to what would make a new turn worthwhile. */
export function fingerprintWork(beat: HeartbeatResponse): string {
  const parts = {
    notifications: beat.notifications.latest.map((notification) => notification.id),
    unread: beat.notifications.unreadCount,
    tasks: beat.assignedTasks.map((task) => `${task.id}:${task.status}:${task.updatedAt}`),
    lead: beat.lead,
    hasWork: beat.hasWork,
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
