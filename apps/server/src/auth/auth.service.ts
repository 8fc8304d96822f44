import type {
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  LoginAnswer,
  LoginRequest,
  Me,
  PrincipalReference,
  RotateApiKeyInput,
  RotatedApiKey,
  SessionEndReason,
  SessionTokens,
  WorkspaceRole,
} from '@mission-control/contracts';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { createId } from '../core/ids.js';
import type { ServiceContext } from '../core/service-context.js';
import type { DatabaseExecutor } from '../db/database.js';
import { appendEvent } from '../events/event.repository.js';
import { AppError } from '../http/app-error.js';
import type { AgentService } from '../modules/agents/agent.service.js';
import type { AuditService } from '../modules/audit/audit.service.js';
import type { RequestOrigin } from '../modules/audit/audit-origin.js';
import type { MfaService } from '../modules/mfa/mfa.service.js';
import type { OrganizationService } from '../modules/organizations/organization.service.js';
import type { UserService } from '../modules/users/user.service.js';
import type { WorkspaceService } from '../modules/workspaces/workspace.service.js';
import type { AccessTokenSigner } from './access-token.js';
import { type ApiKeyOwner, ApiKeyService } from './api-key.service.js';
import {
  clearMfaEnrolmentOfUser,
  endSessionsOfUser,
  findActiveSessionRole,
  findApiKeyWithOwner,
  findRefreshTokenUsedAt,
  findRefreshTokenWithSession,
  insertRefreshToken,
  insertSession,
  markRefreshTokenUsed,
  markSessionsForMfaEnrolment,
  revokeApiKeysOfOwner,
  revokeSession,
} from './auth.repository.js';
import { createCredentialAuthentication } from './credential-authentication.js';
import { verifyAgainstDummyPassword, verifyPassword } from './password.js';
import { type Principal, toPrincipalReference } from './principal.js';
import { apiKeyPrefix, deriveSecretToken, generateSecretToken, hashSecretToken } from './secrets.js';

export { apiKeyPrefix };

const refreshTokenPrefix = 'mcr_';
/**
 * A refresh token presented again this soon after its first use gets the same answer: clients
 * that refresh from several tabs or retry a lost answer are not mistaken for a thief.
 */
export const refreshReuseGraceMs = 10_000;
const refreshSuccessorPurpose = 'mission-control refresh token successor';
/** Only the expiry of an access token that was already verified is read here. */
const accessTokenExpirySchema = z.object({ exp: z.number() });

export interface AuthServiceOptions {
  signer: AccessTokenSigner;
  refreshTokenTtlSeconds: number;
  /** The instance secret: the token that succeeds a refresh token is derived from it (never stored). */
  refreshTokenKey: Uint8Array;
}

/**
 * The workspaces and agents services revoke keys and end sessions through this one, so they are
 * built after it: auth reaches them through getters, resolved when a request needs them.
 */
export interface AuthServiceDependencies {
  users: Pick<UserService, 'findUser' | 'findSignInCredentials'>;
  workspaces: () => Pick<WorkspaceService, 'listMembershipsOf' | 'findWorkspace'>;
  agents: () => Pick<AgentService, 'findLiveAgent'>;
  /** Sign-ins, failed sign-ins and keys are recorded in the audit log. */
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** Sign-in asks for a second factor when the person turned one on (built after auth, like the others). */
  mfa?: () => Pick<MfaService, 'isMfaRequired' | 'createChallenge'>;
  /** The organisation's sign-in rules: password sign-in turned off, a second factor required. */
  organizations?: () => Pick<OrganizationService, 'assertPasswordSignInAllowed' | 'requiresMfaEnrolment'>;
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(context: ServiceContext, options: AuthServiceOptions, dependencies: AuthServiceDependencies) {
  const { db, clock } = context;
  const { signer } = options;
  const { users } = dependencies;
  const apiKeys = new ApiKeyService(context, { instanceSecret: options.refreshTokenKey }, { audit: dependencies.audit });
  const credentials = createCredentialAuthentication({ db, clock, signer, openSigningKey: (sealed) => apiKeys.openSigningKey(sealed) });

  function refreshExpiry(issuedAt: Date): Date {
    return new Date(issuedAt.getTime() + options.refreshTokenTtlSeconds * 1000);
  }

  /**
   * The refresh token that succeeds another: derived from it with the instance secret, so a
   * refresh answered again within the grace window gives the same token without it being stored.
   */
  function successorOf(refreshToken: string): string {
    return deriveSecretToken(refreshTokenPrefix, options.refreshTokenKey, refreshSuccessorPurpose, refreshToken);
  }

  /** Whether a new session must enrol a second factor first (its organisation requires one, they have none). */
  async function requiresMfaEnrolment(workspaceId: string, userId: string): Promise<boolean> {
    return (await dependencies.organizations?.().requiresMfaEnrolment(workspaceId, userId)) ?? false;
  }

  /** A new session's first pair: a random refresh token, stored by its hash. */
  async function issueTokens(userId: string, workspaceId: string, sessionId: string, role: WorkspaceRole): Promise<SessionTokens> {
    const now = clock.now();
    const refreshToken = generateSecretToken(refreshTokenPrefix);
    await insertRefreshToken(db, {
      id: createId(),
      session_id: sessionId,
      token_hash: hashSecretToken(refreshToken),
      created_at: now.toISOString(),
      expires_at: refreshExpiry(now).toISOString(),
      used_at: null,
    });
    return answerTokens({ userId, workspaceId, sessionId, role }, refreshToken, now);
  }

  /**
   * The answer for a refresh token issued at `issuedAt`, with an access token signed as of then:
   * signing is deterministic (HS256, the same claims), so the same inputs answer the same pair.
   */
  async function answerTokens(
    session: { userId: string; workspaceId: string; sessionId: string; role: WorkspaceRole },
    refreshToken: string,
    issuedAt: Date,
  ): Promise<SessionTokens> {
    const { userId, workspaceId, sessionId, role } = session;
    const refreshExpiresAt = refreshExpiry(issuedAt);
    const access = await signer.sign({ userId, workspaceId, sessionId }, issuedAt);
    const user = await users.findUser(userId);
    const membership = (await dependencies.workspaces().listMembershipsOf(userId)).find(
      (candidate) => candidate.workspace.id === workspaceId,
    );
    if (!user || !membership) throw new AppError('UNAUTHENTICATED', 'Your account or membership no longer exists.');
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
      tokenType: 'Bearer',
      user,
      workspace: membership.workspace,
      role,
    };
  }

