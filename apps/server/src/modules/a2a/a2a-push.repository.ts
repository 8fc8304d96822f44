import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { A2aPushConfigTable } from '../../db/schema.js';

export type A2aPushConfigRow = Selectable<A2aPushConfigTable>;

/** Saves a task's push config, replacing the one with the same client id (a client re-registering it). */
export async function upsertA2aPushConfig(executor: DatabaseExecutor, row: Insertable<A2aPushConfigTable>): Promise<void> {
  await executor
    .insertInto('a2a_push_configs')
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(['task_id', 'client_config_id']).doUpdateSet({
        url: row.url,
        sealed_token: row.sealed_token ?? null,
        authentication_scheme: row.authentication_scheme ?? null,
        sealed_credentials: row.sealed_credentials ?? null,
      }),
    )
    .execute();
}

export function findA2aPushConfig(executor: DatabaseExecutor, taskId: string, clientConfigId: string) {
  return executor
    .selectFrom('a2a_push_configs')
    .selectAll()
    .where('task_id', '=', taskId)
    .where('client_config_id', '=', clientConfigId)
    .executeTakeFirst();
}

export function findA2aPushConfigById(executor: DatabaseExecutor, id: string) {
  return executor.selectFrom('a2a_push_configs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listA2aPushConfigs(executor: DatabaseExecutor, taskId: string) {
  return executor.selectFrom('a2a_push_configs').selectAll().where('task_id', '=', taskId).orderBy('created_at').orderBy('id').execute();
}

export async function deleteA2aPushConfig(executor: DatabaseExecutor, taskId: string, clientConfigId: string): Promise<boolean> {
  const result = await executor
    .deleteFrom('a2a_push_configs')
    .where('task_id', '=', taskId)
    .where('client_config_id', '=', clientConfigId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The configs whose cursor is behind the newest event, the furthest behind first. */
export function listA2aPushConfigsBehind(executor: DatabaseExecutor, latestSeq: number, limit: number) {
  return executor
    .selectFrom('a2a_push_configs')
    .selectAll()
    .where('cursor_seq', '<', latestSeq)
    .orderBy('cursor_seq')
    .limit(limit)
    .execute();
}

/** Moves a config's cursor only if it is still where it was read: another instance may have fed it. */
export async function advanceA2aPushCursor(executor: DatabaseExecutor, id: string, from: number, to: number): Promise<boolean> {
  const result = await executor
    .updateTable('a2a_push_configs')
    .set({ cursor_seq: to })
    .where('id', '=', id)
    .where('cursor_seq', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
