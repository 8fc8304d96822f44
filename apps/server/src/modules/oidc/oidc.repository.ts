import type { Insertable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { OidcSignInTable, UserIdentityTable } from '../../db/schema.js';

export async function insertOidcSignIn(executor: DatabaseExecutor, row: Insertable<OidcSignInTable>): Promise<void> {
  await executor.insertInto('oidc_sign_ins').values(row).execute();
}

export function findOidcSignInByState(executor: DatabaseExecutor, stateHash: string) {
  return executor.selectFrom('oidc_sign_ins').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
}

export function findOidcSignInByExchangeCode(executor: DatabaseExecutor, codeHash: string) {
  return executor.selectFrom('oidc_sign_ins').selectAll().where('exchange_code_hash', '=', codeHash).executeTakeFirst();
}

/** Marks the callback of a sign-in as come; false when another request came first (a replayed state). */
export async function markOidcCallback(executor: DatabaseExecutor, id: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('oidc_sign_ins')
    .set({ callback_at: at })
    .where('id', '=', id)
    .where('callback_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function completeOidcSignIn(
  executor: DatabaseExecutor,
  id: string,
  values: { user_id: string; workspace_id: string; exchange_code_hash: string; exchange_expires_at: string },
): Promise<void> {
  await executor.updateTable('oidc_sign_ins').set(values).where('id', '=', id).execute();
}

/** Uses the one-time code; false when it was used already. */
export async function markOidcExchanged(executor: DatabaseExecutor, id: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('oidc_sign_ins')
    .set({ exchanged_at: at })
    .where('id', '=', id)
    .where('exchanged_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteOldOidcSignIns(executor: DatabaseExecutor, before: string): Promise<void> {
  await executor.deleteFrom('oidc_sign_ins').where('expires_at', '<', before).execute();
}

export function findUserIdentity(executor: DatabaseExecutor, issuer: string, subject: string) {
  return executor.selectFrom('user_identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
}

export async function insertUserIdentity(executor: DatabaseExecutor, row: Insertable<UserIdentityTable>): Promise<void> {
  await executor.insertInto('user_identities').values(row).execute();
}

/** A person's linked identities, oldest first (their data export). */
export function listUserIdentitiesOf(executor: DatabaseExecutor, userId: string) {
  return executor.selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function deleteUserIdentitiesOf(executor: DatabaseExecutor, userId: string): Promise<void> {
  await executor.deleteFrom('user_identities').where('user_id', '=', userId).execute();
}

export async function touchUserIdentity(executor: DatabaseExecutor, id: string, email: string, at: string): Promise<void> {
  await executor.updateTable('user_identities').set({ email, last_signed_in_at: at }).where('id', '=', id).execute();
}
