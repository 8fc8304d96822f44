import type { PrincipalKind, TaskStatus } from '@mission-control/contracts';
import { type RawBuilder, sql } from 'kysely';
import type { DatabaseExecutor, Engine } from '../../db/database.js';
import type { TaskRow } from './task.repository.js';

export interface NextTaskQuery {
  workspaceId: string;
  agentId: string;
  capabilities: readonly string[];
  now: string;
}

export interface NextLease {
  token: string;
  holderKind: PrincipalKind;
  holderId: string;
  expiresAt: string;
  leaseSeconds: number;
}

/** What the claimed row was before the claim: its status and an expired holder to take off the assignees. */
export interface PreviousClaim {
  status: TaskStatus;
  leaseHolderKind: PrincipalKind | null;
  leaseHolderId: string | null;
  hadLease: boolean;
}

// The same expressions, in the same order, as tasks_claim_order_idx (migration 0006): the inbox
// branch walks that index and stops at the first claimable row instead of sorting the backlog.
const claimOrder = sql`order by t.priority_rank desc, (case when t.due_at is null then 1 else 0 end), t.due_at asc, t.id asc`;

function claimableNow(query: NextTaskQuery): RawBuilder<unknown> {
  return sql`(t.lease_expires_at is null or t.lease_expires_at <= ${query.now})
    and not exists (select 1 from task_dependencies d inner join tasks dependency on dependency.id = d.depends_on_id
      where d.task_id = t.id and dependency.status <> 'done')`;
}

function capabilitiesHeld(query: NextTaskQuery): RawBuilder<unknown> {
  const missing =
    query.capabilities.length > 0
      ? sql`and c.capability not in (${sql.join(query.capabilities.map((capability) => sql`${capability}`))})`
      : sql``;
  return sql`not exists (select 1 from task_capabilities c where c.task_id = t.id ${missing})`;
}

const pickedColumns = sql`t.id, t.status, t.lease_holder_kind, t.lease_holder_id, t.lease_token`;

/**
 * The agent's own work, driven from the assignee index (a handful of rows however many tasks are
 * in progress): assigned or in progress, free, dependencies done, capabilities held. On PostgreSQL
 * the task is read in a LATERAL subquery so the planner cannot start from the tasks instead (with
 * the assignee table's statistics from before a burst of claims it did, and every claim then walked
 * every in-progress task); the lock falls on the agent's own free tasks only.
 */
function ownWork(query: NextTaskQuery, lock: boolean, engine: Engine): RawBuilder<unknown> {
  const candidate = sql`t.workspace_id = ${query.workspaceId} and t.status in ('assigned', 'in_progress')
    and ${claimableNow(query)} and ${capabilitiesHeld(query)}`;
  if (engine === 'postgres') {
    return sql`select ${pickedColumns} from task_assignees a
      cross join lateral (select t.* from tasks t where t.id = a.task_id and ${candidate} offset 0) t
      where a.assignee_id = ${query.agentId} and a.assignee_kind = 'agent'
      ${claimOrder} limit 1 ${lock ? sql`for update of t skip locked` : sql``}`;
  }
  return sql`select ${pickedColumns} from task_assignees a inner join tasks t on t.id = a.task_id
    where a.assignee_id = ${query.agentId} and a.assignee_kind = 'agent' and ${candidate}
    ${claimOrder} limit 1`;
}

