import type {
  AcceptedInvitation,
  AcceptInvitationWithTokenInput,
  CreateInvitationInput,
  Invitation,
  ListInvitationsQuery,
  Page,
  PrincipalReference,
  ReceivedInvitation,
  SessionTokens,
  User,
  WorkspaceRole,
} from '@mission-control/contracts';
import type { AuthService } from '../../auth/auth.service.js';
import { verifyPassword } from '../../auth/password.js';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { generateSecretToken, hashSecretToken } from '../../auth/secrets.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AuditService } from '../audit/audit.service.js';
import type { MfaService } from '../mfa/mfa.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  closePendingInvitation,
  effectiveStatus,
  findInvitationById,
  findInvitationByTokenHash,
  findInvitationOfEmail,
  findInvitationOfWorkspace,
  type InvitationRow,
  insertInvitation,
  listInvitationsOfWorkspace,
  listPendingInvitationsInvolving,
  listPendingInvitationsOfEmail,
  listPendingInvitationsOfEmailInWorkspace,
  replaceInvitationEmail,
  setAcceptedBy,
  toInvitation,
} from './invitation.repository.js';

/** Invitation tokens start like API keys, so every place that hides `mc_…` secrets (logs) hides them too. */
export const invitationTokenPrefix = 'mc_inv_';
export const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export interface InvitationServiceDependencies {
  users: Pick<UserService, 'findUser' | 'findUserByEmail' | 'findUsers' | 'findSignInCredentials' | 'createUser'>;
  workspaces: Pick<
    WorkspaceService,
    'findWorkspace' | 'requireWorkspace' | 'findMemberIds' | 'listMembershipsOf' | 'addMemberInTransaction'
  >;
  notifications: Pick<NotificationService, 'notifyInTransaction'>;
  auth: Pick<AuthService, 'startSession'>;
  /** Invitations sent and revoked are recorded in the audit log. */
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** A link accepted with the password of an account that has MFA on must not skip the code. */
  mfa?: Pick<MfaService, 'isMfaRequired'>;
}

export type InvitationService = ReturnType<typeof createInvitationService>;

/**
 * People join a workspace only by accepting an invitation. Creating one answers the same for an
 * email with an account and one without, so inviting never tells who has an account; the link's
 * token is stored as its hash and shown once.
 */
