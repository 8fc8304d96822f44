import type { AccountErasure, EraseAccountInput, PrincipalReference } from '@mission-control/contracts';
import type { AuthService } from '../../auth/auth.service.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent, replaceInEventSummaries } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentChatService } from '../agent-runtime/agent-chat.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { InvitationService } from '../invitations/invitation.service.js';
import type { MfaService } from '../mfa/mfa.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { NotificationPreferenceService } from '../notifications/notification-preference.service.js';
import type { OidcService } from '../oidc/oidc.service.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { listApiKeysOfPerson, listSessionsOfPerson, revokeApiKeysOfPersonInWorkspace } from './personal-data.repository.js';
import { pseudonymOf, requirePasswordSession } from './personal-data-export.service.js';

export interface ErasureDependencies {
  users: Pick<UserService, 'findUser' | 'checkPassword' | 'hasPassword' | 'pseudonymiseUser'>;
  workspaces: Pick<WorkspaceService, 'listMembershipsForErasure' | 'removeMemberInTransaction'>;
  auth: Pick<AuthService, 'revokeKeysOf' | 'endSessionsOf'>;
  mfa: Pick<MfaService, 'deleteFactorsOf'>;
  oidc: Pick<OidcService, 'deleteIdentitiesOf'>;
  invitations: Pick<InvitationService, 'eraseInvitationsOf'>;
  notifications: Pick<NotificationService, 'deleteNotificationsOfPerson'>;
  notificationPreferences: Pick<NotificationPreferenceService, 'deletePreferencesOfPerson'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  agentChat: Pick<AgentChatService, 'deleteChatMessagesOfPerson'>;
}

type Membership = Awaited<ReturnType<WorkspaceService['listMembershipsForErasure']>>[number];

/** Who is erased and by whom, for one transaction. */
interface Erasure {
  userId: string;
  email: string;
  pseudonym: { name: string; email: string };
  /** Who the events and audit entries name: the person themselves (by their id) or the owner. */
  actor: PrincipalReference;
  /** The caller, for the audit entry of the workspace the request was made in (it carries the address). */
  principal: Principal;
  at: Date;
}

export type ErasureService = ReturnType<typeof createErasureService>;

