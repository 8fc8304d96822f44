import { type AuditEntry, auditActionSchema, auditFieldsSchema } from '@mission-control/contracts';
import { type Insertable, type Selectable, sql } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, type Engine, parseJsonColumn } from '../../db/database.js';
import type { AuditEntryTable, MonitoringSettingsTable } from '../../db/schema.js';

export type AuditEntryRow = Selectable<AuditEntryTable>;

export async function insertAuditEntry(executor: DatabaseExecutor, row: Insertable<AuditEntryTable>): Promise<void> {
  await executor.insertInto('audit_entries').values(row).execute();
}

export interface AuditFilter {
  workspaceId: string;
  actorId: string | undefined;
  action: string | undefined;
  from: string | undefined;
  to: string | undefined;
}

function filteredEntries(executor: DatabaseExecutor, filter: AuditFilter) {
  let query = executor.selectFrom('audit_entries').selectAll().where('workspace_id', '=', filter.workspaceId);
  if (filter.actorId === 'system') query = query.where('actor_kind', '=', 'system');
  else if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  return query;
}

/** Newest first (ids are UUIDv7, so they sort by time). */
export function listAuditEntries(executor: DatabaseExecutor, filter: AuditFilter & { beforeId: string | undefined; limit: number }) {
  let query = filteredEntries(executor, filter);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Oldest first, for exports. */
export function listAuditEntriesForExport(executor: DatabaseExecutor, filter: AuditFilter, limit: number) {
  return filteredEntries(executor, filter).orderBy('id', 'asc').limit(limit).execute();
}

export function findMonitoringSettings(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('monitoring_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function upsertAuditRetention(
  executor: DatabaseExecutor,
  row: Pick<Insertable<MonitoringSettingsTable>, 'workspace_id' | 'audit_retention_days' | 'alert_thresholds' | 'updated_at'>,
): Promise<void> {
  await executor
    .insertInto('monitoring_settings')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('workspace_id').doUpdateSet({ audit_retention_days: row.audit_retention_days, updated_at: row.updated_at }),
    )
    .execute();
}

/** The workspaces that have entries older than `before` (any retention is at least a day, so older ones are candidates). */
export async function listWorkspacesWithEntriesBefore(executor: DatabaseExecutor, before: string): Promise<string[]> {
  const rows = await executor.selectFrom('audit_entries').select('workspace_id').where('at', '<', before).distinct().execute();
  return rows.map((row) => row.workspace_id);
}

/**
 * Deletes a workspace's entries older than `before`, in the caller's transaction. On PostgreSQL
 * the append-only trigger lets this through only because the transaction says it is the purge.
 */
export async function deleteAuditEntriesBefore(
  executor: DatabaseExecutor,
  engine: Engine,
  workspaceId: string,
  before: string,
): Promise<number> {
  if (engine === 'postgres') await sql`select set_config('mission.audit_purge', 'on', true)`.execute(executor);
  const result = await executor
    .deleteFrom('audit_entries')
    .where('workspace_id', '=', workspaceId)
    .where('at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Entries where a person is the actor, in every workspace, oldest first (their data export). */
export function listAuditEntriesOfActor(executor: DatabaseExecutor, actorKind: 'user' | 'agent', actorId: string) {
  return executor
    .selectFrom('audit_entries')
    .selectAll()
    .where('actor_kind', '=', actorKind)
    .where('actor_id', '=', actorId)
    .orderBy('id')
    .execute();
}

const actorKindSchema = z.enum(['user', 'agent', 'system']);

export function toAuditEntry(row: AuditEntryRow): AuditEntry {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    at: row.at,
    actor: { kind: actorKindSchema.parse(row.actor_kind), id: row.actor_id },
    action: auditActionSchema.parse(row.action),
    targetKind: row.target_kind,
    targetId: row.target_id,
    summary: row.summary,
    ip: row.ip,
    userAgent: row.user_agent,
    before: row.before_fields === null ? null : parseJsonColumn(auditFieldsSchema, row.before_fields, 'audit_entries.before_fields'),
    after: row.after_fields === null ? null : parseJsonColumn(auditFieldsSchema, row.after_fields, 'audit_entries.after_fields'),
  };
}
