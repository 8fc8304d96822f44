import {
  type ClaimResult,
  changeTaskStatusSchema,
  claimTaskSchema,
  createDocumentSchema,
  createTaskSchema,
  heartbeatRequestSchema,
  idSchema,
  type Me,
  type Message,
  markdownSchema,
  postMessageSchema,
  type Task,
  taskReferenceSchema,
  taskStatusSchema,
  updateDocumentSchema,
  updateWorkingStateSchema,
} from '@mission-control/contracts';
import { isMissionControlError, type MissionControl } from '@mission-control/sdk';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { createAttachmentTools } from './attachment-tools.js';
import { createDocumentShareTools } from './document-share-tools.js';
import { createGithubTools } from './github-tools.js';
import { LeaseStore } from './lease-store.js';
import { createMemoryTools } from './memory-tools.js';
import { invalidInput, runTool, toolResult } from './results.js';
import { createSkillTools } from './skill-tools.js';
import { createWorkflowTools } from './workflow-tools.js';

/**
 * One tool of the agent tool set, independent of the transport: the MCP server registers these,
 * and the built-in runtime hands the same definitions to its model loop ("one definition, two
 * transports"), so a fix to a description or a behaviour reaches both.
 */
export interface AgentTool {
  name: string;
  title: string;
  /** Written for a model: when to use the tool and what it returns. */
  description: string;
  /** The arguments as a zod shape (an object schema's `.shape`). */
  inputSchema: z.ZodRawShape;
  /** Runs the tool on arguments already validated against inputSchema; never throws (failures are tool errors). */
  run(input: Record<string, unknown>): Promise<CallToolResult>;
}

/** What the tools act with: the caller's SDK client and the lease tokens its claims received. */
export interface AgentToolContext {
  client: MissionControl;
  /** Shared by the tools of one session so update_task_status can present the lease claim_task got. */
  leases?: LeaseStore;
}

/** Keeps each tool's argument types while the list holds them all under one type. */
export function defineAgentTool<Shape extends z.ZodRawShape>(definition: {
  name: string;
  title: string;
  description: string;
  inputSchema: Shape;
  run(input: z.output<z.ZodObject<Shape>>): Promise<CallToolResult>;
}): AgentTool {
  return { ...definition, run: (input) => definition.run(input as z.output<z.ZodObject<Shape>>) };
}

const openStatuses = ['inbox', 'assigned', 'in_progress', 'review', 'blocked'] as const;

/** The task fields a model sets when it breaks work down. */
const subtaskSchema = createTaskSchema.pick({
  title: true,
  description: true,
  priority: true,
  requiredCapabilities: true,
  assignees: true,
  dueAt: true,
});

/** One line per task, the form every tool answers tasks in. */
export function taskLine(task: Task): string {
  return `${task.key} [${task.status}, ${task.priority}] ${task.title}`;
}

