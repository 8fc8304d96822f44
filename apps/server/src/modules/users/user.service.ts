import type { User } from '@mission-control/contracts';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { countUsers, findUserByEmail, findUserById, findUsersByIds, insertUser, pseudonymiseUserRow, toUser } from './user.repository.js';

export type UserService = ReturnType<typeof createUserService>;

/** The password hash of an account made by single sign-on: not a scrypt hash, so no password signs it in. */
const singleSignOnOnly = 'none:single-sign-on';

/**
 * Accounts: who a person is, whatever workspaces they belong to. Functions that take an executor
 * run in the caller's transaction (on SQLite a transaction holds the only connection).
 */
export function createUserService(context: ServiceContext) {
  const { db, clock } = context;

  return {
    countUsers: (): Promise<number> => countUsers(db),

    async findUser(userId: string, executor: DatabaseExecutor = db): Promise<User | undefined> {
      const row = await findUserById(executor, userId);
      return row && toUser(row);
    },

    /** Emails are matched case-insensitively. */
    async findUserByEmail(email: string, executor: DatabaseExecutor = db): Promise<User | undefined> {
      const row = await findUserByEmail(executor, email);
      return row && toUser(row);
    },

    /** The users among these ids, in no particular order. */
    async findUsers(userIds: readonly string[], executor: DatabaseExecutor = db): Promise<User[]> {
      return (await findUsersByIds(executor, userIds)).map(toUser);
    },

    /** A user with their password hash, for signing in only. */
    async findSignInCredentials(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
      const row = await findUserByEmail(db, email);
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    /**
     * Checks a person's current password before something irreversible (erasure). `no-password`
     * for an account that has none to check (single sign-on only: its hash is not a scrypt hash).
     */
    async checkPassword(userId: string, password: string): Promise<'correct' | 'wrong' | 'no-password'> {
      const row = await findUserById(db, userId);
      if (!row) return 'wrong';
      if (!row.password_hash.startsWith('scrypt$')) return 'no-password';
      return (await verifyPassword(password, row.password_hash)) ? 'correct' : 'wrong';
    },

    /** Whether the account has a password (accounts created by single sign-on may not). */
    async hasPassword(userId: string): Promise<boolean> {
      return Boolean((await findUserById(db, userId))?.password_hash.startsWith('scrypt$'));
    },

    /**
     * Erasure: the email and name become the pseudonym, and the password hash a marker no
     * password matches (not a scrypt hash, so sign-in can never succeed). The id stays, as the
     * pseudonymous author of what the person did. In the caller's transaction.
     */
    async pseudonymiseUser(executor: DatabaseExecutor, userId: string, pseudonym: { email: string; name: string }): Promise<void> {
      await pseudonymiseUserRow(executor, userId, { ...pseudonym, passwordHash: 'erased', at: clock.now().toISOString() });
    },

    /**
     * Creates an account, in the caller's transaction: with a hashed password, or (single sign-on's
     * first sign-in, `password: null`) with a marker no password matches, until the person sets one.
     */
    async createUser(executor: DatabaseExecutor, input: { email: string; name: string; password: string | null }): Promise<User> {
      const now = clock.now().toISOString();
      const row = {
        id: createId(),
        email: input.email,
        name: input.name,
        password_hash: input.password === null ? singleSignOnOnly : await hashPassword(input.password, context.passwordCost),
        created_at: now,
        updated_at: now,
      };
      await insertUser(executor, row);
      return toUser(row);
    },
  };
}
