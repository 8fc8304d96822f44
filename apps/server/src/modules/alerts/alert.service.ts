import os from 'node:os';
import type { Alert, AlertSettings, ListAlertsQuery, Page, PrincipalReference, UpdateAlertSettingsInput } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  type AlertDetails,
  type AlertRow,
  claimDetectorTick,
  countUnresolvedAlerts,
  encodePrincipal,
  findAlert,
  findAlertSettings,
  insertAlertUnlessOpen,
  listAlerts,
  listUnresolvedAlerts,
  saveAlertSettings,
  toAlert,
  updateUnresolvedAlert,
} from './alert.repository.js';
import {
  type AlertCheckDependencies,
  type AlertFinding,
  checkInstance,
  checkWorkspace,
  type InstanceProbes,
  instanceAlertKinds,
  isOwnInstanceKey,
} from './alert-checks.js';

export interface AlertServiceDependencies extends AlertCheckDependencies {
  notifications: Pick<NotificationService, 'notifyInTransaction'>;
  workspaces: Pick<WorkspaceService, 'listWorkspaceIds' | 'requireWorkspace' | 'listMembers'>;
}

export interface AlertServiceOptions {
  /** The data directory whose disk is watched; not watched when left out. */
  dataDirectory?: string | undefined;
  /** Names this instance in alerts (the host name when left out). */
  instanceName?: string | undefined;
}

export type AlertService = ReturnType<typeof createAlertService>;

const minuteMs = 60_000;

