import {
  type Activity,
  activitySchema,
  type EventDataInput,
  type EventType,
  eventDataSchemas,
  eventTypeSchema,
  type PrincipalReference,
  principalReferenceSchema,
} from '@mission-control/contracts';
import { PostgresAdapter, type Selectable, sql } from 'kysely';
import type { z } from 'zod';
import { createId } from '../core/ids.js';
import { type DatabaseExecutor, parseJsonColumn } from '../db/database.js';
import type { EventTable } from '../db/schema.js';

export interface NewEvent<Type extends EventType = EventType> {
  workspaceId: string;
  type: Type;
  actor: PrincipalReference | null;
  taskId?: string | null;
  agentId?: string | null;
  summary: string;
  /** Checked against the schema of `type` before it is stored. */
  data: EventDataInput<Type>;
  at: Date;
}

/**
 * What appendEvent checks: the read schema, but strict, so a field the schema does not name
 * (the schema fell behind the code) fails in tests instead of being stored undocumented.
 */
const writeSchemas = new Map<string, z.ZodType>(Object.entries(eventDataSchemas).map(([type, schema]) => [type, schema.strict()]));

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(data)'}: ${issue.message}`);
}

/** Checks an event's data against the schema of its type; data that does not match is a bug in the writer. */
function validateEventData(type: EventType, data: unknown): unknown {
  const schema = writeSchemas.get(type);
  if (!schema) throw new Error(`Event type ${type} has no data schema in @mission-control/contracts (eventDataSchemas).`);
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new Error(`The data of a ${type} event does not match its schema: ${formatIssues(result.error).join('; ')}`);
  }
  return result.data;
}

/** The NOTIFY channel that wakes every instance's event tailer; payloads stay empty (ids only, if any). */
export const eventChannel = 'mission_events';
const announcedTransactions = new WeakSet<object>();

function isPostgres(executor: DatabaseExecutor): boolean {
  return executor.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * On PostgreSQL a sequence number is taken at insert time but becomes visible at commit, so seq 5
 * can commit after seq 6. Writers do not queue for that (decision 0020, replacing 0002's global
 * lock): before its first event a transaction publishes a lower bound of the seqs it will take —
 * the events sequence's next value, read in the same statement — as the key of a shared,
 * transaction-scoped advisory lock, held until its commit is visible. Readers by seq read only
 * below the lowest bound still published (mission_event_horizon()), so a late commit is never
 * skipped. The same statement queues a NOTIFY, delivered at commit, for other instances' tailers.
 * A savepoint that rolls back releases its lock, so the bound is keyed on the executor's identity
 * (each nested transaction has its own). SQLite has a single writer: commit order is seq order.
 */
async function announceEventWriter(executor: DatabaseExecutor): Promise<void> {
  if (announcedTransactions.has(executor)) return;
  await sql`
    select pg_advisory_xact_lock_shared(
             (('events_seq_seq'::regclass::oid::bigint & 32767) << 48)
             | (case when s.is_called then s.last_value + 1 else s.last_value end)
           ),
           pg_notify(${eventChannel}, '')
      from events_seq_seq s`.execute(executor);
  announcedTransactions.add(executor);
}

/**
 * Appends to the transactional outbox. Call it with the transaction that makes the change,
 * so the event exists exactly when the change does.
 */
export async function appendEvent<Type extends EventType>(executor: DatabaseExecutor, event: NewEvent<Type>): Promise<number> {
  // Validated before the announcement and the insert: a refused event leaves nothing behind.
  const data = validateEventData(event.type, event.data);
  if (isPostgres(executor)) {
    // Outside a transaction the insert would take its seq and commit in one step, unannounced.
    if (!executor.isTransaction) return executor.transaction().execute((trx) => appendEvent(trx, event));
    await announceEventWriter(executor);
  }
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
      data: JSON.stringify(data),
      created_at: event.at.toISOString(),
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return row.seq;
}

/**
 * The lowest seq a reader must not pass yet (PostgreSQL): every seq below it is committed or will
 * never be. Undefined on SQLite, where everything committed is final. Read it in a statement of
 * its own, before the rows: their snapshot must be taken after it.
 */
async function readHorizon(executor: DatabaseExecutor): Promise<number | undefined> {
  if (!isPostgres(executor)) return undefined;
  const result = await sql<{ horizon: number }>`select mission_event_horizon() as horizon`.execute(executor);
  const horizon = result.rows[0]?.horizon;
  if (horizon === undefined) throw new Error('mission_event_horizon() answered no row');
  return Number(horizon);
}

/**
 * Erasure: replaces a person's email with their pseudonym in the summaries of past events of the
 * given workspaces ("ada@example.com joined as member"). The events stay; their data never held it.
 */
export async function replaceInEventSummaries(
  executor: DatabaseExecutor,
  change: { workspaceIds: readonly string[]; text: string; replacement: string },
): Promise<void> {
  if (change.workspaceIds.length === 0 || change.text === '') return;
  await executor
    .updateTable('events')
    .set({ summary: sql<string>`replace(summary, ${change.text}, ${change.replacement})` })
    .where('workspace_id', 'in', change.workspaceIds)
    .where(sql<boolean>`${sql.ref('summary')} like ${`%${change.text}%`}`)
    .execute();
}

/**
 * Retention: up to `limit` events of one type of a workspace created in [from, before), in
 * (created_at, seq) order after `after` (the last one of the previous batch); by the
 * workspace-type-time index, so only that slice is read.
 */
export function listEventsOfTypeBetween(
  executor: DatabaseExecutor,
  filter: {
    workspaceId: string;
    type: EventType;
    from: string | null;
    before: string;
    after: { createdAt: string; seq: number } | null;
    limit: number;
  },
) {
  let query = executor
    .selectFrom('events')
    .select(['seq', 'type', 'summary', 'data', 'created_at'])
    .where('workspace_id', '=', filter.workspaceId)
    .where('type', '=', filter.type)
    .where('created_at', '<', filter.before);
  if (filter.from !== null) query = query.where('created_at', '>=', filter.from);
  const after = filter.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('seq', '>', after.seq)])]),
    );
  }
  return query.orderBy('created_at').orderBy('seq').limit(filter.limit).execute();
}

