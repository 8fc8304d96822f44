import type { User } from '@mission-control/contracts';
import { hashPassword } from '../../auth/password.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { countUsers, findUserByEmail, findUserById, findUsersByIds, insertUser, toUser } from './user.repository.js';

export type UserService = ReturnType<typeof createUserService>;

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

    /** Creates an account with a hashed password, in the caller's transaction. */
    async createUser(executor: DatabaseExecutor, input: { email: string; name: string; password: string }): Promise<User> {
      const now = clock.now().toISOString();
      const row = {
        id: createId(),
        email: input.email,
        name: input.name,
        password_hash: await hashPassword(input.password, context.passwordCost),
        created_at: now,
        updated_at: now,
      };
      await insertUser(executor, row);
      return toUser(row);
    },
  };
}
