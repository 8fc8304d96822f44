import type { Task } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { taskLine } from './agent-tools.js';
import { completeTaskKeys, renderThread } from './resources.js';

const openStatuses = ['inbox', 'assigned', 'in_progress', 'review', 'blocked'] as const;

/** A prompt of one user message. */
function userPrompt(description: string, text: string): GetPromptResult {
  return { description, messages: [{ role: 'user', content: { type: 'text', text } }] };
}

const listOf = (tasks: Task[]) => (tasks.length ? tasks.map((task) => `- ${taskLine(task)}`).join('\n') : '- none');

/**
 * The prompts: start_my_shift, plan_goal, review_task and write_standup. Each is built from what
 * the caller can see right now (their tasks, the task and its thread, WORKING.md), fetched with the
 * same credential as the tools, and ends by naming the tools to go on with.
 */
export function registerPrompts(server: McpServer, client: MissionControl): void {
  const me = async () => {
    const identity = await client.auth.me();
    return identity.kind === 'agent'
      ? { id: identity.agent.id, name: identity.agent.name, what: `the agent ${identity.agent.name} in ${identity.workspace.name}` }
      : { id: identity.user.id, name: identity.user.name, what: `${identity.user.name}, a person in ${identity.workspace.name}` };
  };
  const myTasks = async (assigneeId: string, status: readonly Task['status'][]) =>
    client.tasks.list({ assigneeId, status: [...status], limit: 100 }).toArray(200);

  server.registerPrompt(
    'start_my_shift',
    {
      title: 'Start my shift',
      description:
        'Catch up at the start of a work session: your open tasks, unread notifications and the team notes, then what to do first.',
    },
    async () => {
      const self = await me();
      const [tasks, notifications, working] = await Promise.all([
        myTasks(self.id, openStatuses),
        client.notifications.list({ unread: true, limit: 20 }).page(),
        client.workingState.get(),
      ]);
      const unread = notifications.data.map((notification) => `- [${notification.reason}] ${notification.content}`);
      return userPrompt(
        `Shift start for ${self.name}: ${tasks.length} open task(s), ${notifications.unreadCount} unread notification(s).`,
        [
          `You are ${self.what}, starting a shift in Mission Control.`,
          '',
          `## Your open tasks (${tasks.length})`,
          listOf(tasks),
          '',
          `## Unread notifications (${notifications.unreadCount})`,
          unread.length ? unread.join('\n') : '- none',
          '',
          `## Team notes (WORKING.md, notes version ${working.version})`,
          working.notes.trim() || '(empty)',
          '',
          'Now: call check_in, answer anything that asks you directly (post_message, then mark_notifications_read), ' +
            'then claim_next_task and read_task before you start. Post progress as you go and finish with update_task_status.',
        ].join('\n'),
      );
    },
  );

  server.registerPrompt(
    'plan_goal',
    {
      title: 'Plan a goal',
      description: 'Break a goal into tasks for the squad, given who is on it, what is already on the board and the team notes.',
      argsSchema: { goal: z.string().min(1).max(2_000).describe('What the team should achieve') },
    },
    async ({ goal }) => {
      const [agents, open, working] = await Promise.all([
        client.agents.list({ limit: 100 }).toArray(200),
        client.tasks.list({ status: [...openStatuses], limit: 100 }).toArray(100),
        client.workingState.get(),
      ]);
      const squad = agents.map(
        (agent) =>
          `- @${agent.name} (${agent.kind}, ${agent.status}): ${agent.role}; capabilities ${agent.capabilities.join(', ') || 'none'}`,
      );
      return userPrompt(
        `A plan for: ${goal}`,
        [
          `Plan this goal for the team: ${goal}`,
          '',
          `## The squad (${agents.length})`,
          squad.length ? squad.join('\n') : '- nobody yet',
          '',
          `## Open tasks on the board (${open.length})`,
          listOf(open),
          '',
          '## Team notes (WORKING.md)',
          working.notes.trim() || '(empty)',
          '',
          'Write a short plan: the steps, their order, and who (by @name or required capability) should do each. ' +
            'Reuse open tasks instead of duplicating them. Then create the work with create_subtasks under one parent task, ' +
            'and record the plan in the notes with update_working_state (pass the version read_working_state gives).',
        ].join('\n'),
      );
    },
  );

  server.registerPrompt(
    'review_task',
    {
      title: 'Review a task',
      description: 'Review a task: its description, its whole thread and its documents, then a verdict.',
      argsSchema: {
        task: completable(z.string().min(1).max(64).describe('The task key (TASK-7) or id'), (value) =>
          completeTaskKeys(client, value ?? ''),
        ),
      },
    },
    async ({ task: reference }) => {
      const task = await client.tasks.get(reference);
      const [messages, documents] = await Promise.all([
        client.messages.list(task.id, { limit: 200 }).toArray(500),
        client.documents.list({ taskId: task.id, limit: 50 }).toArray(50),
      ]);
      const attached = documents.map((document) => `- ${document.id} "${document.title}" (${document.type}, version ${document.version})`);
      return userPrompt(
        `Review of ${task.key}: ${task.title}`,
        [
          `Review ${task.key}. Check that the work does what the description asks, is complete, and that questions in the thread were answered.`,
          '',
          renderThread(task, messages),
          '',
          `## Documents (${documents.length})`,
          attached.length ? attached.join('\n') : '- none',
          '',
          'Read the documents with read_document. Then post your verdict with post_message (what is good, what must change), ' +
            'and move the task with update_task_status: done when it passes, back to in_progress or blocked with a reason when it does not.',
        ].join('\n'),
      );
    },
  );

  server.registerPrompt(
    'write_standup',
    {
      title: 'Write my standup',
      description: 'Draft a standup from your tasks: done, in progress, blocked, next.',
    },
    async () => {
      const self = await me();
      const [done, doing, blocked, next] = await Promise.all([
        myTasks(self.id, ['done']),
        myTasks(self.id, ['in_progress', 'review']),
        myTasks(self.id, ['blocked']),
        myTasks(self.id, ['inbox', 'assigned']),
      ]);
      const recent = done.sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? '')).slice(0, 10);
      return userPrompt(
        `Standup for ${self.name}`,
        [
          `Write a short standup for ${self.name} from these tasks. Three parts: done, doing, blocked (with what would unblock it).`,
          '',
          `## Done lately (${recent.length})`,
          recent.length ? recent.map((task) => `- ${taskLine(task)} (completed ${task.completedAt ?? 'unknown'})`).join('\n') : '- none',
          '',
          `## In progress or in review (${doing.length})`,
          listOf(doing),
          '',
          `## Blocked (${blocked.length})`,
          listOf(blocked),
          '',
          `## Up next (${next.length})`,
          listOf(next),
          '',
          'Keep it under 150 words, name tasks by key, and post it with post_message on the task that matters most, or add it to WORKING.md with update_working_state.',
        ].join('\n'),
      );
    },
  );
}
