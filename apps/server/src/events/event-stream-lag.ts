import type { Clock } from '../core/clock.js';
import type { DatabaseExecutor } from '../db/database.js';
import { findFirstEventTimeAfter } from './event.repository.js';
import type { EventTailer } from './event-tailer.js';

/**
 * The detector's event-stream lag: how many seconds ago the first event this instance has not
 * read yet was committed (0 when it has read everything).
 */
export function createEventStreamLagProbe(db: DatabaseExecutor, tailer: Pick<EventTailer, 'status'>, clock: Clock) {
  return async (): Promise<number> => {
    const unreadSince = await findFirstEventTimeAfter(db, tailer.status().latestSeq);
    return unreadSince ? Math.max(0, (clock.now().getTime() - Date.parse(unreadSince)) / 1000) : 0;
  };
}