export function createAlertService(context: ServiceContext, dependencies: AlertServiceDependencies, options: AlertServiceOptions = {}) {
  const { db, clock } = context;
  const probes: InstanceProbes = { instanceName: options.instanceName ?? os.hostname(), dataDirectory: options.dataDirectory };

  async function requireAlert(principal: Principal, alertId: string): Promise<AlertRow> {
    const row = await findAlert(db, principal.workspaceId, alertId);
    if (!row) throw new AppError('ALERT_NOT_FOUND', 'No alert with this id in your workspace. List them with GET /api/v1/alerts.');
    return row;
  }

  function eventData(row: AlertRow) {
    const alert = toAlert(row);
    return { alertId: alert.id, kind: alert.kind, subject: alert.subject };
  }

  async function resolveInTransaction(trx: DatabaseExecutor, row: AlertRow, by: PrincipalReference | null): Promise<AlertRow | undefined> {
    const at = clock.now();
    const changes = { status: 'resolved', resolved_at: at.toISOString(), resolved_by: by ? encodePrincipal(by) : null };
    if (!(await updateUnresolvedAlert(trx, row.id, changes))) return undefined;
    const resolved = { ...row, ...changes };
    await appendEvent(trx, {
      workspaceId: row.workspace_id,
      type: 'alert-resolved',
      actor: by,
      agentId: toAlert(row).subject.kind === 'agent' ? row.subject_id : null,
      summary: by ? `Alert resolved: ${row.summary}` : `Alert cleared by itself: ${row.summary}`,
      data: { ...eventData(row), automatic: by === null },
      at,
    });
    return resolved;
  }

  /** Opens the alert of a finding unless one is open for its key; notifies owners and admins. */
  async function raise(workspaceId: string, finding: AlertFinding, recipients: readonly string[]): Promise<boolean> {
    const at = clock.now();
    return db.transaction().execute(async (trx) => {
      const details: AlertDetails = { subject: finding.subject, measurements: finding.measurements };
      const id = createId();
      const inserted = await insertAlertUnlessOpen(trx, {
        id,
        workspace_id: workspaceId,
        kind: finding.kind,
        severity: 'warning',
        status: 'open',
        dedupe_key: finding.dedupeKey,
        subject_kind: finding.subject.kind,
        subject_id: finding.subject.id,
        summary: finding.summary,
        details: JSON.stringify(details),
        raised_at: at.toISOString(),
        acknowledged_at: null,
        acknowledged_by: null,
        resolved_at: null,
        resolved_by: null,
      });
      if (!inserted) return false;
      await appendEvent(trx, {
        workspaceId,
        type: 'alert-raised',
        actor: null,
        agentId: finding.agentId,
        summary: finding.summary,
        data: { alertId: id, kind: finding.kind, subject: finding.subject, measurements: finding.measurements },
        at,
      });
      await dependencies.notifications.notifyInTransaction(
        trx,
        workspaceId,
        null,
        recipients.map((userId) => ({
          recipient: { kind: 'user' as const, id: userId },
          taskId: null,
          reason: 'system' as const,
          kind: 'system' as const,
          content: finding.summary,
        })),
      );
      return true;
    });
  }

  /** Raises what is new, resolves what cleared among the alerts this run is responsible for. */
  async function reconcile(workspaceId: string, findings: AlertFinding[], owns: (row: AlertRow) => boolean) {
    const unresolved = (await listUnresolvedAlerts(db, workspaceId)).filter(owns);
    const found = new Set(findings.map((finding) => finding.dedupeKey));
    const open = new Set(unresolved.map((row) => row.dedupe_key));
    let raised = 0;
    let resolved = 0;
    const fresh = findings.filter((finding) => !open.has(finding.dedupeKey));
    if (fresh.length > 0) {
      const members = await dependencies.workspaces.listMembers(systemPrincipal(workspaceId));
      const recipients = members.filter((member) => member.role === 'owner' || member.role === 'admin').map((member) => member.user.id);
      for (const finding of fresh) if (await raise(workspaceId, finding, recipients)) raised += 1;
    }
    for (const row of unresolved) {
      if (found.has(row.dedupe_key)) continue;
      if (await db.transaction().execute((trx) => resolveInTransaction(trx, row, null))) resolved += 1;
    }
    return { raised, resolved };
  }

  return {
    /**
     * One run of the anomaly detector (every minute in the maintenance loop). Workspace checks run
     * on the one instance that claims the workspace's minute; each instance checks itself (lag, disk).
     */
    async runDetector(): Promise<{ raised: number; resolved: number }> {
      const now = clock.now();
      const tick = Math.floor(now.getTime() / minuteMs);
      const total = { raised: 0, resolved: 0 };
      for (const workspaceId of await dependencies.workspaces.listWorkspaceIds()) {
        const settings = await findAlertSettings(db, workspaceId);
        const instanceFindings = await checkInstance(probes, settings);
        const own = await reconcile(workspaceId, instanceFindings, (row) => isOwnInstanceKey(row.dedupe_key, probes.instanceName));
        total.raised += own.raised;
        total.resolved += own.resolved;
        if (!(await claimDetectorTick(db, workspaceId, tick, now.toISOString()))) continue;
        const workspace = await dependencies.workspaces.requireWorkspace(workspaceId);
        const findings = await checkWorkspace(db, dependencies, { id: workspaceId, name: workspace.name }, settings, now);
        const shared = await reconcile(workspaceId, findings, (row) => !instanceAlertKinds.includes(toAlert(row).kind));
        total.raised += shared.raised;
        total.resolved += shared.resolved;
      }
      return total;
    },

    /** Tells the detector how far behind this instance reads the event stream (set once the stream exists). */
    watchEventStreamLag(probe: () => Promise<number>): void {
      probes.eventStreamLagSeconds = probe;
    },

    async listAlerts(principal: Principal, query: ListAlertsQuery): Promise<Page<Alert> & { openCount: number }> {
      assertCan(principal, 'workspace:read');
      const rows = await listAlerts(db, {
        workspaceId: principal.workspaceId,
        status: query.status,
        kind: query.kind,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const openCount = await countUnresolvedAlerts(db, principal.workspaceId);
      return { ...toPage(rows, query.limit, toAlert, (row) => row.id), openCount };
    },

    async acknowledgeAlert(principal: Principal, alertId: string): Promise<Alert> {
      assertCan(principal, 'work:write');
      const row = await requireAlert(principal, alertId);
      if (row.status === 'resolved') {
        throw new AppError(
          'ALERT_ALREADY_RESOLVED',
          'This alert is already resolved; if the problem is back, the detector raises a new alert within a minute.',
        );
      }
      if (row.status === 'acknowledged') return toAlert(row);
      const at = clock.now();
      const by: PrincipalReference = { kind: principal.kind, id: principal.id };
      return db.transaction().execute(async (trx) => {
        const changes = { status: 'acknowledged', acknowledged_at: at.toISOString(), acknowledged_by: encodePrincipal(by) };
        if (!(await updateUnresolvedAlert(trx, row.id, changes))) {
          throw new AppError(
            'ALERT_ALREADY_RESOLVED',
            'This alert was resolved meanwhile; if the problem is back, the detector raises a new alert.',
          );
        }
        await appendEvent(trx, {
          workspaceId: row.workspace_id,
          type: 'alert-acknowledged',
          actor: by,
          agentId: null,
          summary: `Alert acknowledged: ${row.summary}`,
          data: eventData(row),
          at,
        });
        return toAlert({ ...row, ...changes });
      });
    },

    async resolveAlert(principal: Principal, alertId: string): Promise<Alert> {
      assertCan(principal, 'work:write');
      const row = await requireAlert(principal, alertId);
      if (row.status === 'resolved') return toAlert(row);
      const by: PrincipalReference = { kind: principal.kind, id: principal.id };
      const resolved = await db.transaction().execute((trx) => resolveInTransaction(trx, row, by));
      return toAlert(resolved ?? (await requireAlert(principal, alertId)));
    },

    async getAlertSettings(principal: Principal): Promise<AlertSettings> {
      assertCan(principal, 'alert:configure');
      return findAlertSettings(db, principal.workspaceId);
    },

    async updateAlertSettings(principal: Principal, input: UpdateAlertSettingsInput): Promise<AlertSettings> {
      assertCan(principal, 'alert:configure');
      const current = await findAlertSettings(db, principal.workspaceId);
      const changed = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      const settings: AlertSettings = { ...current, ...changed };
      await saveAlertSettings(db, principal.workspaceId, settings, clock.now().toISOString());
      return settings;
    },
  };
}
