import type {
  AddReactionInput,
  ListMessagesQuery,
  Message,
  Page,
  PostMessageInput,
  PrincipalReference,
  TaskStatus,
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
import type { NotificationRequest, NotificationService } from '../notifications/notification.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { TaskClaimService } from '../tasks/task-claim.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  countMessagesBetween,
  deleteMessagesByIds,
  findMessage,
  insertMessage,
  listMessages,
  listMessagesPostedBefore,
  listThreadAuthors,
  type MessageRow,
  toMessage,
} from './message.repository.js';
import { deleteReaction, deleteReactionsOfMessages, insertReaction, listReactions } from './message-reaction.repository.js';
import { createWorkspacePeople } from './workspace-people.js';

export interface MessageServiceDependencies {
  claims: TaskClaimService;
  agents: AgentService;
  workspaces: WorkspaceService;
  tasks: TaskService;
  notifications: NotificationService;
}

const excerptLength = 140;

/** The start of a text on one line, for event data and notifications. */
export function toExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > excerptLength ? `${line.slice(0, excerptLength - 1)}…` : line;
}

function isSamePrincipal(left: PrincipalReference, right: PrincipalReference): boolean {
  return left.kind === right.kind && left.id === right.id;
}

export type MessageService = ReturnType<typeof createMessageService>;