  /**
   * Ends a session and appends `session-ended` in the same transaction, so every instance's
   * streams see it and close the session's sockets, MCP sessions and chat answers.
   */
  async function endSessionAnnounced(
    session: { sessionId: string; userId: string; workspaceId: string },
    reason: SessionEndReason,
    actor: PrincipalReference | null,
  ): Promise<void> {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await revokeSession(trx, session.sessionId, now.toISOString());
      await appendEvent(trx, {
        workspaceId: session.workspaceId,
        type: 'session-ended',
        actor,
        summary: reason === 'signed-out' ? 'a member signed out' : 'a session was ended after its refresh token was reused',
        data: { sessionId: session.sessionId, userId: session.userId, reason },
        at: now,
      });
    });
  }

  return {
    /** Resolves a Bearer credential: an API key (`mc_…`) or an access token (from memory for up to a second). */
    authenticate: credentials.authenticate,
    /** The principals resolved in the last second; app.ts has the event tailer keep it current. */
    principals: credentials.principals,

    async login(request: LoginRequest, origin?: RequestOrigin): Promise<LoginAnswer> {
      const invalid = () => new AppError('INVALID_CREDENTIALS', 'Wrong email or password.');
      const credentials = await users.findSignInCredentials(request.email);
      if (!credentials) {
        await verifyAgainstDummyPassword(request.password);
        throw invalid();
      }
      const { user } = credentials;
      const memberships = await dependencies.workspaces().listMembershipsOf(user.id);
      if (!(await verifyPassword(request.password, credentials.passwordHash))) {
        // Recorded where the account would have signed in; an unknown email has no workspace to record it in.
        const target = memberships.find((candidate) => candidate.workspace.id === request.workspaceId) ?? memberships[0];
        if (target) {
          await dependencies.audit.recordAuditEntry(db, {
            workspaceId: target.workspace.id,
            actor: null,
            action: 'auth.sign-in-failed',
            targetKind: 'user',
            targetId: user.id,
            summary: `failed sign-in to ${user.email} (wrong password)`,
            ...(origin ? { origin } : {}),
          });
        }
        throw invalid();
      }
      const membership = request.workspaceId
        ? memberships.find((candidate) => candidate.workspace.id === request.workspaceId)
        : memberships[0];
      if (!membership) {
        throw new AppError(
          'WORKSPACE_NOT_FOUND',
          request.workspaceId
            ? 'You are not a member of that workspace. Sign in without workspaceId to use your default one.'
            : 'Your account belongs to no workspace. Ask a workspace owner for an invitation link and accept it.',
        );
      }
      await dependencies.organizations?.().assertPasswordSignInAllowed(membership.workspace.id);
      const mfa = dependencies.mfa?.();
      if (mfa && (await mfa.isMfaRequired(user.id))) {
        return mfa.createChallenge({ userId: user.id, workspaceId: membership.workspace.id });
      }
      const now = clock.now();
      const sessionId = createId();
      const mfaEnrolmentRequired = await requiresMfaEnrolment(membership.workspace.id, user.id);
      await db.transaction().execute(async (trx) => {
        await insertSession(trx, {
          id: sessionId,
          user_id: user.id,
          workspace_id: membership.workspace.id,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + options.refreshTokenTtlSeconds * 1000).toISOString(),
          revoked_at: null,
          mfa_enrolment_required: mfaEnrolmentRequired ? 1 : 0,
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: membership.workspace.id,
          actor: { kind: 'user', id: user.id, workspaceId: membership.workspace.id, role: membership.role, sessionId },
          action: 'auth.signed-in',
          targetKind: 'user',
          targetId: user.id,
          summary: `${user.email} signed in`,
          ...(origin ? { origin } : {}),
        });
      });
      return issueTokens(user.id, membership.workspace.id, sessionId, membership.role);
    },

    /**
     * Trades a refresh token for a new pair. Each refresh token works once, but the same token
     * presented again within refreshReuseGraceMs of its first use (concurrent refreshes, a retry)
     * answers the same new pair. Later, a used token means it was stolen or replayed, so the whole
     * session (every token of the family) is revoked.
     */
    async refresh(refreshToken: string): Promise<SessionTokens> {
      const now = clock.now();
      const nowText = now.toISOString();
      const found = await findRefreshTokenWithSession(db, hashSecretToken(refreshToken));
      if (!found) throw new AppError('TOKEN_INVALID', 'This refresh token is not valid. Sign in again.');
      if (found.revoked_at || found.session_expires_at <= nowText || found.token_expires_at <= nowText) {
        throw new AppError('TOKEN_INVALID', 'This session has ended. Sign in again.');
      }
      const successor = successorOf(refreshToken);
      let usedAt = found.used_at;
      if (usedAt === null) {
        // Marked used and succeeded in one transaction: whoever sees it used also finds its successor.
        const won = await db.transaction().execute(async (trx) => {
          if (!(await markRefreshTokenUsed(trx, found.token_id, nowText))) return false;
          await insertRefreshToken(trx, {
            id: createId(),
            session_id: found.session_id,
            token_hash: hashSecretToken(successor),
            created_at: nowText,
            expires_at: refreshExpiry(now).toISOString(),
            used_at: null,
          });
          return true;
        });
        usedAt = won ? nowText : await findRefreshTokenUsedAt(db, found.token_id);
      }
      if (usedAt === null || now.getTime() - Date.parse(usedAt) > refreshReuseGraceMs) {
        await endSessionAnnounced(
          { sessionId: found.session_id, userId: found.user_id, workspaceId: found.workspace_id },
          'refresh-token-reused',
          null,
        );
        throw new AppError(
          'REFRESH_TOKEN_REUSED',
          'This refresh token was already used, so the session was ended to protect your account. Sign in again.',
        );
      }
      const role = await findActiveSessionRole(db, found.session_id, found.user_id, found.workspace_id);
      if (!role) throw new AppError('TOKEN_INVALID', 'You are no longer a member of this workspace. Sign in again.');
      const session = { userId: found.user_id, workspaceId: found.workspace_id, sessionId: found.session_id, role: role.role };
      return answerTokens(session, successor, new Date(usedAt));
    },

    /** Ends the caller's session, and the one a refresh token belongs to if given. */
    async logout(principal: Principal, refreshToken?: string): Promise<void> {
      const actor = toPrincipalReference(principal);
      if (principal.sessionId) {
        const session = { sessionId: principal.sessionId, userId: principal.id, workspaceId: principal.workspaceId };
        await endSessionAnnounced(session, 'signed-out', actor);
      }
      if (refreshToken) {
        const found = await findRefreshTokenWithSession(db, hashSecretToken(refreshToken));
        if (found && found.user_id === principal.id && !found.revoked_at && found.session_id !== principal.sessionId) {
          await endSessionAnnounced(
            { sessionId: found.session_id, userId: found.user_id, workspaceId: found.workspace_id },
            'signed-out',
            actor,
          );
        }
      }
    },

    async describe(principal: Principal): Promise<Me> {
      if (principal.kind === 'user') {
        const memberships = await dependencies.workspaces().listMembershipsOf(principal.id);
        const user = await users.findUser(principal.id);
        const current = memberships.find((membership) => membership.workspace.id === principal.workspaceId);
        if (!user || !current) throw new AppError('UNAUTHENTICATED', 'Your account or membership no longer exists.');
        const customRole = principal.customRole
          ? { id: principal.customRole.id, name: principal.customRole.name, permissions: [...principal.customRole.permissions] }
          : null;
        return { kind: 'user', user, workspace: current.workspace, role: principal.role, customRole, workspaces: memberships };
      }
      const agent = await dependencies.agents().findLiveAgent(principal.workspaceId, principal.id);
      const workspace = agent && (await dependencies.workspaces().findWorkspace(agent.workspaceId));
      if (!agent || !workspace) throw new AppError('UNAUTHENTICATED', 'The agent this key belongs to no longer exists.');
      return { kind: 'agent', agent: { id: agent.id, name: agent.name, sessionKey: agent.sessionKey }, workspace };
    },

    /** Revokes every live API key of an owner (an agent being deleted), in the caller's transaction. */
    async revokeKeysOf(executor: DatabaseExecutor, owner: PrincipalReference, at: string): Promise<void> {
      await revokeApiKeysOfOwner(executor, owner.kind, owner.id, at);
    },

    /**
     * Signs in a user who proved who they are without this service (they just accepted an
     * invitation link with it), to a workspace they are a member of: a session like login's.
     */
    async startSession(
      member: { userId: string; workspaceId: string; role: WorkspaceRole },
      how: 'second-factor' | 'invitation' = 'second-factor',
    ): Promise<SessionTokens> {
      const now = clock.now();
      const sessionId = createId();
      const mfaEnrolmentRequired = await requiresMfaEnrolment(member.workspaceId, member.userId);
      // A sign-in finished by a second factor or an accepted invitation is as much a sign-in as
      // a password one, so it is audited the same way.
      await db.transaction().execute(async (trx) => {
        await insertSession(trx, {
          id: sessionId,
          user_id: member.userId,
          workspace_id: member.workspaceId,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + options.refreshTokenTtlSeconds * 1000).toISOString(),
          revoked_at: null,
          mfa_enrolment_required: mfaEnrolmentRequired ? 1 : 0,
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: member.workspaceId,
          actor: { kind: 'user', id: member.userId, workspaceId: member.workspaceId, role: member.role, sessionId },
          action: 'auth.signed-in',
          targetKind: 'user',
          targetId: member.userId,
          summary: how === 'invitation' ? 'signed in by accepting an invitation' : 'signed in with a second factor',
        });
      });
      return issueTokens(member.userId, member.workspaceId, sessionId, member.role);
    },

    /** Marks or unmarks the live sessions of these workspaces as needing a second factor first (an organisation's rule changed). */
    async requireMfaEnrolmentOfSessions(
      executor: DatabaseExecutor,
      change: { workspaceIds: readonly string[]; required: boolean; exemptUserIds: ReadonlySet<string> },
    ): Promise<void> {
      await markSessionsForMfaEnrolment(executor, { ...change, exemptUserIds: [...change.exemptUserIds] });
    },

    /** A person enrolled a second factor: none of their sessions waits for one any more. */
    async clearMfaEnrolmentOf(executor: DatabaseExecutor, userId: string): Promise<void> {
      await clearMfaEnrolmentOfUser(executor, userId);
    },

    /** Ends a user's live sessions in one workspace (they left it), in the caller's transaction. */
    async endSessionsOf(executor: DatabaseExecutor, member: { userId: string; workspaceId: string }, at: string): Promise<void> {
      await endSessionsOfUser(executor, member.userId, member.workspaceId, at);
    },

    /** Creates an API key for an agent or a user. The secret is in the answer and nowhere else. */
    createApiKey: (principal: Principal, owner: ApiKeyOwner, input: CreateApiKeyInput): Promise<CreatedApiKey> =>
      apiKeys.createApiKey(principal, owner, input),
    listApiKeys: (principal: Principal, owner: Omit<ApiKeyOwner, 'label'>): Promise<ApiKey[]> => apiKeys.listApiKeys(principal, owner),
    revokeApiKey: (principal: Principal, owner: ApiKeyOwner, keyId: string): Promise<ApiKey> =>
      apiKeys.revokeApiKey(principal, owner, keyId),
    /** Replaces a key with a new one of the same settings; the old one works for the grace period. */
    rotateApiKey: (principal: Principal, owner: ApiKeyOwner, keyId: string, input: RotateApiKeyInput): Promise<RotatedApiKey> =>
      apiKeys.rotateApiKey(principal, owner, keyId, input),
    /** The keys' housekeeping: rotated keys past their grace, request signatures past the tolerance. */
    apiKeys,

    /**
     * When a credential that authenticated stops working by itself: an access token's `exp`, an
     * API key's expiry; null when it never does. Open streams are closed at that moment.
     */
    async findCredentialExpiry(credential: string): Promise<Date | null> {
      if (credential.startsWith(apiKeyPrefix)) {
        const key = await findApiKeyWithOwner(db, hashSecretToken(credential));
        return key?.expires_at ? new Date(key.expires_at) : null;
      }
      const expiry = accessTokenExpirySchema.safeParse(decodeJwt(credential));
      return expiry.success ? new Date(expiry.data.exp * 1000) : null;
    },
  };
}
