import type {
  AuditAction,
  AuditEntry,
  AuditLogSettings,
  ExportAuditLogQuery,
  ListAuditLogQuery,
  Page,
  PrincipalReference,
  UpdateAuditLogSettingsInput,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import {
  type AuditFilter,
  deleteAuditEntriesBefore,
  findMonitoringSettings,
  insertAuditEntry,
  listAuditEntries,
  listAuditEntriesForExport,
  listAuditEntriesOfActor,
  listWorkspacesWithEntriesBefore,
  toAuditEntry,
  upsertAuditRetention,
} from './audit.repository.js';
import { findOriginOf, type RequestOrigin } from './audit-origin.js';

export const defaultAuditRetentionDays = 365;
export const maxAuditExportEntries = 100_000;
const dayMs = 24 * 60 * 60 * 1000;

/** What a module tells the audit log about an action it is making. */
export interface NewAuditEntry {
  workspaceId: string;
  /** Who acted: the caller, `system` (jobs), or null (nobody signed in, such as a failed sign-in). */
  actor: Principal | PrincipalReference | 'system' | null;
  action: AuditAction;
  targetKind: string;
  targetId: string | null;
  summary: string;
  /** Only the fields that changed; never secrets. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Where the request came from, when the actor's principal does not carry it (sign-in, invitation links). */
  origin?: RequestOrigin | undefined;
}

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(context: ServiceContext) {
  const { db, clock, engine } = context;

  async function retentionDaysOf(executor: DatabaseExecutor, workspaceId: string): Promise<number> {
    return (await findMonitoringSettings(executor, workspaceId))?.audit_retention_days ?? defaultAuditRetentionDays;
  }

  async function record(executor: DatabaseExecutor, entry: NewAuditEntry): Promise<void> {
    const actor = entry.actor;
    const origin = entry.origin ?? (actor && actor !== 'system' ? findOriginOf(actor) : undefined);
    await insertAuditEntry(executor, {
      id: createId(),
      workspace_id: entry.workspaceId,
      at: clock.now().toISOString(),
      actor_kind: actor === null || actor === 'system' ? 'system' : actor.kind,
      actor_id: actor === null || actor === 'system' ? null : actor.id,
      action: entry.action,
      target_kind: entry.targetKind,
      target_id: entry.targetId,
      summary: entry.summary,
      ip: origin?.ip ?? null,
      user_agent: origin?.userAgent ?? null,
      before_fields: entry.before ? JSON.stringify(entry.before) : null,
      after_fields: entry.after ? JSON.stringify(entry.after) : null,
    });
  }

  function filterOf(principal: Principal, query: Pick<ListAuditLogQuery, 'actor' | 'action' | 'from' | 'to'>): AuditFilter {
    return {
      workspaceId: principal.workspaceId,
      actorId: query.actor,
      action: query.action,
      from: query.from ? new Date(query.from).toISOString() : undefined,
      to: query.to ? new Date(query.to).toISOString() : undefined,
    };
  }

  return {
    /**
     * Appends an entry in the caller's transaction, so it exists exactly when the action does.
     * Other modules call this with the transaction of the change they make.
     */
    recordAuditEntry: record,

    /** Every entry a person made, in every workspace: their own data export reads it, whatever their role. */
    async listEntriesOfPerson(userId: string): Promise<AuditEntry[]> {
      return (await listAuditEntriesOfActor(db, 'user', userId)).map(toAuditEntry);
    },

    async listAuditLog(principal: Principal, query: ListAuditLogQuery): Promise<Page<AuditEntry>> {
      assertCan(principal, 'audit:read');
      const rows = await listAuditEntries(db, {
        ...filterOf(principal, query),
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(rows, query.limit, toAuditEntry, (row) => row.id);
    },

    /** Every matching entry, oldest first; the export is itself recorded. */
    async exportAuditLog(principal: Principal, query: ExportAuditLogQuery): Promise<AuditEntry[]> {
      assertCan(principal, 'audit:read');
      const filter = filterOf(principal, query);
      return db.transaction().execute(async (trx) => {
        const rows = await listAuditEntriesForExport(trx, filter, maxAuditExportEntries);
        await record(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'audit-log.exported',
          targetKind: 'audit-log',
          targetId: null,
          summary: `exported ${rows.length} audit entries as ${query.format.toUpperCase()}`,
          after: {
            format: query.format,
            entries: rows.length,
            actor: query.actor ?? null,
            action: query.action ?? null,
            from: filter.from ?? null,
            to: filter.to ?? null,
          },
        });
        return rows.map(toAuditEntry);
      });
    },

    async getAuditLogSettings(principal: Principal): Promise<AuditLogSettings> {
      assertCan(principal, 'audit:read');
      return { retentionDays: await retentionDaysOf(db, principal.workspaceId) };
    },

    async updateAuditLogSettings(principal: Principal, input: UpdateAuditLogSettingsInput): Promise<AuditLogSettings> {
      assertCan(principal, 'audit:configure');
      return db.transaction().execute(async (trx) => {
        const before = await retentionDaysOf(trx, principal.workspaceId);
        await upsertAuditRetention(trx, {
          workspace_id: principal.workspaceId,
          audit_retention_days: input.retentionDays,
          alert_thresholds: JSON.stringify({}),
          updated_at: clock.now().toISOString(),
        });
        if (before !== input.retentionDays) {
          await record(trx, {
            workspaceId: principal.workspaceId,
            actor: principal,
            action: 'audit-log.settings-changed',
            targetKind: 'audit-log',
            targetId: null,
            summary: `audit retention changed from ${before} to ${input.retentionDays} days`,
            before: { retentionDays: before },
            after: { retentionDays: input.retentionDays },
          });
        }
        return { retentionDays: input.retentionDays };
      });
    },

    /**
     * The retention job: in each workspace, deletes the entries older than its retention and
     * records the purge (by the system) in the same transaction. Answers how many went.
     */
    async purgeExpiredAuditEntries(): Promise<number> {
      const now = clock.now();
      // No retention is shorter than a day, so only workspaces with entries a day old can have any to purge.
      const candidates = await listWorkspacesWithEntriesBefore(db, new Date(now.getTime() - dayMs).toISOString());
      let purged = 0;
      for (const workspaceId of candidates) {
        purged += await db.transaction().execute(async (trx) => {
          const retentionDays = await retentionDaysOf(trx, workspaceId);
          const cutoff = new Date(now.getTime() - retentionDays * dayMs).toISOString();
          const deleted = await deleteAuditEntriesBefore(trx, engine, workspaceId, cutoff);
          if (deleted > 0) {
            await record(trx, {
              workspaceId,
              actor: 'system',
              action: 'audit-log.purged',
              targetKind: 'audit-log',
              targetId: null,
              summary: `purged ${deleted} audit entries older than ${retentionDays} days`,
              after: { deleted, olderThan: cutoff, retentionDays },
            });
          }
          return deleted;
        });
      }
      return purged;
    },
  };
}
