import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { RetentionSettingsTable } from '../../db/schema.js';

export type RetentionSettingsRow = Selectable<RetentionSettingsTable>;

export function findRetentionSettings(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('retention_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

/** Stores the days of a workspace; its feed watermarks stay as they are. */
export async function upsertRetentionDays(
  executor: DatabaseExecutor,
  row: Pick<Insertable<RetentionSettingsTable>, 'workspace_id' | 'messages_days' | 'runs_days' | 'updated_at'>,
): Promise<void> {
  await executor
    .insertInto('retention_settings')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .column('workspace_id')
        .doUpdateSet({ messages_days: row.messages_days ?? null, runs_days: row.runs_days ?? null, updated_at: row.updated_at }),
    )
    .execute();
}

/** The workspaces that keep something for a limited time: the only ones the purge visits. */
export function listRetentionSettingsInUse(executor: DatabaseExecutor) {
  return executor
    .selectFrom('retention_settings')
    .selectAll()
    .where((eb) => eb.or([eb('messages_days', 'is not', null), eb('runs_days', 'is not', null)]))
    .orderBy('workspace_id')
    .execute();
}

export type FeedWatermark = 'messages_feed_redacted_before' | 'runs_feed_redacted_before';

/** Moves a feed watermark forward (never back: a second instance may have gone further). */
export async function advanceFeedWatermark(
  executor: DatabaseExecutor,
  workspaceId: string,
  column: FeedWatermark,
  to: string,
): Promise<void> {
  await executor
    .updateTable('retention_settings')
    .set({ [column]: to })
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<', to)]))
    .execute();
}
