import type { CycleTimeSummary, TaskStatus } from '@mission-control/contracts';
import { taskStatusSchema } from '@mission-control/contracts';
import type { BoardHistoryEvent } from './analytics.repository.js';

/** One done task: how long from creation, and how long in each column on the way. */
export interface TaskCycle {
  taskId: string;
  doneAt: string;
  doneBy: string | null;
  leadTimeMs: number | null;
  columns: Map<TaskStatus, number>;
}

/**
 * Walks a task's creations and moves up to its arrival in done, adding up the time between
 * entering a column and leaving it; a task that bounces back to a column adds each visit.
 */
export function measureTaskCycle(arrival: BoardHistoryEvent, history: BoardHistoryEvent[]): TaskCycle {
  const columns = new Map<TaskStatus, number>();
  let current: { status: string; since: number } | undefined;
  let createdAt: number | undefined;
  for (const event of history) {
    if (event.seq > arrival.seq) break;
    const at = Date.parse(event.at);
    if (event.type === 'task-created') createdAt = at;
    if (current) {
      const status = taskStatusSchema.safeParse(current.status);
      if (status.success) columns.set(status.data, (columns.get(status.data) ?? 0) + Math.max(0, at - current.since));
    }
    current = { status: event.to, since: at };
  }
  return {
    taskId: arrival.taskId,
    doneAt: arrival.at,
    doneBy: arrival.agentId,
    leadTimeMs: createdAt === undefined ? null : Date.parse(arrival.at) - createdAt,
    columns,
  };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], share: number): number {
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

export function percentilesOf(values: number[]) {
  const sorted = [...values].sort((left, right) => left - right);
  return { p50Ms: Math.round(percentile(sorted, 0.5)), p90Ms: Math.round(percentile(sorted, 0.9)) };
}

/** p50 and p90 of lead time and of the time in each column, over some done tasks. */
export function summarizeCycles(cycles: TaskCycle[]): CycleTimeSummary {
  const leadTimes = cycles.flatMap((cycle) => (cycle.leadTimeMs === null ? [] : [cycle.leadTimeMs]));
  const columns = taskStatusSchema.options.flatMap((status) => {
    const times = cycles.flatMap((cycle) => {
      const time = cycle.columns.get(status);
      return time === undefined ? [] : [time];
    });
    return times.length === 0 ? [] : [{ status, tasks: times.length, ...percentilesOf(times) }];
  });
  return { tasks: cycles.length, leadTime: leadTimes.length === 0 ? null : percentilesOf(leadTimes), columns };
}

/** Map.groupBy, which Node 20 does not have. */
export function groupInto<Item, Key>(items: Iterable<Item>, keyOf: (item: Item) => Key): Map<Key, Item[]> {
  const groups = new Map<Key, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