export function createErasureService(context: ServiceContext, dependencies: ErasureDependencies) {
  const { db, clock } = context;
  const { users, workspaces, auth } = dependencies;

  function refuseLastOwner(memberships: readonly Membership[]): void {
    const blocking = memberships.filter((membership) => membership.blocksErasure);
    if (blocking.length === 0) return;
    const names = blocking.map((membership) => membership.name).join(', ');
    throw new AppError(
      'ERASURE_LAST_OWNER',
      `You are the last owner of ${names}, which other people belong to. Make someone else owner there first (PATCH /api/v1/members/{userId} with role "owner"), then erase.`,
      { workspaces: blocking.map((membership) => ({ id: membership.workspaceId, name: membership.name })) },
    );
  }

  async function checkConfirmation(userId: string, input: EraseAccountInput): Promise<void> {
    const refused = (message: string) => new AppError('ERASURE_CONFIRMATION_INVALID', `${message} Nothing was erased.`);
    if (input.password !== undefined) {
      const result = await users.checkPassword(userId, input.password);
      if (result === 'correct') return;
      if (result === 'wrong') throw refused('That is not your current password.');
      if (input.confirmation === undefined) {
        throw refused('Your account has no password: send {"confirmation": "erase my account"} instead.');
      }
      return;
    }
    if (await users.hasPassword(userId)) throw refused('Your account has a password: send it as {"password": …} to confirm.');
  }

  /**
   * Takes the person out of one workspace: announces each live key's revocation and each live
   * session's end (so open streams close on every instance), revokes and ends them, removes the
   * membership, and records the erasure in the workspace's feed and audit trail.
   */
  async function eraseFromWorkspace(trx: DatabaseExecutor, erasure: Erasure, workspaceId: string, accountErased: boolean) {
    const at = erasure.at.toISOString();
    for (const key of await listApiKeysOfPerson(trx, erasure.userId, workspaceId)) {
      if (key.revoked_at) continue;
      await appendEvent(trx, {
        workspaceId,
        type: 'api-key-revoked',
        actor: erasure.actor,
        agentId: null,
        summary: `API key "${key.name}" of an erased person revoked`,
        data: { apiKeyId: key.id, prefix: key.prefix },
        at: erasure.at,
      });
    }
    await revokeApiKeysOfPersonInWorkspace(trx, erasure.userId, workspaceId, at);
    for (const session of await listSessionsOfPerson(trx, erasure.userId, workspaceId)) {
      if (session.revoked_at || session.expires_at <= at) continue;
      await appendEvent(trx, {
        workspaceId,
        type: 'session-ended',
        actor: erasure.actor,
        summary: 'a session of an erased person ended',
        data: { sessionId: session.id, userId: erasure.userId, reason: 'account-erased' },
        at: erasure.at,
      });
    }
    await auth.endSessionsOf(trx, { userId: erasure.userId, workspaceId }, at);
    // A conversation with an agent is the person's own, not the workspace's record: it goes.
    await dependencies.agentChat.deleteChatMessagesOfPerson(trx, erasure.userId, workspaceId);
    await workspaces.removeMemberInTransaction(trx, { workspaceId, userId: erasure.userId, actor: erasure.actor });
    await replaceInEventSummaries(trx, { workspaceIds: [workspaceId], text: erasure.email, replacement: erasure.pseudonym.name });
    await appendEvent(trx, {
      workspaceId,
      type: 'member-erased',
      actor: erasure.actor,
      summary: accountErased ? `an account was erased; it shows as ${erasure.pseudonym.name}` : "a member's personal data was erased",
      data: { userId: erasure.userId, pseudonym: accountErased ? erasure.pseudonym.name : null, accountErased },
      at: erasure.at,
    });
    const inRequestWorkspace = workspaceId === erasure.principal.workspaceId;
    await dependencies.audit.recordAuditEntry(trx, {
      workspaceId,
      actor: inRequestWorkspace ? erasure.principal : erasure.actor,
      action: accountErased ? 'account.erased' : 'member.erased',
      targetKind: 'user',
      targetId: erasure.userId,
      // Never the email: the entry outlives the account, and the trail is append-only.
      summary: accountErased ? `an account was erased; it shows as ${erasure.pseudonym.name}` : "a member's personal data was erased",
      after: { accountErased, pseudonym: accountErased ? erasure.pseudonym.name : null },
    });
  }

  /** Everything about the account itself, once it is out of every workspace. */
  async function eraseAccountRecords(trx: DatabaseExecutor, erasure: Erasure): Promise<void> {
    const at = erasure.at.toISOString();
    // Keys and sessions left in workspaces the person was no longer a member of.
    await auth.revokeKeysOf(trx, { kind: 'user', id: erasure.userId }, at);
    for (const workspaceId of new Set((await listSessionsOfPerson(trx, erasure.userId)).map((session) => session.workspace_id))) {
      await auth.endSessionsOf(trx, { userId: erasure.userId, workspaceId }, at);
    }
    await dependencies.mfa.deleteFactorsOf(trx, erasure.userId);
    await dependencies.oidc.deleteIdentitiesOf(trx, erasure.userId);
    await dependencies.invitations.eraseInvitationsOf(trx, {
      userId: erasure.userId,
      email: erasure.email,
      pseudonymEmail: erasure.pseudonym.email,
      workspaceId: null,
      actor: erasure.actor,
    });
    await dependencies.notifications.deleteNotificationsOfPerson(trx, erasure.userId, null);
    await dependencies.notificationPreferences.deletePreferencesOfPerson(trx, erasure.userId, null);
    await users.pseudonymiseUser(trx, erasure.userId, erasure.pseudonym);
  }

  async function startErasure(trx: DatabaseExecutor, principal: Principal, userId: string, actor: PrincipalReference): Promise<Erasure> {
    const user = await users.findUser(userId, trx);
    if (!user) throw new AppError('USER_NOT_FOUND', 'No account with this id.');
    return { userId, email: user.email, pseudonym: pseudonymOf(userId), actor, principal, at: clock.now() };
  }

  function answerOf(erasure: Erasure, accountErased: boolean, workspaceIds: string[]): AccountErasure {
    return { userId: erasure.userId, pseudonym: erasure.pseudonym.name, erasedAt: erasure.at.toISOString(), accountErased, workspaceIds };
  }

  async function eraseWholeAccount(trx: DatabaseExecutor, erasure: Erasure, memberships: readonly Membership[]): Promise<AccountErasure> {
    for (const membership of memberships) await eraseFromWorkspace(trx, erasure, membership.workspaceId, true);
    await eraseAccountRecords(trx, erasure);
    return answerOf(
      erasure,
      true,
      memberships.map((membership) => membership.workspaceId),
    );
  }

  return {
    /** DELETE /me: the person erases their own account after confirming it is them. */
    async eraseAccount(principal: Principal, input: EraseAccountInput): Promise<AccountErasure> {
      const userId = requirePasswordSession(principal, 'erase your account');
      await checkConfirmation(userId, input);
      return db.transaction().execute(async (trx) => {
        const memberships = await workspaces.listMembershipsForErasure(userId, trx);
        refuseLastOwner(memberships);
        const erasure = await startErasure(trx, principal, userId, { kind: 'user', id: userId });
        return eraseWholeAccount(trx, erasure, memberships);
      });
    },

    /**
     * An owner erases a member's data in their workspace; the account too when this was the
     * person's only workspace (nobody else could then ask for it, and it could not sign in anywhere).
     */
    async eraseMember(principal: Principal, userId: string): Promise<AccountErasure> {
      if (principal.kind !== 'user' || principal.role !== 'owner') {
        throw new AppError('FORBIDDEN', 'Only an owner of the workspace can erase a member.');
      }
      if (userId === principal.id) {
        throw new AppError('FORBIDDEN', 'To erase yourself, use DELETE /api/v1/me with your password.');
      }
      return db.transaction().execute(async (trx) => {
        const memberships = await workspaces.listMembershipsForErasure(userId, trx);
        const here = memberships.find((membership) => membership.workspaceId === principal.workspaceId);
        if (!here) throw new AppError('USER_NOT_FOUND', 'No member with this id in the workspace.');
        const erasure = await startErasure(trx, principal, userId, toPrincipalReference(principal));
        if (memberships.length === 1) return eraseWholeAccount(trx, erasure, memberships);
        await eraseFromWorkspace(trx, erasure, principal.workspaceId, false);
        await dependencies.invitations.eraseInvitationsOf(trx, {
          userId,
          email: erasure.email,
          pseudonymEmail: erasure.pseudonym.email,
          workspaceId: principal.workspaceId,
          actor: erasure.actor,
        });
        await dependencies.notifications.deleteNotificationsOfPerson(trx, userId, principal.workspaceId);
        await dependencies.notificationPreferences.deletePreferencesOfPerson(trx, userId, principal.workspaceId);
        return answerOf(erasure, false, [principal.workspaceId]);
      });
    },
  };
}
