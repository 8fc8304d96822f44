import type { Insertable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { MfaChallengeTable, MfaRecoveryCodeTable, MfaTotpFactorTable } from '../../db/schema.js';

export function findTotpFactor(executor: DatabaseExecutor, userId: string) {
  return executor.selectFrom('mfa_totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Which of these people have a confirmed factor. */
export async function findEnrolledUserIds(executor: DatabaseExecutor, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await executor
    .selectFrom('mfa_totp_factors')
    .select('user_id')
    .where('user_id', 'in', userIds)
    .where('enabled_at', 'is not', null)
    .execute();
  return rows.map((row) => row.user_id);
}

/** Replaces any factor of the user (a new enrolment discards an unconfirmed one). */
export async function replaceTotpFactor(executor: DatabaseExecutor, row: Insertable<MfaTotpFactorTable>): Promise<void> {
  await executor.deleteFrom('mfa_totp_factors').where('user_id', '=', row.user_id).execute();
  await executor.insertInto('mfa_totp_factors').values(row).execute();
}

/** Turns a pending factor on; false when it was not pending any more. */
export async function enableTotpFactor(executor: DatabaseExecutor, userId: string, at: string, timeStep: number): Promise<boolean> {
  const result = await executor
    .updateTable('mfa_totp_factors')
    .set({ enabled_at: at, last_time_step: timeStep })
    .where('user_id', '=', userId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records the step of an accepted code, only if it is later than the last one: two requests with
 * the same code cannot both pass, whichever instance they reach.
 */
export async function advanceTotpTimeStep(executor: DatabaseExecutor, userId: string, timeStep: number): Promise<boolean> {
  const result = await executor
    .updateTable('mfa_totp_factors')
    .set({ last_time_step: timeStep })
    .where('user_id', '=', userId)
    .where((where) => where.or([where('last_time_step', 'is', null), where('last_time_step', '<', timeStep)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteTotpFactor(executor: DatabaseExecutor, userId: string): Promise<void> {
  await executor.deleteFrom('mfa_totp_factors').where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(
  executor: DatabaseExecutor,
  userId: string,
  rows: readonly Insertable<MfaRecoveryCodeTable>[],
): Promise<void> {
  await executor.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length > 0)
    await executor
      .insertInto('mfa_recovery_codes')
      .values([...rows])
      .execute();
}

export async function deleteRecoveryCodes(executor: DatabaseExecutor, userId: string): Promise<void> {
  await executor.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
}

/** Uses one recovery code; false when it is not the user's or was used already. */
export async function useRecoveryCode(executor: DatabaseExecutor, userId: string, codeHash: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('mfa_recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countUnusedRecoveryCodes(executor: DatabaseExecutor, userId: string): Promise<number> {
  const row = await executor
    .selectFrom('mfa_recovery_codes')
    .select((select) => select.fn.countAll<number | string>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertMfaChallenge(executor: DatabaseExecutor, row: Insertable<MfaChallengeTable>): Promise<void> {
  await executor.insertInto('mfa_challenges').values(row).execute();
}

export function findMfaChallenge(executor: DatabaseExecutor, tokenHash: string) {
  return executor.selectFrom('mfa_challenges').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Counts a wrong code against a challenge that is still open. */
export async function countFailedMfaAttempt(executor: DatabaseExecutor, challengeId: string): Promise<void> {
  await executor
    .updateTable('mfa_challenges')
    .set((set) => ({ failed_attempts: set('failed_attempts', '+', 1) }))
    .where('id', '=', challengeId)
    .execute();
}

/** Uses a challenge once; false when another request used it first. */
export async function useMfaChallenge(executor: DatabaseExecutor, challengeId: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('mfa_challenges')
    .set({ used_at: at })
    .where('id', '=', challengeId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Challenges are short-lived: those that ended a day ago are deleted when a new one is made. */
export async function deleteEndedMfaChallenges(executor: DatabaseExecutor, before: string): Promise<void> {
  await executor.deleteFrom('mfa_challenges').where('expires_at', '<', before).execute();
}
