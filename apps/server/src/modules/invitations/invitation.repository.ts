import type { Invitation, InvitationStatus } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { InvitationTable } from '../../db/schema.js';

export type InvitationRow = Selectable<InvitationTable>;

export async function insertInvitation(executor: DatabaseExecutor, row: Insertable<InvitationTable>): Promise<void> {
  await executor.insertInto('invitations').values(row).execute();
}

export function findInvitationById(executor: DatabaseExecutor, invitationId: string) {
  return executor.selectFrom('invitations').selectAll().where('id', '=', invitationId).executeTakeFirst();
}

export function findInvitationOfWorkspace(executor: DatabaseExecutor, workspaceId: string, invitationId: string) {
  return executor
    .selectFrom('invitations')
    .selectAll()
    .where('id', '=', invitationId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** An invitation addressed to this email, in whatever workspace: what its invitee may see. */
export function findInvitationOfEmail(executor: DatabaseExecutor, email: string, invitationId: string) {
  return executor.selectFrom('invitations').selectAll().where('id', '=', invitationId).where('email', '=', email).executeTakeFirst();
}

export function findInvitationByTokenHash(executor: DatabaseExecutor, tokenHash: string) {
  return executor.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export interface ListInvitationsFilter {
  workspaceId: string;
  status: InvitationStatus | undefined;
  /** Pending and expired are told apart by this instant. */
  now: string;
  beforeId: string | undefined;
  limit: number;
}

/** Newest first. */
export function listInvitationsOfWorkspace(executor: DatabaseExecutor, filter: ListInvitationsFilter) {
  let query = executor.selectFrom('invitations').selectAll().where('workspace_id', '=', filter.workspaceId);
  if (filter.status === 'pending') query = query.where('status', '=', 'pending').where('expires_at', '>', filter.now);
  else if (filter.status === 'expired') query = query.where('status', '=', 'pending').where('expires_at', '<=', filter.now);
  else if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** The open invitations to an email, from every workspace, oldest first. */
export function listPendingInvitationsOfEmail(executor: DatabaseExecutor, email: string, now: string) {
  return executor
    .selectFrom('invitations')
    .selectAll()
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .orderBy('id', 'asc')
    .execute();
}

/** The still-pending invitations of an email in one workspace, expired or not. */
export function listPendingInvitationsOfEmailInWorkspace(executor: DatabaseExecutor, workspaceId: string, email: string) {
  return executor
    .selectFrom('invitations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .execute();
}

/** Pending invitations a person sent, or that were sent to their email, in one workspace or all (erasure). */
export function listPendingInvitationsInvolving(
  executor: DatabaseExecutor,
  person: { userId: string; email: string; workspaceId: string | null },
) {
  let query = executor
    .selectFrom('invitations')
    .selectAll()
    .where('status', '=', 'pending')
    .where((where) => where.or([where('invited_by_id', '=', person.userId), where('email', '=', person.email)]));
  if (person.workspaceId) query = query.where('workspace_id', '=', person.workspaceId);
  return query.orderBy('id', 'asc').execute();
}

/** Replaces the invitee email of every invitation to it (erasure keeps the rows, not the address). */
export async function replaceInvitationEmail(
  executor: DatabaseExecutor,
  change: { email: string; replacement: string; workspaceId: string | null },
): Promise<void> {
  let query = executor.updateTable('invitations').set({ email: change.replacement }).where('email', '=', change.email);
  if (change.workspaceId) query = query.where('workspace_id', '=', change.workspaceId);
  await query.execute();
}

export interface CloseInvitationChange {
  status: 'accepted' | 'declined' | 'revoked';
  at: string;
  /** Accepting and declining need an unexpired invitation; revoking does not. */
  onlyUnexpired: boolean;
}

/**
 * Closes an invitation if it is still pending (and unexpired when asked): the condition is part
 * of the update, so of two concurrent answers exactly one closes it. Answers whether this one did.
 */
export async function closePendingInvitation(
  executor: DatabaseExecutor,
  invitationId: string,
  change: CloseInvitationChange,
): Promise<boolean> {
  let query = executor
    .updateTable('invitations')
    .set({ status: change.status, responded_at: change.at })
    .where('id', '=', invitationId)
    .where('status', '=', 'pending');
  if (change.onlyUnexpired) query = query.where('expires_at', '>', change.at);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records who accepted, once the account that joins is known (it may be created after the invitation closed). */
export async function setAcceptedBy(executor: DatabaseExecutor, invitationId: string, userId: string): Promise<void> {
  await executor.updateTable('invitations').set({ accepted_by_user_id: userId }).where('id', '=', invitationId).execute();
}

/** The status a reader sees: a pending invitation past its expiry reads as expired. */
export function effectiveStatus(row: InvitationRow, now: Date): InvitationStatus {
  return row.status === 'pending' && Date.parse(row.expires_at) <= now.getTime() ? 'expired' : row.status;
}

export function toInvitation(row: InvitationRow, now: Date): Invitation {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    role: row.role,
    status: effectiveStatus(row, now),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    invitedBy: { kind: 'user', id: row.invited_by_id },
    respondedAt: row.responded_at,
  };
}
