import { createHash } from 'node:crypto';
import { type PersonalDataExport, personalDataExportFormatVersion } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { AppError } from '../../http/app-error.js';
import type { AgentChatService } from '../agent-runtime/agent-chat.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { MfaService } from '../mfa/mfa.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { NotificationPreferenceService } from '../notifications/notification-preference.service.js';
import type { OidcService } from '../oidc/oidc.service.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  listApiKeysOfPerson,
  listDocumentsByPerson,
  listMessagesByPerson,
  listSessionsOfPerson,
  listTasksOfPerson,
} from './personal-data.repository.js';

export interface PersonalDataExportDependencies {
  users: Pick<UserService, 'findUser'>;
  workspaces: Pick<WorkspaceService, 'listMembershipsForErasure' | 'findWorkspace'>;
  mfa: Pick<MfaService, 'describeFactorOf'>;
  oidc: Pick<OidcService, 'listIdentitiesOf'>;
  notifications: Pick<NotificationService, 'listNotificationsOfPerson'>;
  notificationPreferences: Pick<NotificationPreferenceService, 'listPreferencesOfPerson'>;
  audit: Pick<AuditService, 'recordAuditEntry' | 'listEntriesOfPerson'>;
  agentChat: Pick<AgentChatService, 'listChatMessagesOfPerson'>;
}

/** The name and email an erased account shows: the same for the same id, so references stay readable. */
export function pseudonymOf(userId: string): { name: string; email: string } {
  const short = createHash('sha256').update(userId).digest('hex').slice(0, 6);
  // The full id keeps the email unique (users.email is); `.invalid` can never receive mail (RFC 2606).
  return { name: `Deleted user ${short}`, email: `deleted-${userId}@erased.invalid` };
}

/**
 * Export and erasure act for a person signed in with their password: a user API key (which may
 * leak, or be scoped to one tool) must not be able to copy out or destroy a whole account.
 */
export function requirePasswordSession(principal: Principal, what: string): string {
  if (principal.kind !== 'user' || principal.sessionId === null) {
    throw new AppError('FORBIDDEN', `Sign in with your password (or single sign-on) to ${what}; API keys and agents cannot.`);
  }
  return principal.id;
}

export type PersonalDataExportService = ReturnType<typeof createPersonalDataExportService>;

export function createPersonalDataExportService(context: ServiceContext, dependencies: PersonalDataExportDependencies) {
  const { db, clock } = context;

  return {
    /** Everything stored about the signed-in person (GDPR art. 15 and 20), without a single secret. */
    async exportPersonalData(principal: Principal): Promise<PersonalDataExport> {
      const userId = requirePasswordSession(principal, 'export your data');
      const user = await dependencies.users.findUser(userId);
      if (!user) throw new AppError('USER_NOT_FOUND', 'Your account no longer exists.');
      const [memberships, sessions, apiKeys, mfa, identities, messages, tasks, documents, notifications, preferences, auditEntries, chats] =
        await Promise.all([
          dependencies.workspaces.listMembershipsForErasure(userId),
          listSessionsOfPerson(db, userId),
          listApiKeysOfPerson(db, userId),
          dependencies.mfa.describeFactorOf(userId),
          dependencies.oidc.listIdentitiesOf(userId),
          listMessagesByPerson(db, userId),
          listTasksOfPerson(db, userId),
          listDocumentsByPerson(db, userId),
          dependencies.notifications.listNotificationsOfPerson(userId),
          dependencies.notificationPreferences.listPreferencesOfPerson(userId),
          dependencies.audit.listEntriesOfPerson(userId),
          dependencies.agentChat.listChatMessagesOfPerson(userId),
        ]);
      const workspaces = await Promise.all(memberships.map((membership) => dependencies.workspaces.findWorkspace(membership.workspaceId)));
      const archive: PersonalDataExport = {
        formatVersion: personalDataExportFormatVersion,
        exportedAt: clock.now().toISOString(),
        profile: user,
        memberships: memberships.map((membership, index) => ({
          workspace: { id: membership.workspaceId, name: membership.name, slug: workspaces[index]?.slug ?? '' },
          role: membership.role,
          joinedAt: membership.joinedAt,
        })),
        sessions: sessions.map((row) => ({
          id: row.id,
          workspaceId: row.workspace_id,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          revokedAt: row.revoked_at,
        })),
        apiKeys: apiKeys.map((row) => ({
          id: row.id,
          workspaceId: row.workspace_id,
          name: row.name,
          prefix: row.prefix,
          createdAt: row.created_at,
          lastUsedAt: row.last_used_at,
          lastUsedIp: row.last_used_ip,
          expiresAt: row.expires_at,
          revokedAt: row.revoked_at,
        })),
        mfa,
        identities,
        messages: messages.map((row) => ({
          id: row.id,
          workspaceId: row.workspace_id,
          taskId: row.task_id,
          type: row.type,
          content: row.content,
          replyToId: row.reply_to_id,
          createdAt: row.created_at,
        })),
        tasks: tasks.map((row) => ({
          id: row.id,
          workspaceId: row.workspace_id,
          number: row.number,
          title: row.title,
          description: row.description,
          status: row.status,
          priority: row.priority,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          relations: row.relations,
        })),
        documents: documents.map((row) => ({
          id: row.id,
          workspaceId: row.workspace_id,
          taskId: row.task_id,
          title: row.title,
          type: row.type,
          content: row.content,
          version: row.version,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        })),
        notifications: notifications.map((notification) => ({
          id: notification.id,
          workspaceId: notification.workspaceId,
          taskId: notification.taskId,
          reason: notification.reason,
          content: notification.content,
          createdAt: notification.createdAt,
          readAt: notification.readAt,
        })),
        notificationPreferences: preferences,
        auditEntries,
        agentChats: chats.map((chat) => ({
          id: chat.id,
          workspaceId: chat.workspaceId,
          agentId: chat.agentId,
          role: chat.role,
          content: chat.content,
          createdAt: chat.createdAt,
        })),
      };
      // Recorded after the read, so the export does not contain its own entry.
      await dependencies.audit.recordAuditEntry(db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'personal-data.exported',
        targetKind: 'user',
        targetId: userId,
        summary: 'a person exported their personal data',
      });
      return archive;
    },
  };
}
