import { sql } from 'kysely';
import type { DatabaseExecutor, Engine } from '../../db/database.js';

/**
 * Analytics read the event stream (the shared outbox every module appends to) by time range,
 * through the (workspace_id, type, created_at) and (workspace_id, created_at) indexes.
 */

export async function countEventsBetween(executor: DatabaseExecutor, workspaceId: string, from: string, to: string): Promise<number> {
  const row = await executor
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Seconds in the slots board moves are counted in: a quarter hour, so every real UTC offset lines up. */
export const moveSlotSeconds = 900;

export interface BoardMoveSlot {
  slot: number;
  type: 'task-created' | 'task-status-changed';
  to: string | null;
  agentId: string | null;
  /** With byTask: the moved task. */
  taskId?: string | null;
  count: number;
}

/**
 * Board moves of [from, to) counted per quarter-hour slot (seconds since the epoch / 900), event
 * type, target column and agent. The caller folds slots into local hours, days or weeks.
 */
export async function countBoardMovesBySlot(
  executor: DatabaseExecutor,
  engine: Engine,
  range: { workspaceId: string; from: string; to: string; byAgent: boolean; byTask?: boolean },
): Promise<BoardMoveSlot[]> {
  const slot =
    engine === 'postgres'
      ? sql<number>`floor(extract(epoch from created_at) / ${moveSlotSeconds})`
      : sql<number>`cast(strftime('%s', created_at) as integer) / ${moveSlotSeconds}`;
  const to = engine === 'postgres' ? sql<string | null>`data->>'to'` : sql<string | null>`json_extract(data, '$.to')`;
  const rows = await executor
    .selectFrom('events')
    .select([
      slot.as('slot'),
      'type',
      to.as('to_status'),
      (range.byAgent ? sql<string | null>`case when actor_kind = 'agent' then actor_id end` : sql<string | null>`null`).as('agent'),
      (range.byTask ? sql<string | null>`task_id` : sql<string | null>`null`).as('task'),
      (eb) => eb.fn.countAll<number>().as('count'),
    ])
    .where('workspace_id', '=', range.workspaceId)
    .where('type', 'in', ['task-created', 'task-status-changed'])
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`, sql`5`])
    .execute();
  return rows.map((row) => ({
    slot: Number(row.slot),
    type: row.type === 'task-created' ? 'task-created' : 'task-status-changed',
    to: row.to_status,
    agentId: row.agent,
    ...(range.byTask ? { taskId: row.task } : {}),
    count: Number(row.count),
  }));
}

/**
 * The same counts as countBoardMovesBySlot for whole slots [fromSlot, toSlot), read from the
 * rollup the events triggers keep (migration 0020) instead of the events themselves.
 */
export async function sumBoardMoveSlots(
  executor: DatabaseExecutor,
  range: { workspaceId: string; fromSlot: number; toSlot: number; byAgent: boolean },
): Promise<BoardMoveSlot[]> {
  const rows = await executor
    .selectFrom('board_move_slots')
    .select([
      'slot',
      'type',
      'to_status',
      (range.byAgent ? sql<string>`agent_id` : sql<string>`''`).as('agent'),
      (eb) => eb.fn.sum<number>('moves').as('count'),
    ])
    .where('workspace_id', '=', range.workspaceId)
    .where('slot', '>=', range.fromSlot)
    .where('slot', '<', range.toSlot)
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`])
    .execute();
  return rows
    .map((row) => ({
      slot: Number(row.slot),
      type: row.type === 'task-created' ? ('task-created' as const) : ('task-status-changed' as const),
      to: row.to_status === '' ? null : row.to_status,
      agentId: row.agent === '' ? null : row.agent,
      count: Number(row.count),
    }))
    .filter((row) => row.count > 0);
}

export interface BoardHistoryEvent {
  taskId: string;
  seq: number;
  type: 'task-created' | 'task-status-changed';
  /** The column the task entered: the created task's status, or the move's target. */
  to: string;
  at: string;
  agentId: string | null;
}

function boardHistoryColumns(engine: Engine) {
  return engine === 'postgres'
    ? sql<string>`coalesce(data->>'to', data->>'status')`
    : sql<string>`coalesce(json_extract(data, '$.to'), json_extract(data, '$.status'))`;
}

function toBoardHistoryEvent(row: {
  task_id: string | null;
  seq: number;
  type: string;
  entered: string;
  created_at: string;
  agent: string | null;
}): BoardHistoryEvent {
  return {
    taskId: row.task_id ?? '',
    seq: Number(row.seq),
    type: row.type === 'task-created' ? 'task-created' : 'task-status-changed',
    to: row.entered,
    at: new Date(row.created_at).toISOString(),
    agentId: row.agent,
  };
}

