import {
  type ArchivedPrincipal,
  attachmentSchema,
  type Workspace,
  type WorkspaceArchive,
  workspaceArchiveFormatVersion,
  workspaceArchiveSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { insertArchiveRows, readWorkspaceContent } from './workspace-archive.repository.js';
import { findArchiveProblems } from './workspace-archive-checks.js';
import { toArchiveRows } from './workspace-archive-rows.js';

export interface WorkspaceArchiveDependencies {
  users: Pick<UserService, 'findUsers'>;
  workspaces: Pick<WorkspaceService, 'requireWorkspace' | 'createImportedWorkspace'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
}

const capabilityListSchema = z.array(z.string());
const attachmentListSchema = z.array(attachmentSchema);

export type WorkspaceArchiveService = ReturnType<typeof createWorkspaceArchiveService>;

export function createWorkspaceArchiveService(context: ServiceContext, dependencies: WorkspaceArchiveDependencies) {
  const { db, clock } = context;

  function invalid(issues: { path: string; message: string }[]): AppError {
    const first = issues[0];
    return new AppError(
      'WORKSPACE_ARCHIVE_INVALID',
      `This is not a workspace archive this server can restore${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}. Send the file POST /api/v1/workspace/export answered, unchanged. Nothing was created.`,
      { issues: issues.slice(0, 100) },
    );
  }

  return {
    /** The workspace as an archive without a single secret; owners and admins only. */
    async exportWorkspace(principal: Principal): Promise<WorkspaceArchive> {
      assertCan(principal, 'workspace:manage');
      const workspace = await dependencies.workspaces.requireWorkspace(principal.workspaceId);
      const content = await readWorkspaceContent(db, principal.workspaceId);
      const agentNames = new Map(content.agents.map((agent) => [agent.id, agent.name]));
      const userIds = new Set<string>();
      const collect = (kind: string, id: string) => {
        if (kind === 'user') userIds.add(id);
      };
      for (const task of content.tasks) collect(task.creator_kind, task.creator_id);
      for (const assignee of content.assignees) collect(assignee.assignee_kind, assignee.assignee_id);
      for (const message of content.messages) collect(message.author_kind, message.author_id);
      for (const reaction of content.reactions) collect(reaction.reactor_kind, reaction.reactor_id);
      for (const version of content.versions) collect(version.author_kind, version.author_id);
      const userNames = new Map((await dependencies.users.findUsers([...userIds])).map((user) => [user.id, user.name]));
      const named = (kind: 'user' | 'agent', id: string): ArchivedPrincipal => ({
        kind,
        name: (kind === 'agent' ? agentNames.get(id) : userNames.get(id)) ?? (kind === 'agent' ? 'unknown agent' : 'unknown person'),
      });
      const group = <Row, Value>(rows: readonly Row[], keyOf: (row: Row) => string, valueFor: (row: Row) => Value) => {
        const map = new Map<string, Value[]>();
        for (const row of rows) map.set(keyOf(row), [...(map.get(keyOf(row)) ?? []), valueFor(row)]);
        return map;
      };
      const assigneesOf = group(
        content.assignees,
        (row) => row.task_id,
        (row) => named(row.assignee_kind, row.assignee_id),
      );
      const dependenciesOf = group(
        content.dependencies,
        (row) => row.task_id,
        (row) => row.depends_on_id,
      );
      const capabilitiesOf = group(
        content.capabilities,
        (row) => row.task_id,
        (row) => row.capability,
      );
      const reactionsOf = group(
        content.reactions,
        (row) => row.message_id,
        (row) => ({ emoji: row.emoji, reactor: named(row.reactor_kind, row.reactor_id), createdAt: row.created_at }),
      );
      const versionsOf = group(
        content.versions,
        (row) => row.document_id,
        (row) => ({
          version: row.version,
          title: row.title,
          content: row.content,
          type: row.type,
          author: named(row.author_kind, row.author_id),
          createdAt: row.created_at,
        }),
      );
      const archive: WorkspaceArchive = {
        formatVersion: workspaceArchiveFormatVersion,
        exportedAt: clock.now().toISOString(),
        workspace: { name: workspace.name, slug: workspace.slug, taskKeyPrefix: workspace.taskKeyPrefix, wipLimits: workspace.wipLimits },
        agents: content.agents
          .filter((agent) => agent.deleted_at === null)
          .map((agent) => ({
            name: agent.name,
            role: agent.role,
            kind: agent.kind,
            sessionKey: agent.session_key,
            capabilities: parseJsonColumn(capabilityListSchema, agent.capabilities, 'agents.capabilities'),
            memoryContext: agent.memory_context,
            heartbeatIntervalSeconds: agent.heartbeat_interval_seconds,
            concurrencyLimit: agent.concurrency_limit,
            createdAt: agent.created_at,
            runtime:
              agent.runtime === null
                ? null
                : {
                    runtime: agent.runtime,
                    provider: agent.provider,
                    model: agent.model,
                    temperature: agent.temperature,
                    stepLimit: agent.step_limit ?? 1,
                    instructions: agent.instructions ?? '',
                  },
          })),
        tasks: content.tasks.map((task) => ({
          id: task.id,
          number: task.number,
          title: task.title,
          description: task.description,
          status: task.status,
          priority: task.priority,
          priorityRank: task.priority_rank,
          creator: named(task.creator_kind, task.creator_id),
          parentId: task.parent_id,
          dueAt: task.due_at,
          createdAt: task.created_at,
          updatedAt: task.updated_at,
          completedAt: task.completed_at,
          assignees: assigneesOf.get(task.id) ?? [],
          dependsOn: dependenciesOf.get(task.id) ?? [],
          capabilities: capabilitiesOf.get(task.id) ?? [],
        })),
        messages: content.messages.map((message) => ({
          id: message.id,
          taskId: message.task_id,
          author: named(message.author_kind, message.author_id),
          type: message.type,
          content: message.content,
          replyToId: message.reply_to_id,
          attachments: parseJsonColumn(attachmentListSchema, message.attachments, 'messages.attachments'),
          reactions: reactionsOf.get(message.id) ?? [],
          createdAt: message.created_at,
        })),
        documents: content.documents.map((document) => ({
          id: document.id,
          taskId: document.task_id,
          title: document.title,
          content: document.content,
          type: document.type,
          version: document.version,
          author: named(document.author_kind, document.author_id),
          createdAt: document.created_at,
          updatedAt: document.updated_at,
          versions: versionsOf.get(document.id) ?? [],
        })),
      };
      await dependencies.audit.recordAuditEntry(db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'workspace.exported',
        targetKind: 'workspace',
        targetId: principal.workspaceId,
        summary: `exported the workspace as an archive (${archive.tasks.length} tasks, ${archive.messages.length} messages, ${archive.documents.length} documents, ${archive.agents.length} agents)`,
        after: {
          tasks: archive.tasks.length,
          messages: archive.messages.length,
          documents: archive.documents.length,
          agents: archive.agents.length,
        },
      });
      return archive;
    },

    /** A new workspace owned by the caller, restored from an archive with new ids, in one transaction. */
    async importWorkspace(principal: Principal, body: unknown): Promise<Workspace> {
      if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'Only people can create workspaces.');
      const parsed = workspaceArchiveSchema.safeParse(body);
      if (!parsed.success) {
        throw invalid(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
      }
      const archive = parsed.data;
      const problems = findArchiveProblems(archive);
      if (problems.length > 0) throw invalid(problems);

      return db.transaction().execute(async (trx) => {
        const highest = archive.tasks.reduce((top, task) => Math.max(top, task.number), 0);
        const workspace = await dependencies.workspaces.createImportedWorkspace(trx, principal, {
          name: archive.workspace.name,
          slug: archive.workspace.slug,
          taskKeyPrefix: archive.workspace.taskKeyPrefix,
          wipLimits: archive.workspace.wipLimits,
          taskCounter: highest,
          agentCount: archive.agents.length,
        });
        const rows = toArchiveRows(archive, workspace.id, { kind: 'user', id: principal.id }, clock.now().toISOString());
        await insertArchiveRows(trx, rows);
        const counts = {
          agents: rows.agents.length,
          tasks: rows.tasks.length,
          messages: rows.messages.length,
          documents: rows.documents.length,
        };
        await appendEvent(trx, {
          workspaceId: workspace.id,
          type: 'workspace-imported',
          actor: { kind: 'user', id: principal.id },
          summary: `restored from an archive: ${counts.tasks} tasks, ${counts.messages} messages, ${counts.documents} documents, ${counts.agents} agents`,
          data: { ...counts, exportedAt: archive.exportedAt },
          at: clock.now(),
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: workspace.id,
          actor: { kind: 'user', id: principal.id },
          action: 'workspace.imported',
          targetKind: 'workspace',
          targetId: workspace.id,
          summary: `created the workspace from an archive exported at ${archive.exportedAt}`,
          after: { ...counts, sourceSlug: archive.workspace.slug },
        });
        return workspace;
      });
    },
  };
}
