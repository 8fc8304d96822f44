import type { RetentionSettings, TaskStatus, UpdateRetentionSettingsInput } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { appendEvent, listEventsOfTypeBetween, rewriteEventText } from '../../events/event.repository.js';
import type { AgentRunService } from '../agent-runtime/agent-run.service.js';
import type { AttachmentService } from '../attachments/attachment.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import {
  advanceFeedWatermark,
  type FeedWatermark,
  findRetentionSettings,
  listRetentionSettingsInUse,
  type RetentionSettingsRow,
  upsertRetentionDays,
} from './retention.repository.js';
import { feedTypesOf, redactEventText } from './retention-redaction.js';

export interface RetentionServiceDependencies {
  messages: MessageService;
  attachments: AttachmentService;
  notifications: NotificationService;
  agentRuns: AgentRunService;
  audit: AuditService;
}

export interface RetentionOptions {
  /** Rows deleted (or events rewritten) per transaction, so no purge holds a long one. */
  batchSize?: number;
  /**
   * Batches of deletions of each kind (messages, notifications, run transcripts) per workspace in
   * one hourly pulse; a larger backlog drains over the next pulses.
   */
  maxBatchesPerPulse?: number;
}

/** What one purge did, summed over the workspaces. */
export interface RetentionPurgeReport {
  messages: number;
  reactions: number;
  attachments: number;
  /** Attachment files (SQLite) or byte rows (PostgreSQL) no attachment refers to any more. */
  attachmentFiles: number;
  notifications: number;
  runs: number;
  runSteps: number;
  /** Activity feed entries whose copy of the deleted text was blanked. */
  feedEntries: number;
}

/**
 * Messages on tasks that are still being worked on are kept whatever their age: the people and
 * agents on the task read the thread as its context (decision 0033). These are the finished states.
 */
export const finishedTaskStatuses = ['done', 'failed', 'cancelled'] as const satisfies readonly TaskStatus[];

const dayMs = 24 * 60 * 60 * 1000;

function emptyReport(): RetentionPurgeReport {
  return { messages: 0, reactions: 0, attachments: 0, attachmentFiles: 0, notifications: 0, runs: 0, runSteps: 0, feedEntries: 0 };
}

function toSettings(row: RetentionSettingsRow | undefined): RetentionSettings {
  return {
    messagesDays: row?.messages_days == null ? null : Number(row.messages_days),
    runsDays: row?.runs_days == null ? null : Number(row.runs_days),
  };
}

const describeDays = (days: number | null) => (days === null ? 'forever' : `${days} days`);

export type RetentionService = ReturnType<typeof createRetentionService>;