export function createMessageService(context: ServiceContext, dependencies: MessageServiceDependencies) {
  const { db, clock } = context;
  const { tasks, workspaces, notifications } = dependencies;
  const people = createWorkspacePeople(dependencies);

  async function requireMessage(executor: DatabaseExecutor, principal: Principal, messageId: string): Promise<MessageRow> {
    const row = await findMessage(executor, principal.workspaceId, messageId);
    if (!row) {
      throw new AppError(
        'MESSAGE_NOT_FOUND',
        `No message ${messageId} in your workspace. List a task's thread with GET /api/v1/tasks/{taskId}/messages.`,
      );
    }
    return row;
  }

  /**
   * A reply stays in its thread: the message replied to must be on the same task. An id that is
   * not in the workspace at all answers 404 MESSAGE_NOT_FOUND, like any unknown id; a message of
   * another task of the workspace answers 400 VALIDATION_FAILED, because the request is wrong,
   * not the id.
   */
  async function requireReplyTarget(principal: Principal, taskId: string, taskKey: string, replyToId: string): Promise<MessageRow> {
    const target = await requireMessage(db, principal, replyToId);
    if (target.task_id !== taskId) {
      throw new AppError(
        'VALIDATION_FAILED',
        `replyToId ${replyToId} is a message on another task. Reply only to messages of ${taskKey}, or post on that message's task instead.`,
        { replyToId, replyToTaskId: target.task_id },
      );
    }
    return target;
  }

  async function withReactions(executor: DatabaseExecutor, principal: Principal, row: MessageRow): Promise<Message> {
    const reactions = await listReactions(executor, principal.workspaceId, [row.id]);
    return toMessage(row, reactions.get(row.id));
  }

  async function changeReaction(principal: Principal, messageId: string, emoji: string, change: 'add' | 'remove'): Promise<Message> {
    assertCan(principal, 'work:write');
    const actor = toPrincipalReference(principal);
    const message = await requireMessage(db, principal, messageId);
    const taskKey = `${(await workspaces.requireWorkspace(principal.workspaceId)).taskKeyPrefix}-${(await tasks.requireTaskRow(db, principal, message.task_id)).number}`;
    const actorName = await people.describeActor(principal);
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      // The message may have been deleted since it was read; this turns that into a 404.
      const current = await requireMessage(trx, principal, messageId);
      const key = { workspaceId: principal.workspaceId, messageId, emoji, reactor: actor };
      const changed = change === 'add' ? await insertReaction(trx, key, now.toISOString()) : await deleteReaction(trx, key);
      if (changed) {
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: change === 'add' ? 'reaction-added' : 'reaction-removed',
          actor,
          taskId: current.task_id,
          summary: change === 'add' ? `${actorName} reacted ${emoji} on ${taskKey}` : `${actorName} took back ${emoji} on ${taskKey}`,
          data: { messageId, key: taskKey, emoji },
          at: now,
        });
      }
      return withReactions(trx, principal, current);
    });
  }

  return {
    /**
     * Retention, in the caller's transaction: up to `limit` messages of the workspace posted before
     * `before` on tasks in one of `taskStatuses`, oldest first.
     */
    async listMessagesPostedBefore(
      executor: DatabaseExecutor,
      workspaceId: string,
      filter: { before: string; taskStatuses: readonly TaskStatus[]; limit: number },
    ): Promise<{ id: string; taskId: string }[]> {
      const rows = await listMessagesPostedBefore(executor, { workspaceId, ...filter });
      return rows.map((row) => ({ id: row.id, taskId: row.task_id }));
    },

    /**
     * Retention, in the caller's transaction: deletes these messages with their reactions (their
     * search entries go with them, by trigger). No event: the purge is recorded in the audit log.
     * File attachments are the attachments module's: the caller deletes them first.
     */
    async deleteMessages(executor: DatabaseExecutor, workspaceId: string, messageIds: readonly string[]) {
      const reactions = await deleteReactionsOfMessages(executor, workspaceId, messageIds);
      const messages = await deleteMessagesByIds(executor, workspaceId, messageIds);
      return { messages, reactions };
    },

    /** How many messages were posted in [from, to) (for analytics). */
    async countMessagesBetween(principal: Principal, from: string, to: string): Promise<number> {
      assertCan(principal, 'workspace:read');
      return countMessagesBetween(db, principal.workspaceId, from, to);
    },

    async listMessages(principal: Principal, taskReference: string, query: ListMessagesQuery): Promise<Page<Message>> {
      assertCan(principal, 'workspace:read');
      const taskId = await tasks.resolveTaskId(principal, taskReference);
      const rows = await listMessages(db, {
        workspaceId: principal.workspaceId,
        taskId,
        order: query.order,
        afterId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const reactions = await listReactions(
        db,
        principal.workspaceId,
        rows.map((row) => row.id),
      );
      return toPage(
        rows,
        query.limit,
        (row) => toMessage(row, reactions.get(row.id)),
        (row) => row.id,
      );
    },

    async getMessage(principal: Principal, messageId: string): Promise<Message> {
      assertCan(principal, 'workspace:read');
      return withReactions(db, principal, await requireMessage(db, principal, messageId));
    },

    /** Adds the caller's reaction; the same emoji twice is one reaction and one event. */
    async addReaction(principal: Principal, messageId: string, input: AddReactionInput): Promise<Message> {
      return changeReaction(principal, messageId, input.emoji, 'add');
    },

    /** Takes back the caller's reaction; taking back one that is not there changes nothing. */
    async removeReaction(principal: Principal, messageId: string, emoji: string): Promise<Message> {
      return changeReaction(principal, messageId, emoji, 'remove');
    },

    /**
     * Posts on a task's thread. The message, its event and the notifications of everyone it
     * mentions or answers commit together.
     */
    async postMessage(principal: Principal, taskReference: string, input: PostMessageInput): Promise<Message> {
      assertCan(principal, 'work:write');
      const actor = toPrincipalReference(principal);
      // Everything read through other services is read before the transaction (see workspace-people.ts).
      const task = await tasks.requireTaskRow(db, principal, taskReference);
      const taskKey = `${(await workspaces.requireWorkspace(principal.workspaceId)).taskKeyPrefix}-${task.number}`;
      const replyTo = input.replyToId ? await requireReplyTarget(principal, task.id, taskKey, input.replyToId) : null;
      const directory = await people.loadMentionDirectoryFor(principal, [input.content]);
      const mentioned = people.mentionedIn(input.content, directory);
      const participants = replyTo
        ? await people.keepCurrentPeople(principal, await listThreadAuthors(db, principal.workspaceId, replyTo.id))
        : [];
      const actorName = await people.describeActor(principal);

      const now = clock.now();
      const row = {
        id: createId(),
        workspace_id: principal.workspaceId,
        task_id: task.id,
        author_kind: actor.kind,
        author_id: actor.id,
        content: input.content,
        type: input.type,
        reply_to_id: replyTo?.id ?? null,
        attachments: JSON.stringify(input.attachments),
        created_at: now.toISOString(),
      };
      const excerpt = toExcerpt(input.content);
      // One notification per person and message: being mentioned says more than being in the thread.
      const requests: NotificationRequest[] = [
        ...mentioned.map((recipient) => ({
          recipient,
          taskId: task.id,
          reason: 'mentioned' as const,
          content: `${actorName} mentioned you on ${taskKey}: ${excerpt}`,
        })),
        ...participants
          .filter((participant) => !mentioned.some((recipient) => isSamePrincipal(recipient, participant)))
          .map((recipient) => ({
            recipient,
            taskId: task.id,
            reason: 'reply' as const,
            content: `${actorName} replied on ${taskKey}: ${excerpt}`,
          })),
      ];

      await db.transaction().execute(async (trx) => {
        // The task may have been deleted since it was read; this turns that into a 404.
        await tasks.requireTaskRow(trx, principal, task.id);
        if (input.leaseToken) await dependencies.claims.renewLeaseForProgress(trx, principal, task.id, input.leaseToken, taskKey);
        await insertMessage(trx, row);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'message-posted',
          actor,
          taskId: task.id,
          summary: `${actorName} ${replyTo ? 'replied' : 'commented'} on ${taskKey}`,
          data: { messageId: row.id, key: taskKey, type: row.type, replyToId: row.reply_to_id, excerpt },
          at: now,
        });
        await notifications.notifyInTransaction(trx, principal.workspaceId, actor, requests);
      });
      return toMessage(row);
    },
  };
}
