import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Data retention per workspace (issue 19, decision 0033): how many days task messages and run
 * transcripts are kept (NULL: forever), and how far the feed's copies of their text have been
 * blanked, so each hourly purge reads only the events it has not seen. A run keeps its row with its
 * numbers when its transcript goes; `transcript_deleted_at` marks it, and the purge reads runs
 * through a partial index of those not yet purged, so purged runs cost it nothing.
 */
export function createRetentionSettingsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('retention_settings')
        .addColumn('workspace_id', 'text', (column) => column.primaryKey().references('workspaces.id').onDelete('cascade'))
        .addColumn('messages_days', 'integer')
        .addColumn('runs_days', 'integer')
        .addColumn('messages_feed_redacted_before', timestamp)
        .addColumn('runs_feed_redacted_before', timestamp)
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.alterTable('agent_runs').addColumn('transcript_deleted_at', timestamp).execute();
      await db.schema
        .createIndex('agent_runs_transcript_kept_idx')
        .on('agent_runs')
        .columns(['workspace_id', 'started_at'])
        .where(sql.ref('transcript_deleted_at'), 'is', null)
        .execute();
      // The purge's notifications of mentions and replies, by age.
      await db.schema.createIndex('notifications_workspace_time_idx').on('notifications').columns(['workspace_id', 'created_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('notifications_workspace_time_idx').execute();
      await db.schema.dropIndex('agent_runs_transcript_kept_idx').execute();
      await db.schema.alterTable('agent_runs').dropColumn('transcript_deleted_at').execute();
      await db.schema.dropTable('retention_settings').execute();
    },
  };
}
