import {
  type Alert,
  type AlertKind,
  type AlertSettings,
  type AlertStatus,
  alertKindSchema,
  alertSettingsSchema,
  alertStatusSchema,
  alertSubjectSchema,
  defaultAlertSettings,
  type PrincipalReference,
  principalKindSchema,
} from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import type { AlertTable } from '../../db/schema.js';

export type AlertRow = Selectable<AlertTable>;

/** What the detector keeps beside the summary: who or what it is about, by name, and the numbers it compared. */
const alertDetailsSchema = z.object({
  subject: alertSubjectSchema,
  measurements: z.record(z.string(), z.number()),
});
export type AlertDetails = z.infer<typeof alertDetailsSchema>;

const storedSettingsSchema = alertSettingsSchema.partial();

/** `user:<id>` or `agent:<id>`, as acknowledged_by and resolved_by store a person or an agent. */
export function encodePrincipal(principal: PrincipalReference): string {
  return `${principal.kind}:${principal.id}`;
}

function decodePrincipal(value: string | null): PrincipalReference | null {
  if (!value) return null;
  const [kind, id] = value.split(':');
  const parsed = principalKindSchema.safeParse(kind);
  return parsed.success && id ? { kind: parsed.data, id } : null;
}

export function toAlert(row: AlertRow): Alert {
  const details = parseJsonColumn(alertDetailsSchema, row.details, 'alerts.details');
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    kind: alertKindSchema.parse(row.kind),
    status: alertStatusSchema.parse(row.status),
    dedupeKey: row.dedupe_key,
    subject: details.subject,
    summary: row.summary,
    measurements: details.measurements,
    raisedAt: new Date(row.raised_at).toISOString(),
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
    acknowledgedBy: decodePrincipal(row.acknowledged_by),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
    resolvedBy: decodePrincipal(row.resolved_by),
  };
}

/** Inserts an alert unless an unresolved one has its dedupe key (the unique index decides); true when inserted. */
export async function insertAlertUnlessOpen(executor: DatabaseExecutor, row: Insertable<AlertTable>): Promise<boolean> {
  const result = await executor
    .insertInto('alerts')
    .values(row)
    .onConflict((conflict) => conflict.columns(['workspace_id', 'dedupe_key']).where('resolved_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return result !== undefined;
}

export function findAlert(executor: DatabaseExecutor, workspaceId: string, alertId: string) {
  return executor.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', alertId).executeTakeFirst();
}

/** Newest first. */
export function listAlerts(
  executor: DatabaseExecutor,
  filter: {
    workspaceId: string;
    status?: AlertStatus | undefined;
    kind?: AlertKind | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  let query = executor.selectFrom('alerts').selectAll().where('workspace_id', '=', filter.workspaceId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export function listUnresolvedAlerts(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId).where('resolved_at', 'is', null).execute();
}

export async function countUnresolvedAlerts(executor: DatabaseExecutor, workspaceId: string): Promise<number> {
  const row = await executor
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Changes an alert that is still unresolved; false when someone (or the detector) resolved it first. */
export async function updateUnresolvedAlert(
  executor: DatabaseExecutor,
  alertId: string,
  changes: Updateable<AlertTable>,
): Promise<boolean> {
  const result = await executor
    .updateTable('alerts')
    .set(changes)
    .where('id', '=', alertId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findAlertSettings(executor: DatabaseExecutor, workspaceId: string): Promise<AlertSettings> {
  const row = await executor.selectFrom('alert_settings').select('thresholds').where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) return { ...defaultAlertSettings };
  return { ...defaultAlertSettings, ...parseJsonColumn(storedSettingsSchema, row.thresholds, 'alert_settings.thresholds') };
}

export async function saveAlertSettings(
  executor: DatabaseExecutor,
  workspaceId: string,
  settings: AlertSettings,
  at: string,
): Promise<void> {
  const thresholds = JSON.stringify(settings);
  await executor
    .insertInto('alert_settings')
    .values({ workspace_id: workspaceId, thresholds, detector_tick: 0, updated_at: at })
    .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ thresholds, updated_at: at }))
    .execute();
}

/**
 * Claims the detector's run of one minute for a workspace: of several instances calling it for the
 * same minute, exactly one gets true (a conditional update, the pattern routines fire by).
 */
export async function claimDetectorTick(executor: DatabaseExecutor, workspaceId: string, tick: number, at: string): Promise<boolean> {
  await executor
    .insertInto('alert_settings')
    .values({ workspace_id: workspaceId, thresholds: JSON.stringify({}), detector_tick: 0, updated_at: at })
    .onConflict((conflict) => conflict.column('workspace_id').doNothing())
    .execute();
  const result = await executor
    .updateTable('alert_settings')
    .set({ detector_tick: tick })
    .where('workspace_id', '=', workspaceId)
    .where('detector_tick', '<', tick)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
