import type { MfaChallenge, MfaStatus, RecoveryCodes, SessionTokens, TotpEnrolment, VerifyMfaInput } from '@mission-control/contracts';
import type { AuthService } from '../../auth/auth.service.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { generateSecretToken, hashSecretToken } from '../../auth/secrets.js';
import { createId } from '../../core/ids.js';
import { createSecretBox } from '../../core/secret-box.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  advanceTotpTimeStep,
  countFailedMfaAttempt,
  countUnusedRecoveryCodes,
  deleteEndedMfaChallenges,
  deleteRecoveryCodes,
  deleteTotpFactor,
  enableTotpFactor,
  findEnrolledUserIds,
  findMfaChallenge,
  findTotpFactor,
  insertMfaChallenge,
  replaceRecoveryCodes,
  replaceTotpFactor,
  useMfaChallenge,
  useRecoveryCode,
} from './mfa.repository.js';
import { buildOtpauthUri, checkTotpCode, generateRecoveryCodes, generateTotpSecret, normalizeRecoveryCode } from './totp.js';

/** Challenge tokens start like every other secret (`mc_…`), so the log redaction hides them too. */
const challengeTokenPrefix = 'mc_mfa_';
export const mfaChallengeLifetimeMs = 5 * 60 * 1000;
/** Wrong codes a challenge takes before it stops working: 5 guesses in 10^6 per password entry. */
export const mfaChallengeMaxFailures = 5;

export interface MfaServiceOptions {
  /** The instance secret: TOTP secrets are sealed under a key derived from it. */
  instanceSecret: Uint8Array;
  /** The name authenticator apps show above the code. */
  issuer?: string;
}

export interface MfaServiceDependencies {
  users: Pick<UserService, 'findUser'>;
  workspaces: Pick<WorkspaceService, 'listMembershipsOf'>;
  auth: Pick<AuthService, 'startSession' | 'clearMfaEnrolmentOf'>;
  /** Whether the workspace's organisation requires a second factor (then it cannot be turned off). */
  organizations?: () => { requiresSecondFactor(workspaceId: string): Promise<boolean> };
}

export type MfaService = ReturnType<typeof createMfaService>;

