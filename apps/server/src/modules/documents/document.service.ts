import type {
  CreateDocumentInput,
  Document,
  DocumentSummary,
  DocumentType,
  DocumentVersion,
  DocumentVersionSummary,
  ListDocumentsQuery,
  ListDocumentVersionsQuery,
  Page,
  PrincipalReference,
  RestoreDocumentVersionInput,
  UpdateDocumentInput,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { DocumentTemplateService } from '../document-templates/document-template.service.js';
import type { MentionDirectory } from '../messages/mentions.js';
import { createWorkspacePeople } from '../messages/workspace-people.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  type DocumentRow,
  deleteDocumentRow,
  findDocument,
  findDocumentVersion,
  insertDocument,
  insertDocumentVersion,
  listDocuments,
  listDocumentVersions,
  toDocument,
  toDocumentSummary,
  toDocumentVersion,
  toDocumentVersionSummary,
  updateDocumentAtVersion,
} from './document.repository.js';

export interface DocumentServiceDependencies {
  agents: AgentService;
  workspaces: WorkspaceService;
  tasks: TaskService;
  notifications: NotificationService;
  templates: DocumentTemplateService;
}

/** What a revision may change; left-out fields keep their current value. */
interface DocumentRevision {
  title?: string | undefined;
  content?: string | undefined;
  type?: DocumentType | undefined;
  /** A task id or key, null to unlink. */
  taskReference?: string | null | undefined;
  baseVersion?: number | undefined;
  /** Set when the revision restores an earlier version. */
  restoredFrom?: number | undefined;
}

/** The fields a revision compares, under the names the API uses. */
const revisableFields = [
  ['title', 'title'],
  ['content', 'content'],
  ['type', 'type'],
  ['task_id', 'taskId'],
] as const;

function isSamePrincipal(left: PrincipalReference, right: PrincipalReference): boolean {
  return left.kind === right.kind && left.id === right.id;
}

function versionConflict(documentId: string, currentVersion: number, baseVersion?: number) {
  const yours = baseVersion === undefined ? 'it changed while you were saving' : `you edited version ${baseVersion}`;
  return new AppError(
    'DOCUMENT_VERSION_CONFLICT',
    `Document ${documentId} is at version ${currentVersion}, but ${yours}. Fetch the current version, merge your changes into it and send them with baseVersion ${currentVersion}.`,
    { currentVersion },
  );
}

export type DocumentService = ReturnType<typeof createDocumentService>;

