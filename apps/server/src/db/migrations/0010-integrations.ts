import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Integrations: outbound webhook endpoints with their event cursors, the one durable outbound
 * queue (webhooks, email, Slack, Discord) with every attempt, notification preferences and the
 * workspace's shared channels, digest batches, inbound hooks, and a kind on each notification.
 * Secrets (signing secrets, incoming-webhook URLs) are stored sealed with a key derived from the
 * instance secret, never in plain text.
 */
export function createIntegrationsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  const sequence = engine === 'postgres' ? 'bigint' : 'integer';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('events', json, (column) => column.notNull())
        .addColumn('filter', 'text')
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('disabled_at', timestamp)
        .addColumn('disabled_reason', 'text')
        .addColumn('secret', 'text', (column) => column.notNull())
        .addColumn('previous_secret', 'text')
        .addColumn('previous_secret_expires_at', timestamp)
        // The last event this endpoint's feed has looked at: deliveries are made from here on, in order.
        .addColumn('cursor_seq', sequence, (column) => column.notNull())
        .addColumn('failing_since', timestamp)
        .addColumn('created_by_kind', 'text', (column) => column.notNull())
        .addColumn('created_by_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('webhook_endpoints_workspace_idx').on('webhook_endpoints').columns(['workspace_id', 'id']).execute();

      await db.schema
        .createTable('outbound_deliveries')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('channel', 'text', (column) => column.notNull())
        // The webhook endpoint, or the recipient of a notification ("user:<id>").
        .addColumn('target_id', 'text', (column) => column.notNull())
        // Deliveries sharing a key go one at a time, oldest first; null goes on its own.
        .addColumn('ordering_key', 'text')
        // One delivery per event per endpoint, however many instances feed it.
        .addColumn('dedupe_key', 'text', (column) => column.unique())
        .addColumn('event_type', 'text', (column) => column.notNull())
        .addColumn('event_seq', sequence)
        .addColumn('payload', json, (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('attempt_count', 'integer', (column) => column.notNull())
        // Attempts since it was last queued: the retry schedule counts these, so a replay starts afresh.
        .addColumn('round_attempts', 'integer', (column) => column.notNull())
        .addColumn('next_attempt_at', timestamp)
        .addColumn('lease_holder', 'text')
        .addColumn('lease_expires_at', timestamp)
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('outbound_deliveries_due_idx').on('outbound_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbound_deliveries_order_idx').on('outbound_deliveries').columns(['ordering_key', 'id']).execute();
      await db.schema.createIndex('outbound_deliveries_target_idx').on('outbound_deliveries').columns(['target_id', 'id']).execute();

      await db.schema
        .createTable('outbound_attempts')
        .addColumn('delivery_id', 'text', (column) => column.notNull().references('outbound_deliveries.id').onDelete('cascade'))
        .addColumn('attempt_number', 'integer', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('started_at', timestamp, (column) => column.notNull())
        .addColumn('duration_ms', 'integer', (column) => column.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response_excerpt', 'text', (column) => column.notNull())
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('outbound_attempts_pk', ['delivery_id', 'attempt_number'])
        .execute();

      await db.schema
        .createTable('event_cursors')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('seq', sequence, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      // Notifications reach email, Slack and Discord from the moment this version is deployed on.
      const latest = await sql<{ seq: number | string | null }>`select max(seq) as seq from events`.execute(db);
      const seq = Number(latest.rows[0]?.seq ?? 0);
      await sql`insert into event_cursors (name, seq, updated_at) values ('notification-channels', ${seq}, ${new Date().toISOString()})`.execute(
        db,
      );

      await db.schema
        .createTable('notification_preferences')
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('recipient_kind', 'text', (column) => column.notNull())
        .addColumn('recipient_id', 'text', (column) => column.notNull())
        .addColumn('settings', json, (column) => column.notNull())
        .addColumn('email_address', 'text')
        .addColumn('slack_webhook_url', 'text')
        .addColumn('discord_webhook_url', 'text')
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('notification_preferences_pk', ['workspace_id', 'recipient_kind', 'recipient_id'])
        .execute();

      await db.schema
        .createTable('notification_channels')
        .addColumn('workspace_id', 'text', (column) => column.primaryKey().references('workspaces.id').onDelete('cascade'))
        .addColumn('slack_webhook_url', 'text')
        .addColumn('discord_webhook_url', 'text')
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('notification_digest_items')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('recipient_kind', 'text', (column) => column.notNull())
        .addColumn('recipient_id', 'text', (column) => column.notNull())
        .addColumn('channel', 'text', (column) => column.notNull())
        .addColumn('notification_id', 'text', (column) => column.notNull())
        .addColumn('send_after', timestamp, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('notification_digest_items_due_idx').on('notification_digest_items').column('send_after').execute();
      await db.schema
        .createIndex('notification_digest_items_recipient_idx')
        .on('notification_digest_items')
        .columns(['workspace_id', 'recipient_kind', 'recipient_id', 'channel'])
        .execute();

      await db.schema
        .createTable('inbound_hooks')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('template', json, (column) => column.notNull())
        .addColumn('secret', 'text', (column) => column.notNull())
        .addColumn('disabled_at', timestamp)
        .addColumn('created_by_kind', 'text', (column) => column.notNull())
        .addColumn('created_by_id', 'text', (column) => column.notNull())
        .addColumn('last_received_at', timestamp)
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('inbound_hooks_workspace_idx').on('inbound_hooks').columns(['workspace_id', 'id']).execute();

      // Which preference a notification follows; null on rows written before, read from the reason.
      await db.schema.alterTable('notifications').addColumn('kind', 'text').execute();
    },
  };
}