export function createMfaService(context: ServiceContext, options: MfaServiceOptions, dependencies: MfaServiceDependencies) {
  const { db, clock } = context;
  const sealed = createSecretBox(options.instanceSecret, 'mfa-totp-secret');
  const issuer = options.issuer ?? 'Mission Control';

  /** Changing MFA needs a person signed in with their password: a leaked API key must not lock them out. */
  function requireSignedInPerson(principal: Principal): string {
    if (principal.kind !== 'user' || principal.sessionId === null) {
      throw new AppError('FORBIDDEN', 'Sign in with your password to change MFA; API keys and agents cannot.');
    }
    return principal.id;
  }

  async function openSecretOf(userId: string) {
    const factor = await findTotpFactor(db, userId);
    if (!factor) return undefined;
    const secret = sealed.open(factor.secret_sealed);
    if (secret === null) {
      throw new AppError('INTERNAL_ERROR', 'The MFA secret cannot be read with this instance secret. Restore MISSION_SECRET or reset MFA.');
    }
    return { factor, secret };
  }

  /** Checks a code and burns its step, or a recovery code and burns it. */
  async function checkProof(userId: string, proof: { code?: string | undefined; recoveryCode?: string | undefined }): Promise<boolean> {
    const now = clock.now();
    if (proof.recoveryCode !== undefined) {
      return useRecoveryCode(db, userId, hashSecretToken(normalizeRecoveryCode(proof.recoveryCode)), now.toISOString());
    }
    if (proof.code === undefined) return false;
    const opened = await openSecretOf(userId);
    if (!opened?.factor.enabled_at) return false;
    const step = await checkTotpCode(opened.secret, proof.code, now, opened.factor.last_time_step);
    return step !== null && (await advanceTotpTimeStep(db, userId, step));
  }

  const invalidCode = () =>
    new AppError('MFA_CODE_INVALID', 'That code is wrong, expired or was used already. Wait for the next code in your app and try again.');

  return {
    async getStatus(principal: Principal): Promise<MfaStatus> {
      if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'MFA is for people; agents sign in with keys.');
      const factor = await findTotpFactor(db, principal.id);
      return {
        totpEnabled: Boolean(factor?.enabled_at),
        totpEnabledAt: factor?.enabled_at ?? null,
        enrolmentPending: Boolean(factor && !factor.enabled_at),
        recoveryCodesRemaining: factor?.enabled_at ? await countUnusedRecoveryCodes(db, principal.id) : 0,
      };
    },

    async beginTotpEnrolment(principal: Principal): Promise<TotpEnrolment> {
      const userId = requireSignedInPerson(principal);
      const user = await dependencies.users.findUser(userId);
      if (!user) throw new AppError('UNAUTHENTICATED', 'Your account no longer exists.');
      const existing = await findTotpFactor(db, userId);
      if (existing?.enabled_at) throw new AppError('MFA_ALREADY_ENABLED', 'MFA is already on. Turn it off first to enrol a new app.');
      const secret = generateTotpSecret();
      await replaceTotpFactor(db, {
        user_id: userId,
        secret_sealed: sealed.seal(secret),
        enabled_at: null,
        last_time_step: null,
        created_at: clock.now().toISOString(),
      });
      return { secret, otpauthUri: buildOtpauthUri(secret, issuer, user.email) };
    },

    async confirmTotpEnrolment(principal: Principal, code: string): Promise<RecoveryCodes> {
      const userId = requireSignedInPerson(principal);
      const opened = await openSecretOf(userId);
      if (!opened)
        throw new AppError('MFA_ENROLMENT_NOT_STARTED', 'Begin with POST /api/v1/auth/mfa/totp, scan the QR code, then confirm.');
      if (opened.factor.enabled_at) throw new AppError('MFA_ALREADY_ENABLED', 'MFA is already on.');
      const now = clock.now();
      const step = await checkTotpCode(opened.secret, code, now, null);
      if (step === null) throw invalidCode();
      const recoveryCodes = generateRecoveryCodes();
      await db.transaction().execute(async (trx) => {
        if (!(await enableTotpFactor(trx, userId, now.toISOString(), step))) {
          throw new AppError('MFA_ALREADY_ENABLED', 'MFA was turned on by another request.');
        }
        await replaceRecoveryCodes(
          trx,
          userId,
          recoveryCodes.map((recoveryCode) => ({
            id: createId(),
            user_id: userId,
            code_hash: hashSecretToken(normalizeRecoveryCode(recoveryCode)),
            created_at: now.toISOString(),
            used_at: null,
          })),
        );
        await dependencies.auth.clearMfaEnrolmentOf(trx, userId);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'mfa-enabled',
          actor: toPrincipalReference(principal),
          summary: 'a member turned on MFA',
          data: { userId, method: 'totp' },
          at: now,
        });
      });
      return { recoveryCodes };
    },

    async disableTotp(principal: Principal, proof: { code?: string | undefined; recoveryCode?: string | undefined }): Promise<void> {
      const userId = requireSignedInPerson(principal);
      const factor = await findTotpFactor(db, userId);
      if (!factor?.enabled_at) throw new AppError('MFA_NOT_ENABLED', 'MFA is not on for your account.');
      if (await dependencies.organizations?.().requiresSecondFactor(principal.workspaceId)) {
        throw new AppError(
          'FORBIDDEN',
          'Your organisation requires a second factor, so yours cannot be turned off. Ask an owner if it must.',
        );
      }
      if (!(await checkProof(userId, proof))) throw invalidCode();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await deleteTotpFactor(trx, userId);
        await deleteRecoveryCodes(trx, userId);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'mfa-disabled',
          actor: toPrincipalReference(principal),
          summary: 'a member turned off MFA',
          data: { userId, method: 'totp' },
          at: now,
        });
      });
    },

    /** Whether sign-in must ask this person for a second factor. */
    /** Whether a person has MFA, for their own data export: never the secret or the codes. */
    async describeFactorOf(userId: string): Promise<{ totpEnrolled: boolean; enabledAt: string | null; recoveryCodesRemaining: number }> {
      const factor = await findTotpFactor(db, userId);
      return {
        totpEnrolled: Boolean(factor?.enabled_at),
        enabledAt: factor?.enabled_at ?? null,
        recoveryCodesRemaining: factor?.enabled_at ? await countUnusedRecoveryCodes(db, userId) : 0,
      };
    },

    /** Erasure: deletes the person's factor and recovery codes, in the caller's transaction. */
    async deleteFactorsOf(executor: DatabaseExecutor, userId: string): Promise<void> {
      await deleteTotpFactor(executor, userId);
      await deleteRecoveryCodes(executor, userId);
    },

    /** Which of these people have a second factor turned on. */
    async findEnrolledUserIds(userIds: readonly string[], executor: DatabaseExecutor = db): Promise<Set<string>> {
      return new Set(await findEnrolledUserIds(executor, userIds));
    },

    async isMfaRequired(userId: string): Promise<boolean> {
      const factor = await findTotpFactor(db, userId);
      return Boolean(factor?.enabled_at);
    },

    /** After a correct password: a short-lived challenge to finish with a code, instead of tokens. */
    async createChallenge(member: { userId: string; workspaceId: string }): Promise<MfaChallenge> {
      const now = clock.now();
      const challengeToken = generateSecretToken(challengeTokenPrefix);
      const expiresAt = new Date(now.getTime() + mfaChallengeLifetimeMs);
      await deleteEndedMfaChallenges(db, new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString());
      await insertMfaChallenge(db, {
        id: createId(),
        user_id: member.userId,
        workspace_id: member.workspaceId,
        token_hash: hashSecretToken(challengeToken),
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        used_at: null,
      });
      return { mfaRequired: true, challengeToken, challengeExpiresAt: expiresAt.toISOString() };
    },

    /** Finishes a sign-in: the challenge and one code (or recovery code) give the token pair. */
    async verifyChallenge(input: VerifyMfaInput): Promise<SessionTokens> {
      const now = clock.now();
      const challenge = await findMfaChallenge(db, hashSecretToken(input.challengeToken));
      if (
        !challenge ||
        challenge.used_at !== null ||
        challenge.expires_at <= now.toISOString() ||
        challenge.failed_attempts >= mfaChallengeMaxFailures
      ) {
        throw new AppError(
          'MFA_CHALLENGE_INVALID',
          'This sign-in has expired, was finished already, or had too many wrong codes. Sign in again with your password.',
        );
      }
      if (!(await checkProof(challenge.user_id, input))) {
        await countFailedMfaAttempt(db, challenge.id);
        throw invalidCode();
      }
      if (!(await useMfaChallenge(db, challenge.id, now.toISOString()))) {
        throw new AppError('MFA_CHALLENGE_INVALID', 'This sign-in was finished by another request. Sign in again with your password.');
      }
      if (input.recoveryCode !== undefined) {
        const remaining = await countUnusedRecoveryCodes(db, challenge.user_id);
        await db.transaction().execute(async (trx) => {
          await appendEvent(trx, {
            workspaceId: challenge.workspace_id,
            type: 'mfa-recovery-code-used',
            actor: { kind: 'user', id: challenge.user_id },
            summary: 'a member signed in with a recovery code',
            data: { userId: challenge.user_id, remaining },
            at: now,
          });
        });
      }
      const membership = (await dependencies.workspaces.listMembershipsOf(challenge.user_id)).find(
        (candidate) => candidate.workspace.id === challenge.workspace_id,
      );
      if (!membership) throw new AppError('UNAUTHENTICATED', 'You are no longer a member of this workspace. Sign in again.');
      return dependencies.auth.startSession({ userId: challenge.user_id, workspaceId: challenge.workspace_id, role: membership.role });
    },
  };
}
