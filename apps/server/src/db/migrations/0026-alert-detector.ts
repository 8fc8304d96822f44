import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The anomaly detector's side of the alerts table of 0014: at most one unresolved alert per
 * condition instance (a unique index over the unresolved rows, so two instances racing on the same
 * tick cannot both raise it), and `alert_settings`, the thresholds of each workspace with the last
 * minute the detector ran for it (the claim that lets one instance of several run each tick).
 */
export function createAlertDetectorMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('alerts_unresolved_dedupe_idx')
        .unique()
        .on('alerts')
        .columns(['workspace_id', 'dedupe_key'])
        .where(sql.ref('resolved_at'), 'is', null)
        .execute();
      await db.schema.createIndex('alerts_status_idx').on('alerts').columns(['workspace_id', 'status', 'raised_at']).execute();
      await db.schema
        .createTable('alert_settings')
        .addColumn('workspace_id', 'text', (column) => column.primaryKey().references('workspaces.id').onDelete('cascade'))
        .addColumn('thresholds', json, (column) => column.notNull())
        .addColumn('detector_tick', 'integer', (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
    },
  };
}