export function createDocumentService(context: ServiceContext, dependencies: DocumentServiceDependencies) {
  const { db, engine, clock } = context;
  const { tasks, notifications } = dependencies;
  const people = createWorkspacePeople(dependencies);

  async function requireDocument(executor: DatabaseExecutor, principal: Principal, documentId: string): Promise<DocumentRow> {
    const row = await findDocument(executor, principal.workspaceId, documentId);
    if (!row)
      throw new AppError('DOCUMENT_NOT_FOUND', `No document ${documentId} in your workspace. List documents with GET /api/v1/documents.`);
    return row;
  }

  async function resolveTaskReference(executor: DatabaseExecutor, principal: Principal, reference: string | null): Promise<string | null> {
    return reference === null ? null : (await tasks.requireTaskRow(executor, principal, reference)).id;
  }

  function mentionNotifications(
    recipients: readonly PrincipalReference[],
    document: { title: string; task_id: string | null },
    actorName: string,
  ) {
    return recipients.map((recipient) => ({
      recipient,
      taskId: document.task_id,
      reason: 'mentioned' as const,
      content: `${actorName} mentioned you in the document "${document.title}"`,
    }));
  }

  /**
   * Applies a revision as one new version: the row, its version snapshot, the event and the
   * notifications of people newly mentioned commit together. A revision that changes nothing
   * makes no version.
   */
  async function reviseDocument(principal: Principal, documentId: string, revision: DocumentRevision): Promise<Document> {
    assertCan(principal, 'work:write');
    const actor = toPrincipalReference(principal);
    // Read through other services before the transaction (see messages/workspace-people.ts).
    const directory: MentionDirectory | null =
      revision.content === undefined ? null : await people.loadMentionDirectoryFor(principal, [revision.content]);
    const actorName = await people.describeActor(principal);
    const now = clock.now();

    return db.transaction().execute(async (trx) => {
      const current = await requireDocument(trx, principal, documentId);
      if (revision.baseVersion !== undefined && revision.baseVersion !== current.version) {
        throw versionConflict(current.id, current.version, revision.baseVersion);
      }
      const next = {
        title: revision.title ?? current.title,
        content: revision.content ?? current.content,
        type: revision.type ?? current.type,
        task_id:
          revision.taskReference === undefined ? current.task_id : await resolveTaskReference(trx, principal, revision.taskReference),
      };
      const fields = revisableFields.filter(([column]) => next[column] !== current[column]).map(([, field]) => field);
      if (fields.length === 0) return toDocument(current);

      const version = current.version + 1;
      const changes = { ...next, author_kind: actor.kind, author_id: actor.id, version, updated_at: now.toISOString() };
      if (!(await updateDocumentAtVersion(trx, current.id, current.version, changes))) {
        // Another edit of the same version committed first; its row is visible now.
        const latest = await requireDocument(trx, principal, documentId);
        throw versionConflict(current.id, latest.version, revision.baseVersion);
      }
      await insertDocumentVersion(trx, {
        document_id: current.id,
        version,
        workspace_id: current.workspace_id,
        title: next.title,
        content: next.content,
        type: next.type,
        author_kind: actor.kind,
        author_id: actor.id,
        created_at: now.toISOString(),
      });
      await appendEvent(trx, {
        workspaceId: principal.workspaceId,
        type: 'document-versioned',
        actor,
        // Unlinking still shows in the history of the task it left.
        taskId: next.task_id ?? current.task_id,
        summary:
          revision.restoredFrom === undefined
            ? `${actorName} updated "${next.title}" to version ${version} (${fields.join(', ')})`
            : `${actorName} restored "${next.title}" to version ${revision.restoredFrom} as version ${version}`,
        data: {
          documentId: current.id,
          title: next.title,
          version,
          fields,
          ...(revision.restoredFrom === undefined ? {} : { restoredFrom: revision.restoredFrom }),
        },
        at: now,
      });
      if (fields.includes('content')) {
        // Only people the new text mentions and the previous one did not: an edit elsewhere in
        // a document does not notify everyone it has always mentioned.
        const before = people.mentionedIn(current.content, directory);
        const newlyMentioned = people
          .mentionedIn(next.content, directory)
          .filter((recipient) => !before.some((earlier) => isSamePrincipal(earlier, recipient)));
        await notifications.notifyInTransaction(trx, principal.workspaceId, actor, mentionNotifications(newlyMentioned, next, actorName));
      }
      return toDocument({ ...current, ...changes });
    });
  }

  /** A template gives a document its type, and its content unless the request wrote its own. */
  async function fillFromTemplate(principal: Principal, input: CreateDocumentInput, templateId: string): Promise<CreateDocumentInput> {
    const template = await dependencies.templates.requireTemplate(principal, templateId);
    return { ...input, content: input.content || template.content, type: template.type };
  }

  return {
    async listDocuments(principal: Principal, query: ListDocumentsQuery): Promise<Page<DocumentSummary>> {
      assertCan(principal, 'workspace:read');
      const taskId = query.taskId ? await tasks.resolveTaskId(principal, query.taskId) : undefined;
      const rows = await listDocuments(db, engine, {
        workspaceId: principal.workspaceId,
        type: query.type,
        taskId,
        text: query.q,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(rows, query.limit, toDocumentSummary, (row) => row.id);
    },

    async getDocument(principal: Principal, documentId: string): Promise<Document> {
      assertCan(principal, 'workspace:read');
      return toDocument(await requireDocument(db, principal, documentId));
    },

    async createDocument(principal: Principal, given: CreateDocumentInput): Promise<Document> {
      assertCan(principal, 'work:write');
      const input = given.templateId ? await fillFromTemplate(principal, given, given.templateId) : given;
      const actor = toPrincipalReference(principal);
      const directory = await people.loadMentionDirectoryFor(principal, [input.content]);
      const actorName = await people.describeActor(principal);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row: DocumentRow = {
          id: createId(),
          workspace_id: principal.workspaceId,
          task_id: input.taskId ? await resolveTaskReference(trx, principal, input.taskId) : null,
          title: input.title,
          content: input.content,
          type: input.type,
          author_kind: actor.kind,
          author_id: actor.id,
          version: 1,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        };
        await insertDocument(trx, row);
        await insertDocumentVersion(trx, {
          document_id: row.id,
          version: 1,
          workspace_id: row.workspace_id,
          title: row.title,
          content: row.content,
          type: row.type,
          author_kind: row.author_kind,
          author_id: row.author_id,
          created_at: row.created_at,
        });
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'document-created',
          actor,
          taskId: row.task_id,
          summary: `${actorName} created the ${row.type} "${row.title}"`,
          data: { documentId: row.id, title: row.title, type: input.type, version: 1 },
          at: now,
        });
        await notifications.notifyInTransaction(
          trx,
          principal.workspaceId,
          actor,
          mentionNotifications(people.mentionedIn(row.content, directory), row, actorName),
        );
        return toDocument(row);
      });
    },

    /** Edits a document; every change is a new version. baseVersion turns a lost update into a 409. */
    async updateDocument(principal: Principal, documentId: string, input: UpdateDocumentInput): Promise<Document> {
      return reviseDocument(principal, documentId, {
        title: input.title,
        content: input.content,
        type: input.type,
        taskReference: input.taskId,
        baseVersion: input.baseVersion,
      });
    },

    /** Makes a new version with the title, content and type of an earlier one; history is kept. */
    async restoreDocumentVersion(
      principal: Principal,
      documentId: string,
      version: number,
      input: RestoreDocumentVersionInput,
    ): Promise<Document> {
      assertCan(principal, 'work:write');
      const document = await requireDocument(db, principal, documentId);
      const old = await findDocumentVersion(db, principal.workspaceId, document.id, version);
      if (!old) {
        throw new AppError(
          'DOCUMENT_VERSION_NOT_FOUND',
          `Document ${documentId} has no version ${version}; it is at version ${document.version}. List versions with GET /api/v1/documents/${documentId}/versions.`,
        );
      }
      return reviseDocument(principal, documentId, {
        title: old.title,
        content: old.content,
        type: old.type,
        baseVersion: input.baseVersion,
        restoredFrom: version,
      });
    },

    async deleteDocument(principal: Principal, documentId: string): Promise<void> {
      assertCan(principal, 'work:write');
      const actorName = await people.describeActor(principal);
      await db.transaction().execute(async (trx) => {
        const current = await requireDocument(trx, principal, documentId);
        await deleteDocumentRow(trx, current.id);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'document-deleted',
          actor: toPrincipalReference(principal),
          taskId: current.task_id,
          summary: `${actorName} deleted "${current.title}"`,
          data: { documentId: current.id, title: current.title, version: current.version },
          at: clock.now(),
        });
      });
    },

    async listDocumentVersions(
      principal: Principal,
      documentId: string,
      query: ListDocumentVersionsQuery,
    ): Promise<Page<DocumentVersionSummary>> {
      assertCan(principal, 'workspace:read');
      const document = await requireDocument(db, principal, documentId);
      const rows = await listDocumentVersions(db, {
        workspaceId: principal.workspaceId,
        documentId: document.id,
        beforeVersion: decodeCursor(query.cursor, 'number'),
        limit: query.limit + 1,
      });
      return toPage(rows, query.limit, toDocumentVersionSummary, (row) => row.version);
    },

    async getDocumentVersion(principal: Principal, documentId: string, version: number): Promise<DocumentVersion> {
      assertCan(principal, 'workspace:read');
      const document = await requireDocument(db, principal, documentId);
      const row = await findDocumentVersion(db, principal.workspaceId, document.id, version);
      if (!row) {
        throw new AppError(
          'DOCUMENT_VERSION_NOT_FOUND',
          `Document ${documentId} has no version ${version}; it is at version ${document.version}. List versions with GET /api/v1/documents/${documentId}/versions.`,
        );
      }
      return toDocumentVersion(row);
    },
  };
}
