import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const signingKeyName = 'access-token-signing-key';

/**
 * The key that signs access tokens: MISSION_SECRET when configured, otherwise one generated on
 * first start and kept in the database, so every instance sharing the database accepts the
 * tokens of every other (a file in one instance's data directory would not be shared).
 */
export async function loadSigningKey(db: Kysely<Database>, configured: string | undefined, now: Date): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  await db
    .insertInto('instance_secrets')
    .values({ name: signingKeyName, value: randomBytes(48).toString('base64url'), created_at: now.toISOString() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('instance_secrets').select('value').where('name', '=', signingKeyName).executeTakeFirstOrThrow();
  return new TextEncoder().encode(row.value);
}
