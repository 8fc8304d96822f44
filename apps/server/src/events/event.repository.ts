import type { Activity, EventType, PrincipalReference } from '@mission-control/contracts';
import { PostgresAdapter, type Selectable, sql } from 'kysely';
import { createId } from '../core/ids.js';
import { type DatabaseExecutor, parseJsonColumn } from '../db/database.js';
import type { EventTable } from '../db/schema.js';

export interface NewEvent {
  workspaceId: string;
  type: EventType;
  actor: PrincipalReference | null;
  taskId?: string | null;
  agentId?: string | null;
  summary: string;
  data?: Record<string, unknown>;
  at: Date;
}

/** The NOTIFY channel that wakes every instance's event tailer; payloads stay empty (ids only, if any). */
export const eventChannel = 'mission_events';
// Any constant works; it only has to be the same everywhere.
const eventOrderLockKey = 0x4d43_0001;
const orderedTransactions = new WeakSet<object>();

/**
 * On PostgreSQL a sequence number is taken at insert time but becomes visible at commit, so
 * without care seq 5 can commit after seq 6 and a tailer that already moved past 6 would never
 * see it. Event-writing transactions therefore take one transaction-scoped advisory lock before
 * their first event: they commit in the order they took sequence numbers, and a reader never
 * sees a gap that fills later. The lock is taken as late as possible (at the first event) and
 * released by the commit itself. The same statement queues a NOTIFY, delivered at commit, that
 * wakes tailers on other instances. SQLite has a single writer, so commit order is seq order.
 */
async function orderEventCommits(executor: DatabaseExecutor): Promise<void> {
  if (!(executor.getExecutor().adapter instanceof PostgresAdapter)) return;
  if (!executor.isTransaction) {
    await sql`select pg_notify(${eventChannel}, '')`.execute(executor);
    return;
  }
  if (orderedTransactions.has(executor)) return;
  await sql`select pg_advisory_xact_lock(${eventOrderLockKey}), pg_notify(${eventChannel}, '')`.execute(executor);
  orderedTransactions.add(executor);
}

/**
 * Appends to the transactional outbox. Call it with the transaction that makes the change,
 * so the event exists exactly when the change does.
 */
export async function appendEvent(executor: DatabaseExecutor, event: NewEvent): Promise<number> {
  await orderEventCommits(executor);
  const row = await executor
    .insertInto('events')
    .values({
      id: createId(),
      workspace_id: event.workspaceId,
      type: event.type,
      actor_kind: event.actor?.kind ?? null,
      actor_id: event.actor?.id ?? null,
      task_id: event.taskId ?? null,
      agent_id: event.agentId ?? null,
      summary: event.summary,
      data: JSON.stringify(event.data ?? {}),
      created_at: event.at.toISOString(),
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return row.seq;
}

export interface ListEventsOptions {
  workspaceId: string;
  beforeSeq?: number | undefined;
  limit: number;
  type?: EventType | undefined;
  taskId?: string | undefined;
  /** Events done by this agent or about it. */
  agentId?: string | undefined;
}

/** Newest first, for feeds. */
export function listEvents(executor: DatabaseExecutor, options: ListEventsOptions) {
  let query = executor.selectFrom('events').selectAll().where('workspace_id', '=', options.workspaceId);
  if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq);
  if (options.type) query = query.where('type', '=', options.type);
  if (options.taskId) query = query.where('task_id', '=', options.taskId);
  if (options.agentId) {
    const agentId = options.agentId;
    query = query.where((eb) => eb.or([eb('agent_id', '=', agentId), eb('actor_id', '=', agentId)]));
  }
  return query.orderBy('seq', 'desc').limit(options.limit).execute();
}

/** Oldest first from a sequence, for tailers and replays. */
export function listEventsAfter(executor: DatabaseExecutor, options: { afterSeq: number; limit: number; workspaceId?: string }) {
  let query = executor.selectFrom('events').selectAll().where('seq', '>', options.afterSeq);
  if (options.workspaceId) query = query.where('workspace_id', '=', options.workspaceId);
  return query.orderBy('seq', 'asc').limit(options.limit).execute();
}

/** The highest sequence written so far (0 when there is none). */
export async function findLatestEventSeq(executor: DatabaseExecutor): Promise<number> {
  const row = await executor
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export function toActivity(row: Selectable<EventTable>): Activity {
  return {
    seq: row.seq,
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type as EventType,
    actor: row.actor_kind && row.actor_id ? { kind: row.actor_kind as PrincipalReference['kind'], id: row.actor_id } : null,
    taskId: row.task_id,
    agentId: row.agent_id,
    summary: row.summary,
    data: parseJsonColumn(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}
