import {
  digestSettingsSchema,
  type ExternalNotificationChannel,
  notificationKindPreferenceSchema,
  notificationKindSchema,
  type PrincipalKind,
  type PrincipalReference,
  quietHoursSchema,
} from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import type { NotificationChannelTable, NotificationDigestItemTable, NotificationPreferenceTable } from '../../db/schema.js';

export type NotificationPreferenceRow = Selectable<NotificationPreferenceTable>;
export type NotificationChannelRow = Selectable<NotificationChannelTable>;
export type NotificationDigestItemRow = Selectable<NotificationDigestItemTable>;

/** The settings column: what a recipient changed, the rest falls back to defaults. */
export const storedPreferenceSettingsSchema = z.object({
  timeZone: z.string().default('UTC'),
  quietHours: quietHoursSchema.nullable().default(null),
  digest: digestSettingsSchema.default({ mode: 'off' }),
  kinds: z.partialRecord(notificationKindSchema, notificationKindPreferenceSchema).default({}),
});
export type StoredPreferenceSettings = z.output<typeof storedPreferenceSettingsSchema>;

export function readPreferenceSettings(row: NotificationPreferenceRow | undefined): StoredPreferenceSettings {
  if (!row) return storedPreferenceSettingsSchema.parse({});
  return parseJsonColumn(storedPreferenceSettingsSchema, row.settings, 'notification_preferences.settings');
}

export function findPreferences(executor: DatabaseExecutor, workspaceId: string, recipientKind: PrincipalKind, recipientId: string) {
  return executor
    .selectFrom('notification_preferences')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('recipient_kind', '=', recipientKind)
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
}

/** The stored preferences of several recipients of one workspace (those with none are left out). */
export function findPreferencesOf(executor: DatabaseExecutor, workspaceId: string, recipients: readonly PrincipalReference[]) {
  if (recipients.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('notification_preferences')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(
      'recipient_id',
      'in',
      recipients.map((recipient) => recipient.id),
    )
    .execute();
}

/** Every notification preference row of a person, in every workspace (their data export). */
export function listPreferencesOfPerson(executor: DatabaseExecutor, userId: string) {
  return executor
    .selectFrom('notification_preferences')
    .selectAll()
    .where('recipient_kind', '=', 'user')
    .where('recipient_id', '=', userId)
    .orderBy('workspace_id')
    .execute();
}

/** Erasure: a person's preferences and pending digest items, in one workspace or every one (null). */
export async function deletePreferencesOfPerson(executor: DatabaseExecutor, userId: string, workspaceId: string | null): Promise<void> {
  let preferences = executor.deleteFrom('notification_preferences').where('recipient_kind', '=', 'user').where('recipient_id', '=', userId);
  let digestItems = executor
    .deleteFrom('notification_digest_items')
    .where('recipient_kind', '=', 'user')
    .where('recipient_id', '=', userId);
  if (workspaceId) {
    preferences = preferences.where('workspace_id', '=', workspaceId);
    digestItems = digestItems.where('workspace_id', '=', workspaceId);
  }
  await preferences.execute();
  await digestItems.execute();
}

export async function upsertPreferences(executor: DatabaseExecutor, row: Insertable<NotificationPreferenceTable>): Promise<void> {
  await executor
    .insertInto('notification_preferences')
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(['workspace_id', 'recipient_kind', 'recipient_id']).doUpdateSet({
        settings: row.settings,
        email_address: row.email_address ?? null,
        slack_webhook_url: row.slack_webhook_url ?? null,
        discord_webhook_url: row.discord_webhook_url ?? null,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export function findWorkspaceChannels(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('notification_channels').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function upsertWorkspaceChannels(executor: DatabaseExecutor, row: Insertable<NotificationChannelTable>): Promise<void> {
  await executor
    .insertInto('notification_channels')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('workspace_id').doUpdateSet({
        slack_webhook_url: row.slack_webhook_url ?? null,
        discord_webhook_url: row.discord_webhook_url ?? null,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function insertDigestItems(executor: DatabaseExecutor, rows: Insertable<NotificationDigestItemTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await executor.insertInto('notification_digest_items').values(rows).execute();
}

/** The send time of the batch a recipient has waiting on a channel (due or not: a due one goes out this tick), if any. */
export async function findOpenDigestBatch(
  executor: DatabaseExecutor,
  workspaceId: string,
  recipient: PrincipalReference,
  channel: ExternalNotificationChannel,
): Promise<string | undefined> {
  const row = await executor
    .selectFrom('notification_digest_items')
    .select((eb) => eb.fn.min('send_after').as('send_after'))
    .where('workspace_id', '=', workspaceId)
    .where('recipient_kind', '=', recipient.kind)
    .where('recipient_id', '=', recipient.id)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row?.send_after ?? undefined;
}

/** The recipient and channel of every batch whose time has come. */
export function listDueDigestBatches(executor: DatabaseExecutor, now: string, limit: number) {
  return executor
    .selectFrom('notification_digest_items')
    .select(['workspace_id', 'recipient_kind', 'recipient_id', 'channel'])
    .where('send_after', '<=', now)
    .groupBy(['workspace_id', 'recipient_kind', 'recipient_id', 'channel'])
    .limit(limit)
    .execute();
}

/**
 * Takes a due batch out of the table, answering its items; an instance that comes second finds
 * nothing (the rows are gone), so every batch is sent by one instance once.
 */
export function takeDueDigestItems(
  executor: DatabaseExecutor,
  batch: { workspace_id: string; recipient_kind: PrincipalKind; recipient_id: string; channel: NotificationDigestItemTable['channel'] },
  now: string,
) {
  return executor
    .deleteFrom('notification_digest_items')
    .where('workspace_id', '=', batch.workspace_id)
    .where('recipient_kind', '=', batch.recipient_kind)
    .where('recipient_id', '=', batch.recipient_id)
    .where('channel', '=', batch.channel)
    .where('send_after', '<=', now)
    .returningAll()
    .execute();
}