/** Moves into a column (done, failed) in [from, to), oldest first, read through the (workspace_id, type, created_at) index. */
export async function listArrivals(
  executor: DatabaseExecutor,
  engine: Engine,
  range: { workspaceId: string; from: string; to: string; status: 'done' | 'failed' },
): Promise<BoardHistoryEvent[]> {
  const entered = boardHistoryColumns(engine);
  const rows = await executor
    .selectFrom('events')
    .select([
      'task_id',
      'seq',
      'type',
      entered.as('entered'),
      'created_at',
      sql<string | null>`case when actor_kind = 'agent' then actor_id end`.as('agent'),
    ])
    .where('workspace_id', '=', range.workspaceId)
    .where('type', '=', 'task-status-changed')
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .where(entered, '=', range.status)
    .where('task_id', 'is not', null)
    .orderBy('seq')
    .execute();
  return rows.map(toBoardHistoryEvent);
}

/** Every creation and move of the tasks, in order, through the (task_id, seq) index. */
export async function listBoardHistory(
  executor: DatabaseExecutor,
  engine: Engine,
  workspaceId: string,
  taskIds: string[],
): Promise<BoardHistoryEvent[]> {
  const entered = boardHistoryColumns(engine);
  const history: BoardHistoryEvent[] = [];
  // In slices, so the parameter list stays under both engines' limits.
  for (let start = 0; start < taskIds.length; start += 500) {
    const rows = await executor
      .selectFrom('events')
      .select(['task_id', 'seq', 'type', entered.as('entered'), 'created_at', sql<null>`null`.as('agent')])
      .where('task_id', 'in', taskIds.slice(start, start + 500))
      .where('workspace_id', '=', workspaceId)
      .where('type', 'in', ['task-created', 'task-status-changed'])
      .orderBy('task_id')
      .orderBy('seq')
      .execute();
    history.push(...rows.map(toBoardHistoryEvent));
  }
  return history;
}

export interface ReviewMove {
  taskId: string;
  seq: number;
  /** Into review, or out of it back to work. */
  kind: 'into-review' | 'sent-back';
  agentId: string | null;
}

/** Moves out of review back to work (in_progress or todo) in [from, to), through the (workspace_id, type, created_at) index. */
export async function listSentBackMoves(
  executor: DatabaseExecutor,
  engine: Engine,
  range: { workspaceId: string; from: string; to: string },
): Promise<ReviewMove[]> {
  const from = engine === 'postgres' ? sql<string>`data->>'from'` : sql<string>`json_extract(data, '$.from')`;
  const to = engine === 'postgres' ? sql<string>`data->>'to'` : sql<string>`json_extract(data, '$.to')`;
  const rows = await executor
    .selectFrom('events')
    .select(['task_id', 'seq'])
    .where('workspace_id', '=', range.workspaceId)
    .where('type', '=', 'task-status-changed')
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .where(from, '=', 'review')
    .where(to, 'in', ['in_progress', 'todo'])
    .where('task_id', 'is not', null)
    .execute();
  return rows.map((row) => ({ taskId: row.task_id ?? '', seq: Number(row.seq), kind: 'sent-back' as const, agentId: null }));
}

/** Every move into review of the tasks with the agent that made it, through the (task_id, seq) index. */
export async function listReviewArrivals(
  executor: DatabaseExecutor,
  engine: Engine,
  workspaceId: string,
  taskIds: string[],
): Promise<ReviewMove[]> {
  const to = engine === 'postgres' ? sql<string>`data->>'to'` : sql<string>`json_extract(data, '$.to')`;
  const moves: ReviewMove[] = [];
  for (let start = 0; start < taskIds.length; start += 500) {
    const rows = await executor
      .selectFrom('events')
      .select(['task_id', 'seq', sql<string | null>`case when actor_kind = 'agent' then actor_id end`.as('agent')])
      .where('task_id', 'in', taskIds.slice(start, start + 500))
      .where('workspace_id', '=', workspaceId)
      .where('type', '=', 'task-status-changed')
      .where(to, '=', 'review')
      .orderBy('seq')
      .execute();
    moves.push(
      ...rows.map((row) => ({ taskId: row.task_id ?? '', seq: Number(row.seq), kind: 'into-review' as const, agentId: row.agent })),
    );
  }
  return moves;
}
