import type { PrincipalKind, TaskStatus } from '@mission-control/contracts';
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

/** Tasks agents hold a live lease on in a workspace (the anomaly detector's stalled-agent check). */
export function listLiveAgentLeases(executor: DatabaseExecutor, workspaceId: string, now: string) {
  return executor
    .selectFrom('tasks')
    .select(['id', 'number', 'title', 'lease_holder_id'])
    .where('workspace_id', '=', workspaceId)
    .where('lease_holder_kind', '=', 'agent')
    .where('lease_token', 'is not', null)
    .where('lease_expires_at', '>', now)
    .execute();
}
