import type { Kysely, Migration } from 'kysely';

/**
 * What every instance measures of itself (issue 17): `system_samples` every 10 s (raw rows kept a
 * day, then 5-minute averages kept 7 days) and `health_samples` once a minute (kept 90 days) for
 * the status page. They describe the instance, not a workspace, so they have no workspace_id
 * (decision 0024). Times are milliseconds since the epoch so buckets are integer arithmetic on
 * both engines. Migration 0014 made a `system_samples` of another shape that nothing ever wrote;
 * it is replaced (empty, so nothing is lost).
 */
export function createSystemSamplesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable('system_samples').ifExists().execute();
      await db.schema
        .createTable('system_samples')
        .addColumn('instance_id', 'text', (column) => column.notNull())
        .addColumn('resolution_seconds', 'integer', (column) => column.notNull())
        .addColumn('sampled_at', 'bigint', (column) => column.notNull())
        .addColumn('hostname', 'text', (column) => column.notNull())
        .addColumn('cpu_percent', 'double precision', (column) => column.notNull())
        .addColumn('rss_bytes', 'double precision', (column) => column.notNull())
        .addColumn('heap_used_bytes', 'double precision', (column) => column.notNull())
        .addColumn('heap_total_bytes', 'double precision', (column) => column.notNull())
        .addColumn('disk_free_bytes', 'double precision')
        .addColumn('disk_total_bytes', 'double precision')
        .addColumn('event_loop_delay_ms', 'double precision', (column) => column.notNull())
        .addColumn('event_loop_delay_p99_ms', 'double precision', (column) => column.notNull())
        .addColumn('websocket_clients', 'double precision', (column) => column.notNull())
        .addColumn('db_pool_total', 'double precision')
        .addColumn('db_pool_idle', 'double precision')
        .addColumn('db_pool_waiting', 'double precision')
        .addPrimaryKeyConstraint('system_samples_pkey', ['instance_id', 'resolution_seconds', 'sampled_at'])
        .execute();
      await db.schema.createIndex('system_samples_time_idx').on('system_samples').columns(['sampled_at']).execute();
      await db.schema
        .createTable('health_samples')
        .addColumn('instance_id', 'text', (column) => column.notNull())
        .addColumn('sampled_at', 'bigint', (column) => column.notNull())
        .addColumn('api_up', 'integer', (column) => column.notNull())
        .addColumn('api_latency_ms', 'double precision')
        .addColumn('database_up', 'integer', (column) => column.notNull())
        .addColumn('event_stream_up', 'integer')
        .addColumn('redis_up', 'integer')
        .addPrimaryKeyConstraint('health_samples_pkey', ['instance_id', 'sampled_at'])
        .execute();
      await db.schema.createIndex('health_samples_time_idx').on('health_samples').columns(['sampled_at']).execute();
      // Workflow analytics read the runs started in a range.
      await db.schema.createIndex('workflow_runs_started_idx').on('workflow_runs').columns(['workspace_id', 'started_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('workflow_runs_started_idx').execute();
      await db.schema.dropTable('health_samples').execute();
      await db.schema.dropTable('system_samples').execute();
    },
  };
}
