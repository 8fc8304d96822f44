import type { DatabaseExecutor } from '../db/database.js';

/** Where a consumer of the event stream stands; undefined before it was ever set. */
export async function findEventCursor(executor: DatabaseExecutor, name: string): Promise<number | undefined> {
  const row = await executor.selectFrom('event_cursors').select('seq').where('name', '=', name).executeTakeFirst();
  return row ? Number(row.seq) : undefined;
}

export async function insertEventCursor(executor: DatabaseExecutor, name: string, seq: number, at: string): Promise<void> {
  await executor
    .insertInto('event_cursors')
    .values({ name, seq, updated_at: at })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
}

/** Moves a cursor only from where it was read; false when another instance moved it first. */
export async function advanceEventCursor(executor: DatabaseExecutor, name: string, from: number, to: number, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('event_cursors')
    .set({ seq: to, updated_at: at })
    .where('name', '=', name)
    .where('seq', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
