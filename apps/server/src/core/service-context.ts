import type { Kysely } from 'kysely';
import type { Engine } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { Clock } from './clock.js';

/** What every service is built from; only main.ts (and the test harness) builds one. */
export interface ServiceContext {
  db: Kysely<Database>;
  engine: Engine;
  clock: Clock;
  /** scrypt cost for new password hashes; tests lower it, production keeps the default. */
  passwordCost?: number;
}
