import {
  type ClaimResult,
  changeTaskStatusSchema,
  claimTaskSchema,
  createTaskSchema,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
  type Message,
  messageSchema,
  postMessageSchema,
  type Task,
  taskReferenceSchema,
  taskSchema,
  taskStatusSchema,
  timestampSchema,
} from '@mission-control/contracts';
import { isMissionControlError, type MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool, taskLine } from './agent-tools.js';
import type { LeaseStore } from './lease-store.js';
import type { LogNotice } from './resource-subscriptions.js';
import { runTool, toolResult } from './results.js';
import { additiveTool, destructiveTool, idempotentTool, readOnlyTool } from './tool-annotations.js';

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

/** What a claim answers: the task, and when the lease ends (the token stays with the session, never with the model). */
const claimOutputSchema = { task: taskSchema, leaseExpiresAt: timestampSchema };

/** check_in, list_my_tasks, claim_next_task, claim_task, update_task_status, post_message, read_task, create_subtasks. */
export function createTaskTools(context: {
  client: MissionControl;
  leases: LeaseStore;
  myPrincipalId: () => Promise<string>;
  onNotice?: LogNotice;
}): AgentTool[] {
  const { client, leases, myPrincipalId } = context;
  const leaseLost = (taskId: string, code: string) => {
    leases.forget(taskId);
    context.onNotice?.('warning', `The lease on ${taskId} was lost (${code}): claim the task again before changing it.`, { taskId, code });
  };
  const isLeaseGone = (error: unknown): error is { code: string } =>
    isMissionControlError(error) && (error.code === 'LEASE_EXPIRED' || error.code === 'LEASE_CONFLICT');
  const keepLease = (claimed: ClaimResult) =>
    leases.remember({ taskId: claimed.task.id, key: claimed.task.key, token: claimed.lease.token, expiresAt: claimed.lease.expiresAt });
  const claimAnswer = (claimed: ClaimResult) => {
    const structured = { task: claimed.task, leaseExpiresAt: claimed.lease.expiresAt };
    return toolResult(`Claimed ${taskLine(claimed.task)}; lease until ${claimed.lease.expiresAt}.`, structured, structured);
  };

  return [
    defineAgentTool({
      name: 'check_in',
      title: 'Check in (heartbeat)',
      description:
        'Tell Mission Control you are alive and see what is waiting for you. Call it at the start of every session and every few minutes while working: it renews the leases of the tasks you hold. ' +
        'Returns your unread notifications, your open assigned tasks (most urgent first), the leases you hold, and hasWork (true when something needs you). Only agents can check in.',
      inputSchema: heartbeatRequestSchema.shape,
      outputSchema: heartbeatResponseSchema.shape,
      annotations: idempotentTool,
      run: (input) =>
        runTool(async () => {
          const beat = await client.agents.heartbeat(input);
          const summary = beat.hasWork
            ? `Work is waiting: ${beat.assignedTasks.length} assigned task(s), ${beat.notifications.unreadCount} unread notification(s).`
            : 'Nothing is waiting for you right now.';
          return toolResult(
            summary,
            {
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
            },
            beat,
          );
        }),
    }),

    defineAgentTool({
      name: 'list_my_tasks',
      title: 'List my tasks',
      description:
        'List the tasks assigned to you. Use it to see your workload or to find a task key. By default only open tasks (inbox, assigned, in_progress, review, blocked); pass statuses to choose. ' +
        'Returns one line per task ("TASK-7 [in_progress, high] title") and the tasks.',
      inputSchema: {
        statuses: z.array(taskStatusSchema).min(1).optional().describe('Only these statuses; open ones by default'),
      },
      outputSchema: { tasks: z.array(taskSchema) },
      annotations: readOnlyTool,
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
            { tasks },
          );
        }),
    }),

    defineAgentTool({
      name: 'claim_next_task',
      title: 'Claim my next task',
      description:
        'Claim the best task for you to work on now: tasks assigned to you first, then inbox tasks whose required capabilities you have, by priority, due date and age. ' +
        'The task moves to in_progress and you hold a lease on it (the token is kept for you). Returns the task (read its description), or task null when nothing is waiting.',
      inputSchema: claimTaskSchema.shape,
      outputSchema: { task: taskSchema.nullable(), leaseExpiresAt: timestampSchema.nullable() },
      annotations: additiveTool,
      run: (input) =>
        runTool(async () => {
          const claimed = await client.tasks.claimNext(input);
          if (!claimed)
            return toolResult('Nothing is waiting for you. Check in again later.', undefined, { task: null, leaseExpiresAt: null });
          keepLease(claimed);
          return claimAnswer(claimed);
        }),
    }),

    defineAgentTool({
      name: 'claim_task',
      title: 'Claim a task',
      description:
        'Claim one specific task by id or key (TASK-7) so nobody else works on it. Use it when you were asked to take a given task; otherwise prefer claim_next_task. ' +
        'Fails with TASK_ALREADY_CLAIMED when another agent holds it. Returns the task and the lease expiry (the token is kept for you).',
      inputSchema: { taskId: taskReferenceSchema, ...claimTaskSchema.shape },
      outputSchema: claimOutputSchema,
      annotations: additiveTool,
      run: ({ taskId, ...input }) =>
        runTool(async () => {
          const claimed = await client.tasks.claim(taskId, input);
          keepLease(claimed);
          return claimAnswer(claimed);
        }),
    }),

    defineAgentTool({
      name: 'update_task_status',
      title: 'Update task status',
      description:
        'Move a task to another status: review when your work is ready to be checked, done when finished, blocked when you cannot go on (say why in reason), failed, or back to assigned/inbox to give it up. ' +
        'The lease token of a claim made in this session is presented for you; leaving in_progress releases the lease. Returns the updated task.',
      inputSchema: { taskId: taskReferenceSchema, ...changeTaskStatusSchema.shape },
      outputSchema: { task: taskSchema },
      annotations: destructiveTool,
      run: ({ taskId, leaseToken, ...input }) =>
        runTool(async () => {
          const held = leases.find(taskId);
          const token = leaseToken ?? held?.token;
          let task: Task;
          try {
            task = await client.tasks.updateStatus(taskId, { ...input, ...(token ? { leaseToken: token } : {}) });
          } catch (error) {
            if (held && isLeaseGone(error)) leaseLost(held.taskId, error.code);
            throw error;
          }
          if (!task.lease) leases.forget(task.id);
          return toolResult(`${task.key} is now ${task.status}.`, task, { task });
        }),
    }),

    defineAgentTool({
      name: 'post_message',
      title: 'Post a message',
      description:
        "Post to a task's thread: progress updates (type status_update), questions, answers, comments. Mention teammates with @name to notify them. " +
        'To reply to a message, pass its id as replyToId (read_task shows the ids). Returns the posted message.',
      inputSchema: { taskId: taskReferenceSchema, ...postMessageSchema.pick({ content: true, type: true, replyToId: true }).shape },
      outputSchema: { message: messageSchema },
      annotations: additiveTool,
      run: ({ taskId, ...input }) =>
        runTool(async () => {
          const held = leases.find(taskId);
          let message: Message;
          try {
            // Progress on a task this session holds carries the lease, which renews it.
            message = await client.messages.post(taskId, { ...input, ...(held ? { leaseToken: held.token } : {}) });
          } catch (error) {
            if (!held || !isLeaseGone(error)) throw error;
            // The lease is gone but the message still belongs in the thread.
            leaseLost(held.taskId, error.code);
            message = await client.messages.post(taskId, input);
          }
          return toolResult(`Posted message ${message.id} to ${taskId}.`, message, { message });
        }),
    }),

    defineAgentTool({
      name: 'read_task',
      title: 'Read a task',
      description:
        'Read a task (by id or key) with its whole thread, oldest message first. Use it before working on a task and to catch up on replies. Returns the task and its messages (with ids to reply to).',
      inputSchema: { taskId: taskReferenceSchema },
      outputSchema: { task: taskSchema, messages: z.array(messageSchema), holdingLease: z.boolean() },
      annotations: readOnlyTool,
      run: ({ taskId }) =>
        runTool(async () => {
          const task = await client.tasks.get(taskId);
          const messages = await client.messages.list(task.id, { limit: 200 }).toArray(500);
          const held = leases.find(task.id);
          return toolResult(
            `${taskLine(task)} — ${messages.length} message(s)${held ? '; you hold its lease' : ''}.`,
            { task, messages },
            { task, messages, holdingLease: held !== undefined },
          );
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
      outputSchema: { parent: taskSchema, tasks: z.array(taskSchema) },
      annotations: additiveTool,
      run: ({ parentTaskId, subtasks }) =>
        runTool(async () => {
          const parent = await client.tasks.get(parentTaskId);
          const created: Task[] = [];
          for (const subtask of subtasks) created.push(await client.tasks.create({ ...subtask, parentId: parent.id }));
          return toolResult(`Created ${created.length} subtask(s) of ${parent.key}:\n${created.map(taskLine).join('\n')}`, created, {
            parent,
            tasks: created,
          });
        }),
    }),
  ];
}
