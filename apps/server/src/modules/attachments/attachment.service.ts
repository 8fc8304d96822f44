import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FileAttachment } from '@mission-control/contracts';
import { fileTypeFromBuffer } from 'file-type';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { MessageService } from '../messages/message.service.js';
import { createWorkspacePeople } from '../messages/workspace-people.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  type AttachmentRow,
  deleteAttachmentRow,
  deleteAttachmentsOfMessages,
  findAttachment,
  insertAttachment,
  isContentReferenced,
  listAttachmentsOfTask,
} from './attachment.repository.js';
import { createAttachmentStorage } from './attachment-storage.js';

export interface AttachmentServiceDependencies {
  agents: AgentService;
  workspaces: WorkspaceService;
  tasks: TaskService;
  messages: MessageService;
}

export interface AttachmentSettings {
  /** Where SQLite keeps the bytes (a folder of the data directory); unused on PostgreSQL. */
  directory?: string | undefined;
}

/** A file as it came in: the name the client gave and the bytes. */
export interface IncomingFile {
  name: string;
  content: Buffer;
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;

const fallbackName = 'file';

/** Only the last path segment, without control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const lastSegment = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned.slice(0, 255) || fallbackName;
}

/**
 * The type comes from the bytes, never from the client: file-type reads the signatures of binary
 * formats; what it does not know is text when it decodes as UTF-8 without NUL bytes, else bytes.
 */
export async function sniffContentType(content: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(content);
  if (detected) return detected.mime;
  if (content.includes(0)) return 'application/octet-stream';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return 'text/plain';
  } catch {
    return 'application/octet-stream';
  }
}

function attachmentNotFound(attachmentId: string): AppError {
  return new AppError(
    'ATTACHMENT_NOT_FOUND',
    `No attachment ${attachmentId} in your workspace. List a task's attachments with GET /api/v1/tasks/{id}/attachments.`,
  );
}

function toAttachment(row: AttachmentRow): FileAttachment {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    taskId: row.task_id,
    messageId: row.message_id,
    name: row.name,
    size: Number(row.size),
    type: row.type,
    sha256: row.sha256,
    uploadedBy: { kind: row.uploaded_by_kind, id: row.uploaded_by_id },
    createdAt: row.created_at,
  };
}