/** The most urgent inbox task the agent can do. */
function inboxWork(query: NextTaskQuery, lock: boolean, unlessOwn: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select ${pickedColumns} from tasks t
    where t.workspace_id = ${query.workspaceId} and t.status = 'inbox' and ${claimableNow(query)} and ${capabilitiesHeld(query)}
      ${unlessOwn}
    ${claimOrder} limit 1 ${lock ? sql`for update of t skip locked` : sql``}`;
}

interface PickedRow {
  id: string;
  status: TaskStatus;
  lease_holder_kind: PrincipalKind | null;
  lease_holder_id: string | null;
  lease_token: string | null;
}

/** Own work first, then the inbox, in one statement; nothing is locked. */
async function pickNextTask(executor: DatabaseExecutor, engine: Engine, query: NextTaskQuery): Promise<PickedRow | undefined> {
  const { rows } = await sql<PickedRow>`select * from (${ownWork(query, false, engine)}) own
    union all select * from (${inboxWork(query, false, sql``)}) inbox limit 1`.execute(executor);
  return rows[0];
}

/** Whether the agent has anything it could claim now (heartbeats ask). */
export async function hasNextClaimableTask(executor: DatabaseExecutor, engine: Engine, query: NextTaskQuery): Promise<boolean> {
  return (await pickNextTask(executor, engine, query)) !== undefined;
}

function setLease(lease: NextLease, now: string): RawBuilder<unknown> {
  return sql`lease_token = ${lease.token}, lease_holder_kind = ${lease.holderKind}, lease_holder_id = ${lease.holderId},
    lease_expires_at = ${lease.expiresAt}, lease_seconds = ${lease.leaseSeconds}, status = 'in_progress', updated_at = ${now}`;
}

function toPrevious(
  row:
    | PickedRow
    | {
        previous_status: TaskStatus;
        previous_holder_kind: PrincipalKind | null;
        previous_holder_id: string | null;
        previous_lease_token: string | null;
      },
): PreviousClaim {
  if ('previous_status' in row) {
    return {
      status: row.previous_status,
      leaseHolderKind: row.previous_holder_kind,
      leaseHolderId: row.previous_holder_id,
      hadLease: row.previous_lease_token !== null,
    };
  }
  return {
    status: row.status,
    leaseHolderKind: row.lease_holder_kind,
    leaseHolderId: row.lease_holder_id,
    hadLease: row.lease_token !== null,
  };
}

/**
 * Takes the lease on the agent's best next task: its own work first, then the inbox; by priority,
 * then due date (dated first), then age; dependencies done, capabilities held.
 *
 * PostgreSQL: one `UPDATE … FROM` whose CTEs pick the row `FOR UPDATE SKIP LOCKED`, so concurrent
 * agents fan out over the backlog instead of queueing on one row, and the inbox is not read at all
 * when own work was found. SQLite has one writer, and the transaction holds it from the pick to
 * the update, so the pick is a plain read followed by the same conditional update as a claim by key.
 */
export async function claimNextTask(
  executor: DatabaseExecutor,
  engine: Engine,
  query: NextTaskQuery,
  lease: NextLease,
): Promise<{ row: TaskRow; previous: PreviousClaim } | undefined> {
  if (engine === 'postgres') {
    const { rows } = await sql<
      TaskRow & {
        previous_status: TaskStatus;
        previous_holder_kind: PrincipalKind | null;
        previous_holder_id: string | null;
        previous_lease_token: string | null;
      }
    >`
      with own as (${ownWork(query, true, engine)}),
      inbox as (${inboxWork(query, true, sql`and not exists (select 1 from own)`)}),
      picked as (select * from own union all select * from inbox)
      update tasks set ${setLease(lease, query.now)}
      from picked where tasks.id = picked.id
      returning tasks.*, picked.status as previous_status, picked.lease_holder_kind as previous_holder_kind,
        picked.lease_holder_id as previous_holder_id, picked.lease_token as previous_lease_token`.execute(executor);
    const row = rows[0];
    if (!row) return undefined;
    const { previous_status, previous_holder_kind, previous_holder_id, previous_lease_token, ...task } = row;
    return { row: task, previous: toPrevious({ previous_status, previous_holder_kind, previous_holder_id, previous_lease_token }) };
  }
  const picked = await pickNextTask(executor, engine, query);
  if (!picked) return undefined;
  const { rows } = await sql<TaskRow>`update tasks set ${setLease(lease, query.now)}
    where id = ${picked.id} and status in ('inbox', 'assigned', 'in_progress')
      and (lease_expires_at is null or lease_expires_at <= ${query.now})
    returning *`.execute(executor);
  const row = rows[0];
  return row ? { row, previous: toPrevious(picked) } : undefined;
}
