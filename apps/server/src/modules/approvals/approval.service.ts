import type { Approval, ApprovalStatus, approvalSourceSchema, PrincipalReference } from '@mission-control/contracts';
import type { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { findApproval, insertApproval, listApprovalRows, toApproval, updatePendingApproval } from './approval.repository.js';

export type ApprovalSource = z.infer<typeof approvalSourceSchema>;

/** Work a listener leaves for after the decision is committed (it goes through services with their own transactions). */
export type AfterDecision = () => Promise<void>;

/**
 * Called inside the transaction that decided an approval (the workflow engine wakes the waiting
 * run; an approved agent proposal creates the agent) with the person who decided, if any.
 */
export type ApprovalDecisionListener = (
  trx: DatabaseExecutor,
  approval: Approval,
  decidedBy: Principal | null,
) => Promise<AfterDecision | undefined>;

export interface NewApproval {
  workspaceId: string;
  title: string;
  source: ApprovalSource;
  /** Roles that may decide; owners and admins when empty. */
  approverRoles: readonly string[];
  requestedBy: PrincipalReference | null;
  expiresAt: Date | null;
}

export type ApprovalService = ReturnType<typeof createApprovalService>;

/**
 * One inbox for every kind of human gate: workflow approval steps, agents proposing agents. A
 * person with one of the roles named decides once, with a comment; listeners registered by the
 * modules that opened the gate go on from there in the same transaction.
 */
export function createApprovalService(context: ServiceContext) {
  const { db, clock } = context;
  const listeners: ApprovalDecisionListener[] = [];

  function notFound(): AppError {
    return new AppError('APPROVAL_NOT_FOUND', 'No approval with this id in the workspace. List them with GET /api/v1/approvals.');
  }

  async function decideInTransaction(
    trx: DatabaseExecutor,
    workspaceId: string,
    id: string,
    status: Exclude<ApprovalStatus, 'pending'>,
    decidedBy: Principal | null,
    comment: string | null,
  ): Promise<{ approval: Approval; afterCommit: AfterDecision[] }> {
    const now = clock.now();
    const decided = await updatePendingApproval(trx, id, {
      status,
      decided_by_kind: decidedBy?.kind === 'user' || decidedBy?.kind === 'agent' ? decidedBy.kind : null,
      decided_by_id: decidedBy?.id ?? null,
      comment,
      decided_at: now.toISOString(),
    });
    if (!decided) throw new AppError('APPROVAL_ALREADY_DECIDED', 'This approval was already decided; nothing changed.');
    const row = await findApproval(trx, workspaceId, id);
    if (!row) throw notFound();
    const approval = toApproval(row);
    await appendEvent(trx, {
      workspaceId,
      type: 'approval-decided',
      actor: decidedBy ? toPrincipalReference(decidedBy) : null,
      summary: `${approval.title}: ${status}${comment ? ` (${comment})` : ''}`,
      data: { approvalId: id, status, comment },
      at: now,
    });
    const afterCommit: AfterDecision[] = [];
    for (const listener of listeners) {
      const after = await listener(trx, approval, decidedBy);
      if (after) afterCommit.push(after);
    }
    return { approval, afterCommit };
  }

  return {
    /** Registers what happens once an approval is decided. */
    onDecision(listener: ApprovalDecisionListener): void {
      listeners.push(listener);
    },

    /** Opens an approval inside the caller's transaction; appends `approval-requested`. */
    async createApprovalInTransaction(trx: DatabaseExecutor, input: NewApproval): Promise<Approval> {
      const now = clock.now();
      const id = createId();
      await insertApproval(trx, {
        id,
        workspace_id: input.workspaceId,
        status: 'pending',
        title: input.title,
        source: JSON.stringify(input.source),
        approver_roles: JSON.stringify(input.approverRoles),
        requested_by_kind: input.requestedBy?.kind ?? null,
        requested_by_id: input.requestedBy?.id ?? null,
        decided_by_kind: null,
        decided_by_id: null,
        comment: null,
        created_at: now.toISOString(),
        expires_at: input.expiresAt?.toISOString() ?? null,
        decided_at: null,
      });
      await appendEvent(trx, {
        workspaceId: input.workspaceId,
        type: 'approval-requested',
        actor: input.requestedBy,
        summary: `Approval requested: ${input.title}`,
        data: { approvalId: id, title: input.title, sourceKind: input.source.kind },
        at: now,
      });
      const row = await findApproval(trx, input.workspaceId, id);
      if (!row) throw notFound();
      return toApproval(row);
    },

    /** Closes a pending approval without a person (it expired, or its run was cancelled). */
    async expireApprovalInTransaction(trx: DatabaseExecutor, workspaceId: string, id: string): Promise<void> {
      const row = await findApproval(trx, workspaceId, id);
      if (row?.status !== 'pending') return;
      await decideInTransaction(trx, workspaceId, id, 'expired', null, null);
    },

    async findApprovalStatus(executor: DatabaseExecutor, workspaceId: string, id: string): Promise<Approval | undefined> {
      const row = await findApproval(executor, workspaceId, id);
      return row ? toApproval(row) : undefined;
    },

    async listApprovals(principal: Principal, query: { status?: ApprovalStatus | undefined }): Promise<{ data: Approval[] }> {
      assertCan(principal, 'workspace:read');
      return { data: (await listApprovalRows(db, principal.workspaceId, query.status)).map(toApproval) };
    },

    async decideApproval(principal: Principal, id: string, approve: boolean, comment: string | undefined): Promise<Approval> {
      assertCan(principal, 'work:write');
      const decided = await db.transaction().execute(async (trx) => {
        const row = await findApproval(trx, principal.workspaceId, id);
        if (!row) throw notFound();
        const approval = toApproval(row);
        if (approval.status !== 'pending') {
          throw new AppError('APPROVAL_ALREADY_DECIDED', `This approval was already ${approval.status}; nothing changed.`);
        }
        const roles = approval.approverRoles.length > 0 ? approval.approverRoles : ['owner', 'admin'];
        if (principal.kind !== 'user' || !roles.includes(principal.role)) {
          throw new AppError('FORBIDDEN', `Only a person with the role ${roles.join(' or ')} may decide this approval.`);
        }
        return decideInTransaction(trx, principal.workspaceId, id, approve ? 'approved' : 'rejected', principal, comment ?? null);
      });
      for (const after of decided.afterCommit) await after();
      return decided.approval;
    },
  };
}