export function createAttachmentService(
  context: ServiceContext,
  dependencies: AttachmentServiceDependencies,
  settings: AttachmentSettings = {},
) {
  const { db, clock } = context;
  const storage = createAttachmentStorage(context, settings.directory);
  const people = createWorkspacePeople(dependencies);

  async function storeAttachment(
    principal: Principal,
    target: { taskId: string; messageId: string | null },
    file: IncomingFile,
  ): Promise<FileAttachment> {
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const type = await sniffContentType(file.content);
    const actor = toPrincipalReference(principal);
    const actorName = await people.describeActor(principal);
    const now = clock.now();
    const row: AttachmentRow = {
      id: createId(),
      workspace_id: principal.workspaceId,
      task_id: target.taskId,
      message_id: target.messageId,
      name: cleanFileName(file.name),
      size: file.content.length,
      type,
      sha256,
      uploaded_by_kind: actor.kind,
      uploaded_by_id: actor.id,
      created_at: now.toISOString(),
    };
    // The bytes first: a row never points at content that is not there. Bytes without a row are
    // harmless, and the same bytes uploaded again reuse them.
    await storage.saveContent(sha256, file.content);
    await db.transaction().execute(async (trx) => {
      await insertAttachment(trx, row);
      await appendEvent(trx, {
        workspaceId: principal.workspaceId,
        type: 'attachment-added',
        actor,
        taskId: row.task_id,
        summary: `${actorName} attached "${row.name}"`,
        data: { attachmentId: row.id, messageId: row.message_id, name: row.name, size: row.size, type: row.type },
        at: now,
      });
    });
    // A delete of the last attachment with these bytes may have removed them between our write
    // and our commit (it saw no row of ours yet): written again, the row never points at nothing.
    if (!(await storage.hasContent(sha256))) await storage.saveContent(sha256, file.content);
    return toAttachment(row);
  }

  return {
    /** Attaches a file to a task (by id or key). */
    async attachToTask(principal: Principal, taskReference: string, file: IncomingFile): Promise<FileAttachment> {
      assertCan(principal, 'work:write');
      const taskId = await dependencies.tasks.resolveTaskId(principal, taskReference);
      return storeAttachment(principal, { taskId, messageId: null }, file);
    },

    /** Attaches a file to a message; it is listed with the message's task. */
    async attachToMessage(principal: Principal, messageId: string, file: IncomingFile): Promise<FileAttachment> {
      assertCan(principal, 'work:write');
      const message = await dependencies.messages.getMessage(principal, messageId);
      return storeAttachment(principal, { taskId: message.taskId, messageId: message.id }, file);
    },

    async listTaskAttachments(principal: Principal, taskReference: string): Promise<{ data: FileAttachment[] }> {
      assertCan(principal, 'workspace:read');
      const taskId = await dependencies.tasks.resolveTaskId(principal, taskReference);
      return { data: (await listAttachmentsOfTask(db, principal.workspaceId, taskId)).map(toAttachment) };
    },

    /**
     * Deletes an attachment: its uploader, an admin or an owner. The bytes go in the same
     * transaction when no other attachment (of any workspace) has the same content.
     */
    async deleteAttachment(principal: Principal, attachmentId: string): Promise<void> {
      assertCan(principal, 'work:write');
      const actor = toPrincipalReference(principal);
      const actorName = await people.describeActor(principal);
      await db.transaction().execute(async (trx) => {
        const row = await findAttachment(trx, principal.workspaceId, attachmentId);
        if (!row) throw attachmentNotFound(attachmentId);
        const isUploader = row.uploaded_by_kind === actor.kind && row.uploaded_by_id === actor.id;
        if (!isUploader && principal.role !== 'owner' && principal.role !== 'admin') {
          throw new AppError('FORBIDDEN', `Only the uploader of "${row.name}", an admin or an owner can delete it. Ask one of them.`);
        }
        await deleteAttachmentRow(trx, row.id);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'attachment-removed',
          actor,
          taskId: row.task_id,
          summary: `${actorName} deleted the attachment "${row.name}"`,
          data: { attachmentId: row.id, messageId: row.message_id, name: row.name },
          at: clock.now(),
        });
        if (!(await isContentReferenced(trx, row.sha256))) await storage.removeContent(trx, row.sha256);
      });
    },

    /**
     * Retention, in the caller's transaction: deletes the attachment rows of these messages (no
     * event; the purge is audited). Answers the SHA-256 of each: pass them to releaseContents once
     * the transaction committed, so bytes are never removed under a row that stays.
     */
    async deleteAttachmentsOfMessages(executor: DatabaseExecutor, workspaceId: string, messageIds: readonly string[]): Promise<string[]> {
      return deleteAttachmentsOfMessages(executor, workspaceId, messageIds);
    },

    /**
     * Removes the bytes of these hashes that no attachment (of any workspace) refers to any more;
     * answers how many files went. An upload racing it writes its bytes again (see storeAttachment).
     */
    async releaseContents(sha256s: readonly string[]): Promise<number> {
      let removed = 0;
      for (const sha256 of new Set(sha256s)) {
        if (await isContentReferenced(db, sha256)) continue;
        await storage.removeContent(db, sha256);
        removed += 1;
      }
      return removed;
    },

    /** The attachment and its bytes; another workspace's attachment is not found. */
    async openAttachment(principal: Principal, attachmentId: string): Promise<{ attachment: FileAttachment; content: Readable | Buffer }> {
      assertCan(principal, 'workspace:read');
      const row = await findAttachment(db, principal.workspaceId, attachmentId);
      const content = row ? await storage.openContent(row.sha256) : undefined;
      if (!row || !content) throw attachmentNotFound(attachmentId);
      return { attachment: toAttachment(row), content };
    },
  };
}