/** Per-workspace retention of task messages and run transcripts, and the hourly purge that applies it. */
export function createRetentionService(
  context: ServiceContext,
  dependencies: RetentionServiceDependencies,
  options: RetentionOptions = {},
) {
  const { db, clock } = context;
  const { messages, attachments, notifications, agentRuns, audit } = dependencies;
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatchesPerPulse ?? 40;

  /** Messages (with reactions and file attachments), then the notifications quoting them; batch by batch. */
  async function purgeMessages(workspaceId: string, before: string, report: RetentionPurgeReport): Promise<void> {
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const done = await db.transaction().execute(async (trx) => {
        const found = await messages.listMessagesPostedBefore(trx, workspaceId, {
          before,
          taskStatuses: finishedTaskStatuses,
          limit: batchSize,
        });
        const ids = found.map((message) => message.id);
        // Attachments first: their rows would otherwise go by cascade and leave the bytes behind.
        const hashes = await attachments.deleteAttachmentsOfMessages(trx, workspaceId, ids);
        const deleted = await messages.deleteMessages(trx, workspaceId, ids);
        return { ...deleted, hashes, last: found.length < batchSize };
      });
      // Counted once committed.
      report.messages += done.messages;
      report.reactions += done.reactions;
      report.attachments += done.hashes.length;
      // After the commit: the bytes never go while a row that points at them could still stay.
      report.attachmentFiles += await attachments.releaseContents(done.hashes);
      if (done.last) break;
    }
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const deleted = await db.transaction().execute((trx) =>
        notifications.deleteQuotingNotificationsBefore(trx, workspaceId, {
          before,
          taskStatuses: finishedTaskStatuses,
          limit: batchSize,
        }),
      );
      report.notifications += deleted;
      if (deleted < batchSize) break;
    }
  }

  async function purgeRunTranscripts(workspaceId: string, before: string, report: RetentionPurgeReport): Promise<void> {
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const purged = await db
        .transaction()
        .execute((trx) => agentRuns.deleteRunTranscriptsBefore(trx, workspaceId, { before, limit: batchSize }));
      report.runs += purged.runs;
      report.runSteps += purged.steps;
      if (purged.runs < batchSize) break;
    }
  }

  /**
   * Blanks the feed's copies of text older than `before`, from the watermark on (events before it
   * were done by an earlier pulse), type by type and batch by batch. Unlike the deletions it has no
   * cap per pulse: the watermark is its only bookmark and moves to `before` once the slice is done,
   * so after the first pulse each one reads only the hour of events that came of age since.
   */
  async function redactFeed(
    workspaceId: string,
    kind: keyof typeof feedTypesOf,
    from: string | null,
    before: string,
    report: RetentionPurgeReport,
  ): Promise<void> {
    if (from !== null && from >= before) return;
    for (const type of feedTypesOf[kind]) {
      let after: { createdAt: string; seq: number } | null = null;
      for (;;) {
        const rows = await listEventsOfTypeBetween(db, { workspaceId, type, from, before, after, limit: batchSize });
        if (rows.length > 0) {
          report.feedEntries += await db.transaction().execute(async (trx) => {
            let rewritten = 0;
            for (const row of rows) {
              const data = parseJsonColumn(row.data);
              const change = redactEventText({
                type: row.type,
                summary: row.summary,
                data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {},
              });
              if (!change) continue;
              await rewriteEventText(trx, Number(row.seq), change);
              rewritten += 1;
            }
            return rewritten;
          });
        }
        const last = rows[rows.length - 1];
        if (!last || rows.length < batchSize) break;
        after = { createdAt: last.created_at, seq: Number(last.seq) };
      }
    }
    const column: FeedWatermark = kind === 'messages' ? 'messages_feed_redacted_before' : 'runs_feed_redacted_before';
    await advanceFeedWatermark(db, workspaceId, column, before);
  }

  async function purgeWorkspace(row: RetentionSettingsRow, now: Date, total: RetentionPurgeReport): Promise<void> {
    const workspaceId = row.workspace_id;
    const report = emptyReport();
    const settings = toSettings(row);
    const cutoffs: { messagesBefore: string | null; runsBefore: string | null } = { messagesBefore: null, runsBefore: null };
    if (settings.messagesDays !== null) {
      const before = new Date(now.getTime() - settings.messagesDays * dayMs).toISOString();
      cutoffs.messagesBefore = before;
      await purgeMessages(workspaceId, before, report);
      await redactFeed(workspaceId, 'messages', row.messages_feed_redacted_before, before, report);
    }
    if (settings.runsDays !== null) {
      const before = new Date(now.getTime() - settings.runsDays * dayMs).toISOString();
      cutoffs.runsBefore = before;
      await purgeRunTranscripts(workspaceId, before, report);
      await redactFeed(workspaceId, 'runs', row.runs_feed_redacted_before, before, report);
    }
    for (const key of Object.keys(total) as (keyof RetentionPurgeReport)[]) total[key] += report[key];
    if (Object.values(report).every((count) => count === 0)) return;
    const parts = [
      report.messages > 0 ? `${report.messages} messages older than ${describeDays(settings.messagesDays)}` : null,
      report.runs > 0 ? `${report.runs} run transcripts older than ${describeDays(settings.runsDays)}` : null,
      report.notifications > 0 ? `${report.notifications} notifications quoting old messages` : null,
    ].filter((part) => part !== null);
    // Its own transaction: each batch above committed on its own, and this says what they did together.
    await db.transaction().execute((trx) =>
      audit.recordAuditEntry(trx, {
        workspaceId,
        actor: 'system',
        action: 'retention.purged',
        targetKind: 'workspace',
        targetId: workspaceId,
        summary: `data retention deleted ${parts.length > 0 ? parts.join(', ') : 'copies of old text in the activity feed'}`,
        after: { ...report, ...settings, ...cutoffs },
      }),
    );
  }

  return {
    /** Everyone in the workspace may read how long what they write is kept. */
    async getRetentionSettings(principal: Principal): Promise<RetentionSettings> {
      assertCan(principal, 'workspace:read');
      return toSettings(await findRetentionSettings(db, principal.workspaceId));
    },

    /** Owners and admins change it; a change appends a retention-updated event and an audit entry. */
    async updateRetentionSettings(principal: Principal, input: UpdateRetentionSettingsInput): Promise<RetentionSettings> {
      assertCan(principal, 'workspace:manage');
      return db.transaction().execute(async (trx) => {
        const before = toSettings(await findRetentionSettings(trx, principal.workspaceId));
        const after: RetentionSettings = {
          messagesDays: input.messagesDays === undefined ? before.messagesDays : input.messagesDays,
          runsDays: input.runsDays === undefined ? before.runsDays : input.runsDays,
        };
        const fields = (['messagesDays', 'runsDays'] as const).filter((field) => after[field] !== before[field]);
        if (fields.length === 0) return before;
        const now = clock.now();
        await upsertRetentionDays(trx, {
          workspace_id: principal.workspaceId,
          messages_days: after.messagesDays,
          runs_days: after.runsDays,
          updated_at: now.toISOString(),
        });
        const summary = `data retention set to keep messages ${describeDays(after.messagesDays)} and run transcripts ${describeDays(after.runsDays)}`;
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'retention-updated',
          actor: toPrincipalReference(principal),
          summary,
          data: { fields: [...fields], ...after },
          at: now,
        });
        await audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'retention.updated',
          targetKind: 'workspace',
          targetId: principal.workspaceId,
          summary,
          before: Object.fromEntries(fields.map((field) => [field, before[field]])),
          after: Object.fromEntries(fields.map((field) => [field, after[field]])),
        });
        return after;
      });
    },

    /**
     * The hourly job: in every workspace with a retention, deletes the messages and run
     * transcripts older than it, and the feed's copies of their text, in bounded batches (each its
     * own short transaction), then records what went as one `retention.purged` audit entry by the
     * system. Safe on several instances at once: a second one finds the rows gone.
     */
    async purgeExpiredContent(): Promise<RetentionPurgeReport> {
      const now = clock.now();
      const total = emptyReport();
      const failures: unknown[] = [];
      // One workspace's failure (a row it cannot read) must not hold back every other one's purge.
      for (const row of await listRetentionSettingsInUse(db)) {
        try {
          await purgeWorkspace(row, now, total);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) {
        throw new AggregateError(failures, `The retention purge failed in ${failures.length} workspace(s); the others were purged.`);
      }
      return total;
    },
  };
}
