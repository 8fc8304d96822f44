import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The audit trail (append-only: on PostgreSQL a trigger refuses UPDATE and DELETE unless the
 * retention job's transaction says it is purging), the monitoring settings of each workspace
 * (audit retention, alert thresholds), alerts raised by the anomaly detector, the system and
 * health samples each instance takes (the System and status pages), and the indexes the
 * analytics queries read by time range.
 */
export function createAnalyticsAndAuditMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  const real = engine === 'postgres' ? 'double precision' : 'real';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_entries')
        .addColumn('id', 'text', (column) => column.primaryKey())
        // No foreign key: the trail outlives what it names, and a cascade would be a delete.
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('at', timestamp, (column) => column.notNull())
        .addColumn('actor_kind', 'text', (column) => column.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('target_kind', 'text', (column) => column.notNull())
        .addColumn('target_id', 'text')
        .addColumn('summary', 'text', (column) => column.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('before_fields', json)
        .addColumn('after_fields', json)
        .execute();
      await db.schema.createIndex('audit_entries_workspace_idx').on('audit_entries').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('audit_entries_time_idx').on('audit_entries').columns(['workspace_id', 'at']).execute();
      await db.schema.createIndex('audit_entries_actor_idx').on('audit_entries').columns(['workspace_id', 'actor_id', 'id']).execute();
      await db.schema.createIndex('audit_entries_action_idx').on('audit_entries').columns(['workspace_id', 'action', 'id']).execute();
      if (engine === 'postgres') {
        // The application may only append; the retention job sets mission.audit_purge for its own
        // transaction, and a restore from backup (an operator replacing the whole database, server
        // stopped) sets mission.backup_restore for the one that empties every table.
        await sql`
          create function refuse_audit_entry_change() returns trigger language plpgsql as $$
          begin
            if tg_op = 'DELETE' and current_setting('mission.audit_purge', true) = 'on' then
              return old;
            end if;
            if tg_op = 'TRUNCATE' and current_setting('mission.backup_restore', true) = 'on' then
              return null;
            end if;
            raise exception 'audit entries are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
          end
          $$`.execute(db);
        await sql`
          create trigger audit_entries_append_only before update or delete on audit_entries
          for each row execute function refuse_audit_entry_change()`.execute(db);
        await sql`
          create trigger audit_entries_no_truncate before truncate on audit_entries
          for each statement execute function refuse_audit_entry_change()`.execute(db);
      } else {
        await sql`
          create trigger audit_entries_append_only before update on audit_entries
          begin select raise(abort, 'audit entries are append-only (UPDATE refused)'); end`.execute(db);
      }

      await db.schema
        .createTable('monitoring_settings')
        .addColumn('workspace_id', 'text', (column) => column.primaryKey().references('workspaces.id').onDelete('cascade'))
        .addColumn('audit_retention_days', 'integer', (column) => column.notNull())
        .addColumn('alert_thresholds', json, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('severity', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        // One open alert per problem: a stalled agent is raised once until it is resolved.
        .addColumn('dedupe_key', 'text', (column) => column.notNull())
        .addColumn('subject_kind', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('summary', 'text', (column) => column.notNull())
        .addColumn('details', json, (column) => column.notNull())
        .addColumn('raised_at', timestamp, (column) => column.notNull())
        .addColumn('acknowledged_at', timestamp)
        .addColumn('acknowledged_by', 'text')
        .addColumn('resolved_at', timestamp)
        .addColumn('resolved_by', 'text')
        .execute();
      await db.schema.createIndex('alerts_workspace_idx').on('alerts').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('alerts_open_idx').on('alerts').columns(['workspace_id', 'dedupe_key', 'status']).execute();

      // Per instance, not per workspace: what the machine and the process look like every 10 s.
      await db.schema
        .createTable('system_samples')
        .addColumn('instance_id', 'text', (column) => column.notNull())
        .addColumn('at', timestamp, (column) => column.notNull())
        // 10 s samples are kept a day, 5 min averages 7 days.
        .addColumn('resolution_seconds', 'integer', (column) => column.notNull())
        .addColumn('cpu_percent', real, (column) => column.notNull())
        .addColumn('memory_rss_bytes', 'bigint', (column) => column.notNull())
        .addColumn('heap_used_bytes', 'bigint', (column) => column.notNull())
        .addColumn('system_memory_free_bytes', 'bigint', (column) => column.notNull())
        .addColumn('disk_free_bytes', 'bigint')
        .addColumn('disk_total_bytes', 'bigint')
        .addColumn('event_loop_lag_ms', real, (column) => column.notNull())
        .addColumn('sockets', 'integer', (column) => column.notNull())
        .addColumn('api_up', 'integer', (column) => column.notNull())
        .addColumn('database_up', 'integer', (column) => column.notNull())
        .addColumn('stream_up', 'integer', (column) => column.notNull())
        .addColumn('redis_up', 'integer')
        .addColumn('requests', 'integer', (column) => column.notNull())
        .addColumn('latency_p50_ms', real)
        .addColumn('latency_p95_ms', real)
        .addPrimaryKeyConstraint('system_samples_pk', ['instance_id', 'resolution_seconds', 'at'])
        .execute();
      await db.schema.createIndex('system_samples_time_idx').on('system_samples').columns(['resolution_seconds', 'at']).execute();

      // The analytics read by time range.
      await db.schema.createIndex('events_workspace_type_time_idx').on('events').columns(['workspace_id', 'type', 'created_at']).execute();
      await db.schema.createIndex('events_workspace_time_idx').on('events').columns(['workspace_id', 'created_at']).execute();
      await db.schema.createIndex('messages_workspace_time_idx').on('messages').columns(['workspace_id', 'created_at']).execute();
    },
  };
}
