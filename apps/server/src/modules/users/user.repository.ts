import type { User } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { UserTable } from '../../db/schema.js';

export type UserRow = Selectable<UserTable>;

export function findUserByEmail(executor: DatabaseExecutor, email: string) {
  return executor.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserById(executor: DatabaseExecutor, userId: string) {
  return executor.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export function findUsersByIds(executor: DatabaseExecutor, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('users').selectAll().where('id', 'in', userIds).execute();
}

export async function insertUser(executor: DatabaseExecutor, row: Insertable<UserTable>): Promise<void> {
  await executor.insertInto('users').values(row).execute();
}

/** Replaces who the account is with a pseudonym and a password hash nothing matches (erasure). */
export async function pseudonymiseUserRow(
  executor: DatabaseExecutor,
  userId: string,
  change: { email: string; name: string; passwordHash: string; at: string },
): Promise<void> {
  await executor
    .updateTable('users')
    .set({ email: change.email, name: change.name, password_hash: change.passwordHash, updated_at: change.at })
    .where('id', '=', userId)
    .execute();
}

export function countUsers(executor: DatabaseExecutor) {
  return executor
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.count));
}

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at };
}