/** The agent tool set: check in, list and claim tasks, update status, messages, subtasks, documents, WORKING.md, notifications. */
export function createAgentTools(context: AgentToolContext): AgentTool[] {
  const { client } = context;
  const leases = context.leases ?? new LeaseStore();
  let identity: Promise<Me> | undefined;
  const whoAmI = () => {
    identity ??= client.auth.me().catch((error: unknown) => {
      identity = undefined;
      throw error;
    });
    return identity;
  };
  const myPrincipalId = async () => {
    const me = await whoAmI();
    return me.kind === 'agent' ? me.agent.id : me.user.id;
  };
  const keepLease = (claimed: ClaimResult) =>
    leases.remember({ taskId: claimed.task.id, key: claimed.task.key, token: claimed.lease.token, expiresAt: claimed.lease.expiresAt });

  return [
    defineAgentTool({
      name: 'check_in',
      title: 'Check in (heartbeat)',
      description:
        'Tell Mission Control you are alive and see what is waiting for you. Call it at the start of every session and every few minutes while working: it renews the leases of the tasks you hold. ' +
        'Returns your unread notifications, your open assigned tasks (most urgent first), the leases you hold, and hasWork (true when something needs you). Only agents can check in.',
      inputSchema: heartbeatRequestSchema.shape,
      run: (input) =>
        runTool(async () => {
          const beat = await client.agents.heartbeat(input);
          const summary = beat.hasWork
            ? `Work is waiting: ${beat.assignedTasks.length} assigned task(s), ${beat.notifications.unreadCount} unread notification(s).`
            : 'Nothing is waiting for you right now.';
          return toolResult(summary, {
            hasWork: beat.hasWork,
            assignedTasks: beat.assignedTasks.map(taskLine),
            unreadNotifications: beat.notifications.unreadCount,
            latestNotifications: beat.notifications.latest.map((notification) => ({
              id: notification.id,
              reason: notification.reason,
              taskId: notification.taskId,
              content: notification.content,
            })),
            leases: beat.leases,
            lead: beat.lead,
            nextHeartbeatDueAt: beat.nextHeartbeatDueAt,
          });
        }),
    }),

    defineAgentTool({
      name: 'list_my_tasks',
      title: 'List my tasks',
      description:
        'List the tasks assigned to you. Use it to see your workload or to find a task key. By default only open tasks (inbox, assigned, in_progress, review, blocked); pass statuses to choose. ' +
        'Returns one line per task ("TASK-7 [in_progress, high] title") and the tasks as JSON.',
      inputSchema: {
        statuses: z.array(taskStatusSchema).min(1).optional().describe('Only these statuses; open ones by default'),
      },
      run: ({ statuses }) =>
        runTool(async () => {
          const assigneeId = await myPrincipalId();
          const tasks = await client.tasks.list({ assigneeId, status: statuses ?? [...openStatuses], limit: 100 }).toArray(200);
          return toolResult(
            tasks.length ? tasks.map(taskLine).join('\n') : 'No tasks match.',
            tasks.map((task) => ({
              id: task.id,
              key: task.key,
              title: task.title,
              status: task.status,
              priority: task.priority,
              dueAt: task.dueAt,
            })),
          );
        }),
    }),

    defineAgentTool({
      name: 'claim_next_task',
      title: 'Claim my next task',
      description:
        'Claim the best task for you to work on now: tasks assigned to you first, then inbox tasks whose required capabilities you have, by priority, due date and age. ' +
        'The task moves to in_progress and you hold a lease on it (the token is kept for you). Returns the task (read its description) or says nothing is waiting.',
      inputSchema: claimTaskSchema.shape,
      run: (input) =>
        runTool(async () => {
          const claimed = await client.tasks.claimNext(input);
          if (!claimed) return toolResult('Nothing is waiting for you. Check in again later.');
          keepLease(claimed);
          return toolResult(`Claimed ${taskLine(claimed.task)}; lease until ${claimed.lease.expiresAt}.`, {
            task: claimed.task,
            leaseExpiresAt: claimed.lease.expiresAt,
          });
        }),
    }),

    defineAgentTool({
      name: 'claim_task',
      title: 'Claim a task',
      description:
        'Claim one specific task by id or key (TASK-7) so nobody else works on it. Use it when you were asked to take a given task; otherwise prefer claim_next_task. ' +
        'Fails with TASK_ALREADY_CLAIMED when another agent holds it. Returns the task and the lease expiry (the token is kept for you).',
      inputSchema: { taskId: taskReferenceSchema, ...claimTaskSchema.shape },
      run: ({ taskId, ...input }) =>
        runTool(async () => {
          const claimed = await client.tasks.claim(taskId, input);
          keepLease(claimed);
          return toolResult(`Claimed ${taskLine(claimed.task)}; lease until ${claimed.lease.expiresAt}.`, {
            task: claimed.task,
            leaseExpiresAt: claimed.lease.expiresAt,
          });
        }),
    }),

    defineAgentTool({
      name: 'update_task_status',
      title: 'Update task status',
      description:
        'Move a task to another status: review when your work is ready to be checked, done when finished, blocked when you cannot go on (say why in reason), failed, or back to assigned/inbox to give it up. ' +
        'The lease token of a claim made in this session is presented for you; leaving in_progress releases the lease. Returns the updated task.',
      inputSchema: { taskId: taskReferenceSchema, ...changeTaskStatusSchema.shape },
      run: ({ taskId, leaseToken, ...input }) =>
        runTool(async () => {
          const token = leaseToken ?? leases.find(taskId)?.token;
          const task = await client.tasks.updateStatus(taskId, { ...input, ...(token ? { leaseToken: token } : {}) });
          if (!task.lease) leases.forget(task.id);
          return toolResult(`${task.key} is now ${task.status}.`, task);
        }),
    }),

    defineAgentTool({
      name: 'post_message',
      title: 'Post a message',
      description:
        "Post to a task's thread: progress updates (type status_update), questions, answers, comments. Mention teammates with @name to notify them. " +
        'To reply to a message, pass its id as replyToId (read_task shows the ids). Returns the posted message.',
      inputSchema: { taskId: taskReferenceSchema, ...postMessageSchema.pick({ content: true, type: true, replyToId: true }).shape },
      run: ({ taskId, ...input }) =>
        runTool(async () => {
          const held = leases.find(taskId);
          let message: Message;
          try {
            // Progress on a task this session holds carries the lease, which renews it.
            message = await client.messages.post(taskId, { ...input, ...(held ? { leaseToken: held.token } : {}) });
          } catch (error) {
            const leaseGone = isMissionControlError(error) && (error.code === 'LEASE_EXPIRED' || error.code === 'LEASE_CONFLICT');
            if (!held || !leaseGone) throw error;
            // The lease is gone but the message still belongs in the thread.
            leases.forget(held.taskId);
            message = await client.messages.post(taskId, input);
          }
          return toolResult(`Posted message ${message.id} to ${taskId}.`, message);
        }),
    }),

    defineAgentTool({
      name: 'read_task',
      title: 'Read a task',
      description:
        'Read a task (by id or key) with its whole thread, oldest message first. Use it before working on a task and to catch up on replies. Returns the task and its messages (with ids to reply to).',
      inputSchema: { taskId: taskReferenceSchema },
      run: ({ taskId }) =>
        runTool(async () => {
          const task = await client.tasks.get(taskId);
          const messages = await client.messages.list(task.id, { limit: 200 }).toArray(500);
          const held = leases.find(task.id);
          return toolResult(`${taskLine(task)} — ${messages.length} message(s)${held ? '; you hold its lease' : ''}.`, { task, messages });
        }),
    }),

    defineAgentTool({
      name: 'create_subtasks',
      title: 'Create subtasks',
      description:
        'Break a task into smaller tasks that point to it as their parent. Use it to plan work or hand parts to teammates (assignees) or to whoever has the requiredCapabilities. Returns the created tasks with their keys.',
      inputSchema: {
        parentTaskId: taskReferenceSchema.describe('The task to break down (id or key)'),
        subtasks: z.array(subtaskSchema).min(1).max(20),
      },
      run: ({ parentTaskId, subtasks }) =>
        runTool(async () => {
          const parent = await client.tasks.get(parentTaskId);
          const created: Task[] = [];
          for (const subtask of subtasks) created.push(await client.tasks.create({ ...subtask, parentId: parent.id }));
          return toolResult(`Created ${created.length} subtask(s) of ${parent.key}:\n${created.map(taskLine).join('\n')}`, created);
        }),
    }),

    defineAgentTool({
      name: 'write_document',
      title: 'Write a document',
      description:
        'Create a markdown document (give title and content, optionally taskId to attach it) or, with documentId, write a new version of one. ' +
        "Pass baseVersion (the version you read) to avoid overwriting someone else's edit. Use documents for deliverables and research that outlive a message. Returns the document with its id and version.",
      inputSchema: {
        documentId: idSchema.optional().describe('Leave out to create a new document'),
        title: createDocumentSchema.shape.title.optional().describe('Required when creating'),
        content: markdownSchema.describe('The full markdown content'),
        type: createDocumentSchema.shape.type.unwrap().optional(),
        taskId: taskReferenceSchema.optional().describe('Attach the document to this task'),
        baseVersion: updateDocumentSchema.shape.baseVersion,
      },
      run: ({ documentId, title, content, type, taskId, baseVersion }) =>
        runTool(async () => {
          if (!documentId && !title) return invalidInput('give a title to create a document, or a documentId to update one.');
          const document = documentId
            ? await client.documents.update(documentId, {
                content,
                ...(title ? { title } : {}),
                ...(type ? { type } : {}),
                ...(taskId ? { taskId } : {}),
                ...(baseVersion ? { baseVersion } : {}),
              })
            : await client.documents.create({ title: title ?? '', content, ...(type ? { type } : {}), ...(taskId ? { taskId } : {}) });
          return toolResult(`Wrote "${document.title}" version ${document.version} (id ${document.id}).`, {
            id: document.id,
            title: document.title,
            version: document.version,
            taskId: document.taskId,
            type: document.type,
          });
        }),
    }),

    defineAgentTool({
      name: 'read_document',
      title: 'Read a document',
      description:
        'Read a document by id (the latest version, or an older one with version). To find documents of a task, read_task first or ask for the id. Returns the title, version and markdown content.',
      inputSchema: { documentId: idSchema, version: z.number().int().min(1).optional().describe('An older version') },
      run: ({ documentId, version }) =>
        runTool(async () => {
          const document =
            version === undefined ? await client.documents.get(documentId) : await client.documents.getVersion(documentId, version);
          return toolResult(`"${document.title}" version ${document.version}:\n\n${document.content}`);
        }),
    }),

    defineAgentTool({
      name: 'read_working_state',
      title: 'Read WORKING.md',
      description:
        "Read the team's shared WORKING.md: agents and their status, tasks by column, recent activity, and the notes everyone keeps. Read it at the start of a session and before updating it. " +
        'Returns the markdown and the notes version (pass it to update_working_state).',
      inputSchema: {},
      run: () =>
        runTool(async () => {
          const state = await client.workingState.get();
          return toolResult(`WORKING.md, notes version ${state.version}:\n\n${state.markdown}`);
        }),
    }),

    defineAgentTool({
      name: 'update_working_state',
      title: 'Update WORKING.md notes',
      description:
        "Replace the notes section of WORKING.md (the team's shared plan and state). Read it first (read_working_state) and pass the version you read; " +
        'if someone wrote since, you get PRECONDITION_FAILED: read again, merge, retry. Returns the new version.',
      inputSchema: {
        notes: updateWorkingStateSchema.shape.notes,
        version: z.number().int().min(0).describe('The notes version you read'),
      },
      run: ({ notes, version }) =>
        runTool(async () => {
          const state = await client.workingState.update({ notes, version });
          return toolResult(`Saved the notes as version ${state.version}.`);
        }),
    }),

    defineAgentTool({
      name: 'list_notifications',
      title: 'List notifications',
      description:
        'List your notifications (mentions, assignments, replies, status changes), newest first; unread only by default. Returns them with ids to mark read and the task each is about.',
      inputSchema: { unreadOnly: z.boolean().default(true).describe('Only unread notifications') },
      run: ({ unreadOnly }) =>
        runTool(async () => {
          const page = await client.notifications.list({ ...(unreadOnly ? { unread: true } : {}), limit: 50 }).page();
          return toolResult(
            `${page.unreadCount} unread notification(s).`,
            page.data.map((notification) => ({
              id: notification.id,
              reason: notification.reason,
              taskId: notification.taskId,
              content: notification.content,
              read: notification.readAt !== null,
              createdAt: notification.createdAt,
            })),
          );
        }),
    }),

    defineAgentTool({
      name: 'mark_notifications_read',
      title: 'Mark notifications read',
      description:
        'Mark notifications read once you have dealt with them: the given ids, or all of them with all: true. Returns how many changed.',
      inputSchema: {
        notificationIds: z.array(idSchema).max(100).optional(),
        all: z.boolean().optional().describe('Mark every notification read'),
      },
      run: ({ notificationIds, all }) =>
        runTool(async () => {
          if (all) return toolResult(`Marked ${await client.notifications.markAllRead()} notification(s) read.`);
          if (!notificationIds?.length) return invalidInput('give notificationIds, or all: true.');
          for (const id of notificationIds) await client.notifications.markRead(id);
          return toolResult(`Marked ${notificationIds.length} notification(s) read.`);
        }),
    }),

    ...createGithubTools(client),
    ...createWorkflowTools(client),
    ...createMemoryTools(client, myPrincipalId),
    ...createSkillTools(client),
    ...createAttachmentTools(client),
    ...createDocumentShareTools(client),
  ];
}
