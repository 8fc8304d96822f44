import { type Approval, type ApprovalStatus, approvalSourceSchema } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import type { ApprovalTable } from '../../db/schema.js';

export type ApprovalRow = Selectable<ApprovalTable>;

export function insertApproval(executor: DatabaseExecutor, row: Insertable<ApprovalTable>) {
  return executor.insertInto('approvals').values(row).execute();
}

export function findApproval(executor: DatabaseExecutor, workspaceId: string, id: string) {
  return executor.selectFrom('approvals').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function listApprovalRows(executor: DatabaseExecutor, workspaceId: string, status: ApprovalStatus | undefined) {
  let query = executor.selectFrom('approvals').selectAll().where('workspace_id', '=', workspaceId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('id', 'desc').limit(500).execute();
}

/** Decides an approval still pending; answers whether this call did it. */
export async function updatePendingApproval(executor: DatabaseExecutor, id: string, changes: Updateable<ApprovalTable>): Promise<boolean> {
  const result = await executor
    .updateTable('approvals')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function toApproval(row: ApprovalRow): Approval {
  const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    status: row.status,
    title: row.title,
    source: parseJsonColumn(approvalSourceSchema, row.source, 'approvals.source'),
    approverRoles: parseJsonColumn(z.array(z.string()), row.approver_roles, 'approvals.approver_roles'),
    requestedBy: row.requested_by_kind && row.requested_by_id ? { kind: row.requested_by_kind, id: row.requested_by_id } : null,
    decidedBy: row.decided_by_kind && row.decided_by_id ? { kind: row.decided_by_kind, id: row.decided_by_id } : null,
    comment: row.comment,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    decidedAt: iso(row.decided_at),
  };
}