export function createInvitationService(context: ServiceContext, dependencies: InvitationServiceDependencies) {
  const { db, clock } = context;
  const { users, workspaces, notifications } = dependencies;

  function requireUser(principal: Principal): Principal & { kind: 'user' } {
    if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'Invitations are for people; agents cannot send or answer them.');
    return principal;
  }

  async function requireSignedInUser(principal: Principal): Promise<User> {
    const user = await users.findUser(requireUser(principal).id);
    if (!user) throw new AppError('UNAUTHENTICATED', 'Your account no longer exists.');
    return user;
  }

  /** Throws the 410 that says why a closed invitation cannot be used. */
  function assertOpen(row: InvitationRow): void {
    const status = effectiveStatus(row, clock.now());
    if (status === 'expired') {
      throw new AppError('INVITATION_EXPIRED', 'This invitation has expired (they last 7 days). Ask the workspace for a new one.');
    }
    if (status === 'revoked') {
      throw new AppError('INVITATION_REVOKED', 'This invitation was revoked or replaced by a newer one. Ask the workspace for a new one.');
    }
    if (status === 'accepted' || status === 'declined') {
      throw new AppError('INVITATION_ALREADY_USED', `This invitation was already ${status}; each invitation works once.`);
    }
  }

  function notFound(): AppError {
    return new AppError('INVITATION_NOT_FOUND', 'No invitation with this id is addressed to you. See GET /api/v1/invitations/mine.');
  }

  function linkNotFound(): AppError {
    return new AppError('INVITATION_NOT_FOUND', 'This invitation link is not valid. Check that you copied it whole, or ask for a new one.');
  }

  /** Who invited the person to what, as the invited person sees it. */
  async function toReceivedInvitations(rows: InvitationRow[], executor: DatabaseExecutor = db): Promise<ReceivedInvitation[]> {
    const now = clock.now();
    const inviters = new Map(
      (await users.findUsers([...new Set(rows.map((row) => row.invited_by_id))], executor)).map((user) => [user.id, user]),
    );
    const received: ReceivedInvitation[] = [];
    for (const row of rows) {
      const workspace = await workspaces.findWorkspace(row.workspace_id, executor);
      if (!workspace) continue;
      received.push({
        id: row.id,
        email: row.email,
        role: row.role,
        status: effectiveStatus(row, now),
        expiresAt: row.expires_at,
        createdAt: row.created_at,
        workspace: { id: workspace.id, name: workspace.name },
        invitedBy: { id: row.invited_by_id, name: inviters.get(row.invited_by_id)?.name ?? 'a former member' },
      });
    }
    return received;
  }

  async function toReceivedInvitation(row: InvitationRow, executor: DatabaseExecutor = db): Promise<ReceivedInvitation> {
    const [received] = await toReceivedInvitations([row], executor);
    if (!received) throw new AppError('INVITATION_NOT_FOUND', 'The workspace of this invitation no longer exists.');
    return received;
  }

  /** Re-reads a row a conditional close did not change, to say why (someone answered it first, or it expired meanwhile). */
  async function explainUnclosed(executor: DatabaseExecutor, invitationId: string): Promise<never> {
    const current = await findInvitationById(executor, invitationId);
    if (current) assertOpen(current);
    throw new AppError('INVITATION_ALREADY_USED', 'This invitation was answered at the same moment by another request.');
  }

  /**
   * Accepts an open invitation in the caller's transaction: closes it first (the row lock makes a
   * concurrent acceptance wait and then find it closed, before it could create a second account),
   * then resolves who joins, makes them a member and appends both events.
   */
  async function acceptInTransaction(executor: DatabaseExecutor, row: InvitationRow, resolveUser: () => Promise<User>): Promise<User> {
    const now = clock.now();
    const closed = await closePendingInvitation(executor, row.id, { status: 'accepted', at: now.toISOString(), onlyUnexpired: true });
    if (!closed) await explainUnclosed(executor, row.id);
    const user = await resolveUser();
    await setAcceptedBy(executor, row.id, user.id);
    const actor: PrincipalReference = { kind: 'user', id: user.id };
    await appendEvent(executor, {
      workspaceId: row.workspace_id,
      type: 'invitation-accepted',
      actor,
      summary: `an invitation was accepted: a new ${row.role} joined`,
      data: { invitationId: row.id, userId: user.id, role: row.role },
      at: now,
    });
    await workspaces.addMemberInTransaction(executor, { workspaceId: row.workspace_id, user, role: row.role, actor });
    return user;
  }

  return {
    /**
     * Erasure, in the caller's transaction: revokes the pending invitations the person sent or
     * was sent (in one workspace, or every one when `workspaceId` is null) with `invitation-revoked`,
     * and replaces their email on the invitation rows, which stay as the workspace's record.
     */
    async eraseInvitationsOf(
      executor: DatabaseExecutor,
      person: { userId: string; email: string; pseudonymEmail: string; workspaceId: string | null; actor: PrincipalReference },
    ): Promise<void> {
      const now = clock.now();
      for (const row of await listPendingInvitationsInvolving(executor, person)) {
        await closePendingInvitation(executor, row.id, { status: 'revoked', at: now.toISOString(), onlyUnexpired: false });
        await appendEvent(executor, {
          workspaceId: row.workspace_id,
          type: 'invitation-revoked',
          actor: person.actor,
          summary: 'an invitation was revoked: a person was erased',
          data: { invitationId: row.id },
          at: now,
        });
      }
      await replaceInvitationEmail(executor, { email: person.email, replacement: person.pseudonymEmail, workspaceId: person.workspaceId });
    },

    /** Invites an email; the answer is the same whether or not it has an account. The token is in the answer only. */
    async createInvitation(principal: Principal, input: CreateInvitationInput): Promise<{ invitation: Invitation; token: string }> {
      requireUser(principal);
      assertCan(principal, 'member:manage');
      const invitee = await users.findUserByEmail(input.email);
      if (invitee && (await workspaces.findMemberIds(principal, [invitee.id])).has(invitee.id)) {
        throw new AppError('MEMBER_ALREADY_EXISTS', `${input.email} is already a member of this workspace.`);
      }
      // Where the invitee lands when signing in: their notification goes there. Read before the
      // transaction (on SQLite a transaction holds the only connection).
      const landingWorkspace = invitee ? (await workspaces.listMembershipsOf(invitee.id))[0]?.workspace : undefined;
      const now = clock.now();
      const token = generateSecretToken(invitationTokenPrefix);
      const row: InvitationRow = {
        id: createId(),
        workspace_id: principal.workspaceId,
        email: input.email,
        role: input.role,
        status: 'pending',
        token_hash: hashSecretToken(token),
        invited_by_id: principal.id,
        accepted_by_user_id: null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + invitationLifetimeMs).toISOString(),
        responded_at: null,
      };
      const actor = toPrincipalReference(principal);
      await db.transaction().execute(async (trx) => {
        // One open invitation per email and workspace: a new one replaces the old (a lost link, another role).
        for (const previous of await listPendingInvitationsOfEmailInWorkspace(trx, principal.workspaceId, input.email)) {
          await closePendingInvitation(trx, previous.id, { status: 'revoked', at: row.created_at, onlyUnexpired: false });
          await appendEvent(trx, {
            workspaceId: principal.workspaceId,
            type: 'invitation-revoked',
            actor,
            summary: 'an invitation was replaced by a newer one',
            data: { invitationId: previous.id },
            at: now,
          });
        }
        await insertInvitation(trx, row);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'invitation-created',
          actor,
          summary: `someone was invited to join as ${input.role}`,
          data: { invitationId: row.id, role: row.role, expiresAt: row.expires_at },
          at: now,
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'invitation.created',
          targetKind: 'invitation',
          targetId: row.id,
          summary: `${input.email} was invited to join as ${input.role}`,
          after: { email: input.email, role: row.role, expiresAt: row.expires_at },
        });
        if (invitee && landingWorkspace) {
          // The feed of that other workspace sees this notification's summary, so it does not name
          // the inviting workspace; the invitee reads the details in their pending invitations.
          await notifications.notifyInTransaction(trx, landingWorkspace.id, null, [
            {
              recipient: { kind: 'user', id: invitee.id },
              taskId: null,
              reason: 'system',
              content: 'You have a new invitation to another workspace: accept or decline it under Pending invitations.',
            },
          ]);
        }
      });
      return { invitation: toInvitation(row, now), token };
    },

    async listInvitations(principal: Principal, query: ListInvitationsQuery): Promise<Page<Invitation>> {
      requireUser(principal);
      assertCan(principal, 'member:manage');
      const now = clock.now();
      const rows = await listInvitationsOfWorkspace(db, {
        workspaceId: principal.workspaceId,
        status: query.status,
        now: now.toISOString(),
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(
        rows,
        query.limit,
        (row) => toInvitation(row, now),
        (row) => row.id,
      );
    },

    /** Revokes an unanswered invitation; revoking it again answers it unchanged. */
    async revokeInvitation(principal: Principal, invitationId: string): Promise<Invitation> {
      requireUser(principal);
      assertCan(principal, 'member:manage');
      return db.transaction().execute(async (trx) => {
        const row = await findInvitationOfWorkspace(trx, principal.workspaceId, invitationId);
        if (!row) throw new AppError('INVITATION_NOT_FOUND', 'No invitation with this id in the workspace. See GET /api/v1/invitations.');
        if (row.status === 'revoked') return toInvitation(row, clock.now());
        if (row.status !== 'pending') {
          throw new AppError(
            'INVITATION_ALREADY_USED',
            `This invitation was already ${row.status}. To take someone out, remove the member.`,
          );
        }
        const now = clock.now();
        await closePendingInvitation(trx, row.id, { status: 'revoked', at: now.toISOString(), onlyUnexpired: false });
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'invitation-revoked',
          actor: toPrincipalReference(principal),
          summary: 'an invitation was revoked',
          data: { invitationId: row.id },
          at: now,
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'invitation.revoked',
          targetKind: 'invitation',
          targetId: row.id,
          summary: `the invitation of ${row.email} was revoked`,
          before: { status: 'pending' },
          after: { status: 'revoked' },
        });
        return toInvitation({ ...row, status: 'revoked', responded_at: now.toISOString() }, now);
      });
    },

    /**
     * Single sign-on's first sign-in, in the caller's transaction: accepts every open invitation
     * of the new account's email (the provider verified it), as the link would have. Answers the
     * workspaces joined, oldest invitation first.
     */
    async acceptOpenInvitationsOf(executor: DatabaseExecutor, user: User): Promise<{ workspaceId: string; role: WorkspaceRole }[]> {
      const rows = await listPendingInvitationsOfEmail(executor, user.email, clock.now().toISOString());
      const joined: { workspaceId: string; role: WorkspaceRole }[] = [];
      for (const row of rows) {
        if (joined.some((workspace) => workspace.workspaceId === row.workspace_id)) continue;
        await acceptInTransaction(executor, row, async () => user);
        joined.push({ workspaceId: row.workspace_id, role: row.role });
      }
      return joined;
    },

    /** The signed-in person's open invitations, from every workspace. */
    async listMyInvitations(principal: Principal): Promise<ReceivedInvitation[]> {
      const user = await requireSignedInUser(principal);
      return toReceivedInvitations(await listPendingInvitationsOfEmail(db, user.email, clock.now().toISOString()));
    },

    async acceptInvitation(principal: Principal, invitationId: string): Promise<AcceptedInvitation> {
      const user = await requireSignedInUser(principal);
      // Someone else's invitation is a 404: its id tells nothing about whom it was for.
      const row = await findInvitationOfEmail(db, user.email, invitationId);
      if (!row) throw notFound();
      assertOpen(row);
      const workspace = await workspaces.requireWorkspace(row.workspace_id);
      const invitation = await toReceivedInvitation(row);
      await db.transaction().execute((trx) => acceptInTransaction(trx, row, async () => user));
      return { invitation: { ...invitation, status: 'accepted' }, workspace, role: row.role };
    },

    async declineInvitation(principal: Principal, invitationId: string): Promise<ReceivedInvitation> {
      const user = await requireSignedInUser(principal);
      const row = await findInvitationOfEmail(db, user.email, invitationId);
      if (!row) throw notFound();
      assertOpen(row);
      const invitation = await toReceivedInvitation(row);
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const closed = await closePendingInvitation(trx, row.id, { status: 'declined', at: now.toISOString(), onlyUnexpired: true });
        if (!closed) await explainUnclosed(trx, row.id);
        await appendEvent(trx, {
          workspaceId: row.workspace_id,
          type: 'invitation-declined',
          actor: { kind: 'user', id: user.id },
          summary: 'an invitation was declined',
          data: { invitationId: row.id },
          at: now,
        });
      });
      return { ...invitation, status: 'declined' };
    },

    /** What an invitation link carries, for the page that accepts it. */
    async getInvitationByToken(token: string): Promise<ReceivedInvitation> {
      const row = await findInvitationByTokenHash(db, hashSecretToken(token));
      if (!row) throw linkNotFound();
      assertOpen(row);
      return toReceivedInvitation(row);
    },

    /**
     * Accepts an invitation link: creates the account when the email has none, or checks the
     * existing account's password, then makes the person a member and signs them in.
     */
    async acceptInvitationWithToken(token: string, input: AcceptInvitationWithTokenInput): Promise<SessionTokens> {
      const row = await findInvitationByTokenHash(db, hashSecretToken(token));
      if (!row) throw linkNotFound();
      assertOpen(row);
      const existing = await users.findSignInCredentials(row.email);
      if (existing && !(await verifyPassword(input.password, existing.passwordHash))) {
        throw new AppError(
          'INVALID_CREDENTIALS',
          'This email already has an account, and that is not its password. Enter the account’s password, or sign in and accept the invitation there.',
        );
      }
      if (existing && (await dependencies.mfa?.isMfaRequired(existing.user.id))) {
        throw new AppError(
          'MFA_SIGN_IN_REQUIRED',
          'This account has MFA on, so a password alone cannot sign it in. Sign in with your code, then accept the invitation from the dashboard.',
        );
      }
      const user = await db
        .transaction()
        .execute((trx) =>
          acceptInTransaction(
            trx,
            row,
            async () => existing?.user ?? (await users.createUser(trx, { email: row.email, name: input.name, password: input.password })),
          ),
        );
      return dependencies.auth.startSession({ userId: user.id, workspaceId: row.workspace_id, role: row.role }, 'invitation');
    },
  };
}