/**
 * Retention: replaces the summary and/or the data of one past event, to blank a copy of text that
 * was deleted (a message excerpt, a model step). Its type, seq, actor and time stay.
 */
export async function rewriteEventText(
  executor: DatabaseExecutor,
  seq: number,
  change: { summary?: string; data?: string },
): Promise<void> {
  if (change.summary === undefined && change.data === undefined) return;
  await executor
    .updateTable('events')
    .set({
      ...(change.summary === undefined ? {} : { summary: change.summary }),
      ...(change.data === undefined ? {} : { data: change.data }),
    })
    .where('seq', '=', seq)
    .execute();
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

/** How many events of one type a workspace had since an instant (the overview's "messages today"). */
export async function countEventsSince(executor: DatabaseExecutor, options: { workspaceId: string; type: EventType; since: string }) {
  const row = await executor
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('workspace_id', '=', options.workspaceId)
    .where('type', '=', options.type)
    .where('created_at', '>=', options.since)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export interface EventsAfter {
  rows: Selectable<EventTable>[];
  /** True when committed rows exist past the horizon: a transaction still in progress holds them back. */
  heldBack: boolean;
}

/**
 * Oldest first from a sequence, for tailers and replays: only rows no late commit can precede
 * (below the horizon on PostgreSQL), so a cursor moved to the last row never skips one.
 */
export async function readEventsAfter(
  executor: DatabaseExecutor,
  options: { afterSeq: number; limit: number; workspaceId?: string | undefined },
): Promise<EventsAfter> {
  const horizon = await readHorizon(executor);
  let query = executor.selectFrom('events').selectAll().where('seq', '>', options.afterSeq);
  if (options.workspaceId) query = query.where('workspace_id', '=', options.workspaceId);
  const rows = await query.orderBy('seq', 'asc').limit(options.limit).execute();
  if (horizon === undefined) return { rows, heldBack: false };
  const safe = rows.filter((row) => row.seq < horizon);
  return { rows: safe, heldBack: safe.length < rows.length };
}

/** Oldest first from a sequence, for tailers and replays (see readEventsAfter). */
export async function listEventsAfter(executor: DatabaseExecutor, options: { afterSeq: number; limit: number; workspaceId?: string }) {
  return (await readEventsAfter(executor, options)).rows;
}

/**
 * The highest sequence a reader may start after (0 when there is none): on PostgreSQL the highest
 * below the horizon, so a cursor set to it never skips a lower seq that commits later.
 */
export async function findLatestEventSeq(executor: DatabaseExecutor): Promise<number> {
  const horizon = await readHorizon(executor);
  let query = executor.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq'));
  if (horizon !== undefined) query = query.where('seq', '<', horizon);
  const row = await query.executeTakeFirst();
  return Number(row?.seq ?? 0);
}

const warnedUnreadableEvents = new Set<string>();

/** Warns once per stored event (per process), not on every page or replay that meets it again. */
function warnUnreadableEvent(row: Selectable<EventTable>, issues: string[]): void {
  if (warnedUnreadableEvents.has(row.id)) return;
  if (warnedUnreadableEvents.size >= 1_000) warnedUnreadableEvents.clear();
  warnedUnreadableEvents.add(row.id);
  process.emitWarning(`Event #${row.seq} (${row.type}) cannot be read and is delivered as event-unreadable: ${issues.join('; ')}`, {
    code: 'MISSION_UNREADABLE_EVENT',
  });
}

type StoredEventReading = { readable: true; activity: Activity } | { readable: false; issues: string[] };

function readStoredEvent(row: Selectable<EventTable>, common: Omit<Activity, 'type' | 'data' | 'actor'>): StoredEventReading {
  if (!eventTypeSchema.safeParse(row.type).success) {
    return { readable: false, issues: [`type: ${row.type} is not an event type this version knows`] };
  }
  let data: unknown;
  try {
    data = parseJsonColumn(row.data);
  } catch (error) {
    return { readable: false, issues: [`data: not JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const actor = row.actor_kind === null && row.actor_id === null ? null : { kind: row.actor_kind, id: row.actor_id };
  const parsed = activitySchema.safeParse({ ...common, type: row.type, actor, data });
  return parsed.success ? { readable: true, activity: parsed.data } : { readable: false, issues: formatIssues(parsed.error) };
}

/**
 * Turns a stored row into an activity, parsed with the schema of its type. A row that does not
 * parse (an unknown type, data that no longer matches, a malformed actor) must not break the
 * feed or the stream for everyone: it is delivered as an `event-unreadable` activity with the
 * same seq, ids and summary and the issues found, and a warning is emitted once for it.
 */
export function toActivity(row: Selectable<EventTable>): Activity {
  const common = {
    seq: row.seq,
    id: row.id,
    workspaceId: row.workspace_id,
    taskId: row.task_id,
    agentId: row.agent_id,
    summary: row.summary,
    createdAt: row.created_at,
  };
  const reading = readStoredEvent(row, common);
  if (reading.readable) return reading.activity;
  warnUnreadableEvent(row, reading.issues);
  const actor = principalReferenceSchema.safeParse({ kind: row.actor_kind, id: row.actor_id });
  return {
    ...common,
    type: 'event-unreadable',
    actor: actor.success ? actor.data : null,
    data: { storedType: row.type, issues: reading.issues },
  };
}

/** The time of the latest event about each of the tasks (task-claimed, messages, status changes, run steps…). */
export async function findLatestEventTimesOfTasks(
  executor: DatabaseExecutor,
  workspaceId: string,
  taskIds: readonly string[],
): Promise<Map<string, string>> {
  if (taskIds.length === 0) return new Map();
  const rows = await executor
    .selectFrom('events')
    .select(['task_id', (eb) => eb.fn.max('created_at').as('latest')])
    .where('workspace_id', '=', workspaceId)
    .where('task_id', 'in', taskIds)
    .groupBy('task_id')
    .execute();
  return new Map(
    rows.flatMap((row) => (row.task_id && row.latest ? [[row.task_id, new Date(row.latest as string).toISOString()] as const] : [])),
  );
}

/** When the first event after a seq was committed (how far behind a reader at that seq is), or undefined. */
export async function findFirstEventTimeAfter(executor: DatabaseExecutor, seq: number): Promise<string | undefined> {
  const row = await executor.selectFrom('events').select('created_at').where('seq', '>', seq).orderBy('seq').limit(1).executeTakeFirst();
  return row ? new Date(row.created_at).toISOString() : undefined;
}
