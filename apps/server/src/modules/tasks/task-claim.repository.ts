import type { PrincipalKind, TaskStatus } from '@mission-control/contracts';
import { sql } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import { precompileQuery } from '../../db/precompiled-query.js';
import type { TaskRow } from './task.repository.js';

export interface LeaseWrite {
  taskId: string;
  token: string;
  holderKind: PrincipalKind;
  holderId: string;
  expiresAt: string;
  leaseSeconds: number;
  now: string;
  claimableStatuses: readonly TaskStatus[];
}

/**
 * Takes the lease if nobody holds a live one and the task is still claimable. One statement, so
 * of any number of concurrent claimers exactly one matches the row; the rest see the new lease.
 */
export async function takeLease(executor: DatabaseExecutor, lease: LeaseWrite): Promise<TaskRow | undefined> {
  return executor
    .updateTable('tasks')
    .set({
      lease_token: lease.token,
      lease_holder_kind: lease.holderKind,
      lease_holder_id: lease.holderId,
      lease_expires_at: lease.expiresAt,
      lease_seconds: lease.leaseSeconds,
      status: 'in_progress',
      updated_at: lease.now,
    })
    .where('id', '=', lease.taskId)
    .where('status', 'in', lease.claimableStatuses)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', lease.now)]))
    .returningAll()
    .executeTakeFirst();
}

/** Clears a lease, only if it is still the one the caller saw. */
export async function clearLease(executor: DatabaseExecutor, taskId: string, expectedToken: string): Promise<boolean> {
  const result = await executor
    .updateTable('tasks')
    .set({ lease_token: null, lease_holder_kind: null, lease_holder_id: null, lease_expires_at: null, lease_seconds: null })
    .where('id', '=', taskId)
    .where('lease_token', '=', expectedToken)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// Every heartbeat renews leases: compiled once (see precompileQuery).
export const listLiveLeasesOfHolder = precompileQuery((executor: DatabaseExecutor, workspaceId: string, holderId: string, now: string) =>
  executor
    .selectFrom('tasks')
    .select(['id', 'number', 'lease_token', 'lease_expires_at', 'lease_seconds'])
    .where('lease_holder_id', '=', holderId)
    .where('workspace_id', '=', workspaceId)
    .where('lease_expires_at', '>', now),
);

export async function extendLease(executor: DatabaseExecutor, taskId: string, token: string, expiresAt: string): Promise<void> {
  await executor
    .updateTable('tasks')
    .set({ lease_expires_at: expiresAt })
    .where('id', '=', taskId)
    .where('lease_token', '=', token)
    .execute();
}

export function listExpiredLeases(executor: DatabaseExecutor, now: string, limit: number) {
  return executor.selectFrom('tasks').selectAll().where('lease_expires_at', '<=', now).orderBy('lease_expires_at').limit(limit).execute();
}

export function listLeasesOfHolder(executor: DatabaseExecutor, workspaceId: string, holderId: string) {
  return executor
    .selectFrom('tasks')
    .selectAll()
    .where('lease_holder_id', '=', holderId)
    .where('workspace_id', '=', workspaceId)
    .where('lease_token', 'is not', null)
    .execute();
}

export interface NextTaskQuery {
  workspaceId: string;
  agentId: string;
  capabilities: readonly string[];
  now: string;
}

/**
 * The agent's best next task: its own assigned work first, then inbox tasks whose required
 * capabilities it has; by priority, then due date (dated first), then age; dependencies done.
 * With lockRow (PostgreSQL) the row is locked with SKIP LOCKED so concurrent agents fan out over the backlog
 * instead of queueing on the same row.
 *
 * Two queries rather than one with an OR: the agent's own work is found through its assignee
 * index (a handful of rows), and the inbox is read in the order of tasks_claim_order_idx, which
 * matches the ORDER BY below exactly, so the database walks the index and stops at the first
 * claimable row instead of sorting the whole backlog on every claim.
 */
export async function findNextClaimableTaskId(executor: DatabaseExecutor, query: NextTaskQuery, options: { lockRow: boolean }) {
  const [ownTask] = await ownClaimableTaskQuery(executor, query.workspaceId, query.now, query.agentId, options.lockRow);
  if (ownTask) return ownTask;
  const [inboxTask] = await inboxClaimableTaskQuery(executor, query.workspaceId, query.now, query.capabilities, options.lockRow);
  return inboxTask;
}

// Both run on every claim-next and every heartbeat: compiled once per shape (see precompileQuery).
const ownClaimableTaskQuery = precompileQuery(
  (executor: DatabaseExecutor, workspaceId: string, now: string, agentId: string, lockRow: boolean) =>
    selectClaimable(executor, workspaceId, now, lockRow).where((eb) =>
      eb.and([
        eb('t.status', 'in', ['assigned', 'in_progress']),
        eb.exists(
          eb.selectFrom('task_assignees as a').select('a.task_id').whereRef('a.task_id', '=', 't.id').where('a.assignee_id', '=', agentId),
        ),
      ]),
    ),
);

const inboxClaimableTaskQuery = precompileQuery(
  (executor: DatabaseExecutor, workspaceId: string, now: string, capabilities: readonly string[], lockRow: boolean) =>
    selectClaimable(executor, workspaceId, now, lockRow)
      .where('t.status', '=', 'inbox')
      .where((eb) => {
        let missingCapabilities = eb.selectFrom('task_capabilities as c').select('c.task_id').whereRef('c.task_id', '=', 't.id');
        if (capabilities.length > 0) missingCapabilities = missingCapabilities.where('c.capability', 'not in', capabilities);
        return eb.not(eb.exists(missingCapabilities));
      }),
);

function selectClaimable(executor: DatabaseExecutor, workspaceId: string, now: string, lockRow: boolean) {
  let select = executor
    .selectFrom('tasks as t')
    .select('t.id')
    .where('t.workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('t.lease_expires_at', 'is', null), eb('t.lease_expires_at', '<=', now)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('task_dependencies as d')
            .innerJoin('tasks as dependency', 'dependency.id', 'd.depends_on_id')
            .select('d.task_id')
            .whereRef('d.task_id', '=', 't.id')
            .where('dependency.status', '!=', 'done'),
        ),
      ),
    )
    // The same expressions, in the same order, as tasks_claim_order_idx (migration 0006).
    .orderBy('t.priority_rank', 'desc')
    .orderBy(sql`(case when t.due_at is null then 1 else 0 end)`)
    .orderBy('t.due_at', 'asc')
    .orderBy('t.id', 'asc')
    .limit(1);
  if (lockRow) select = select.forUpdate().skipLocked();
  return select;
}

export async function countLiveLeasesOfHolder(
  executor: DatabaseExecutor,
  workspaceId: string,
  holderId: string,
  now: string,
): Promise<number> {
  const row = await executor
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('lease_holder_id', '=', holderId)
    .where('workspace_id', '=', workspaceId)
    .where('lease_expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Locks a task row until the transaction ends (PostgreSQL only: SQLite has a single writer). */
export async function lockTaskRow(executor: DatabaseExecutor, taskId: string): Promise<void> {
  await executor.selectFrom('tasks').select('id').where('id', '=', taskId).forUpdate().execute();
}
