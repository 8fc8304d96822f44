import { type ClaimResult, type Task, taskPrioritySchema, taskStatusSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { findLease, forgetLease, rememberLease } from '../config.js';
import { UsageError } from '../exit-codes.js';
import { formatTime, printFields, printJson, printLines, printTable } from '../output.js';
import { choice, clientFor, globalOptions, oneOf, parseInteger, resolvePrincipal, splitList } from './shared.js';

/** Agent names by id, to show people-readable assignees (one request; unknown ids stay short ids). */
async function loadAgentNames(client: MissionControl): Promise<Map<string, string>> {
  try {
    const page = await client.agents.list({ limit: 200 }).page();
    return new Map(page.data.map((agent) => [agent.id, agent.name]));
  } catch {
    // Names are a nicety: a credential that may not list agents still sees the tasks.
    return new Map();
  }
}

function assigneeNames(task: Task, names: Map<string, string>): string {
  return task.assignees.map((assignee) => names.get(assignee.id) ?? `${assignee.kind}:${assignee.id.slice(0, 8)}`).join(' ');
}

/** Prints tasks as a table. */
export function printTasks(tasks: readonly Task[], names: Map<string, string>): void {
  printTable(tasks, [
    ['key', (task) => task.key],
    ['status', (task) => task.status],
    ['priority', (task) => task.priority],
    ['title', (task) => task.title],
    ['assignees', (task) => assigneeNames(task, names)],
    ['updated', (task) => formatTime(task.updatedAt)],
  ]);
}

function printClaim(client: MissionControl, claimed: ClaimResult, json: boolean): void {
  rememberLease(client.baseUrl, {
    taskId: claimed.task.id,
    key: claimed.task.key,
    token: claimed.lease.token,
    expiresAt: claimed.lease.expiresAt,
  });
  if (json) {
    printJson(claimed);
    return;
  }
  printLines(
    `Claimed ${claimed.task.key} "${claimed.task.title}" (${claimed.task.priority}), lease until ${formatTime(claimed.lease.expiresAt)}.`,
    `The lease token is remembered: \`mission tasks status ${claimed.task.key} done\` will present it.`,
  );
}

function parseLeaseSeconds(value: string | undefined): { leaseSeconds?: number } {
  const leaseSeconds = parseInteger('--lease', value);
  return leaseSeconds === undefined ? {} : { leaseSeconds };
}

/** Registers `mission tasks ls|create|show|assign|claim|next|status|release`. */
export function registerTaskCommands(program: Command): void {
  const tasks = program.command('tasks').description('The task board: list, create, assign, claim and move tasks (TASK-7 or an id)');

  tasks
    .command('ls')
    .description('List tasks, most recent first')
    .option('--status <statuses>', `comma-separated (${taskStatusSchema.options.join(', ')})`)
    .option('--priority <priorities>', `comma-separated (${taskPrioritySchema.options.join(', ')})`)
    .option('--assignee <agent>', 'assigned to this agent (id, name or me)')
    .option('--mine', 'assigned to me (same as --assignee me)')
    .option('--parent <task>', 'subtasks of this task')
    .option('-q, --query <text>', 'text to find in the title or description')
    .option('--limit <n>', 'at most this many tasks', '50')
    .addHelpText('after', '\nExamples:\n  mission tasks ls --status inbox,assigned\n  mission tasks ls --mine --json | jq -r ".[].key"')
    .action(
      async (
        options: { status?: string; priority?: string; assignee?: string; mine?: boolean; parent?: string; query?: string; limit: string },
        command: Command,
      ) => {
        const client = await clientFor(command);
        const status = splitList(options.status)?.map((value) => choice('--status', value, taskStatusSchema.options));
        const priority = splitList(options.priority)?.map((value) => choice('--priority', value, taskPrioritySchema.options));
        const assignee = options.mine ? 'me' : options.assignee;
        const assigneeId = assignee ? (await resolvePrincipal(client, assignee)).id : undefined;
        const limit = parseInteger('--limit', options.limit) ?? 50;
        const list = await client.tasks
          .list({
            ...(status ? { status } : {}),
            ...(priority ? { priority } : {}),
            ...(assigneeId ? { assigneeId } : {}),
            ...(options.parent ? { parentId: options.parent } : {}),
            ...(options.query ? { q: options.query } : {}),
            limit: Math.min(Math.max(limit, 1), 200),
          })
          .toArray(limit);
        if (globalOptions(command).json) {
          printJson(list);
          return;
        }
        printTasks(list, await loadAgentNames(client));
      },
    );

  tasks
    .command('create <title>')
    .description('Create a task (in the inbox, or assigned with --assign)')
    .option('-d, --description <markdown>', 'the description')
    .option('--priority <priority>', taskPrioritySchema.options.join(', '), 'medium')
    .option('--assign <agents>', 'comma-separated assignees (agent ids or names, me, user:<id>)')
    .option('--parent <task>', 'make it a subtask of this task')
    .option('--capabilities <list>', 'capabilities an agent needs to pick it from the inbox')
    .option('--due <iso-date>', 'due date, such as 2026-02-01T17:00:00Z')
    .addHelpText('after', '\nExample:\n  mission tasks create "Write the launch post" --priority high --assign jarvis')
    .action(
      async (
        title: string,
        options: { description?: string; priority: string; assign?: string; parent?: string; capabilities?: string; due?: string },
        command: Command,
      ) => {
        const client = await clientFor(command);
        const assignees = await Promise.all((splitList(options.assign) ?? []).map((reference) => resolvePrincipal(client, reference)));
        const task = await client.tasks.create({
          title,
          description: options.description ?? '',
          priority: oneOf('--priority', options.priority, taskPrioritySchema.options),
          assignees,
          ...(options.parent ? { parentId: options.parent } : {}),
          requiredCapabilities: splitList(options.capabilities) ?? [],
          ...(options.due ? { dueAt: options.due } : {}),
        });
        if (globalOptions(command).json) {
          printJson(task);
          return;
        }
        printLines(`Created ${task.key} "${task.title}" (${task.status}).`);
      },
    );

  tasks
    .command('show <task>')
    .description('Show a task and its thread')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const task = await client.tasks.get(reference);
      const thread = await client.messages.list(task.id, { limit: 200 }).toArray();
      if (globalOptions(command).json) {
        printJson({ task, messages: thread });
        return;
      }
      printFields([
        ['Task', `${task.key} (${task.id})`],
        ['Title', task.title],
        ['Status', task.status],
        ['Priority', task.priority],
        ['Assignees', assigneeNames(task, await loadAgentNames(client))],
        ['Lease', task.lease ? `${task.lease.holder.kind}:${task.lease.holder.id} until ${formatTime(task.lease.expiresAt)}` : '-'],
        ['Capabilities', task.requiredCapabilities.join(', ')],
        ['Due', formatTime(task.dueAt)],
        ['Updated', formatTime(task.updatedAt)],
      ]);
      if (task.description) printLines('', task.description);
      printLines('', `Thread (${thread.length} message${thread.length === 1 ? '' : 's'}):`);
      for (const message of thread) {
        printLines(
          `  [${formatTime(message.createdAt)}] ${message.author.kind}:${message.author.id.slice(0, 8)} (${message.type}) ${message.id}`,
        );
        printLines(...message.content.split('\n').map((line) => `    ${line}`));
      }
    });

  tasks
    .command('assign <task> <assignees...>')
    .description('Replace the assignees of a task (agent ids or names, me, user:<id>)')
    .addHelpText('after', '\nExample:\n  mission tasks assign TASK-7 jarvis friday')
    .action(async (reference: string, assignees: string[], _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const principals = await Promise.all(assignees.map((assignee) => resolvePrincipal(client, assignee)));
      const task = await client.tasks.assign(reference, principals);
      if (globalOptions(command).json) {
        printJson(task);
        return;
      }
      printLines(`${task.key} is now ${task.status}, assigned to ${assigneeNames(task, await loadAgentNames(client))}.`);
    });

  tasks
    .command('claim <task>')
    .description('Claim a task: you get a lease, and nobody else can claim it while it lasts')
    .option('--lease <seconds>', 'lease length in seconds (30–3600)')
    .action(async (reference: string, options: { lease?: string }, command: Command) => {
      const client = await clientFor(command);
      printClaim(client, await client.tasks.claim(reference, parseLeaseSeconds(options.lease)), globalOptions(command).json === true);
    });

  tasks
    .command('next')
    .description('Claim your best next task (assigned to you first, then inbox tasks you can do)')
    .option('--lease <seconds>', 'lease length in seconds (30–3600)')
    .addHelpText('after', '\nExample:\n  mission tasks next && mission tasks status TASK-7 done --reason "shipped"')
    .action(async (options: { lease?: string }, command: Command) => {
      const client = await clientFor(command);
      const claimed = await client.tasks.claimNext(parseLeaseSeconds(options.lease));
      const json = globalOptions(command).json === true;
      if (!claimed) return json ? printJson(null) : printLines('Nothing is waiting for you.');
      printClaim(client, claimed, json);
    });

  tasks
    .command('status <task> <status>')
    .description(`Move a task (${taskStatusSchema.options.join(', ')}); presents the lease token of your claim`)
    .option('--reason <text>', 'why: shown in the activity feed')
    .option('--lease-token <token>', 'the lease token, when the claim was made elsewhere')
    .addHelpText(
      'after',
      '\nExamples:\n  mission tasks status TASK-7 review --reason "ready for a look"\n  mission tasks status TASK-7 done',
    )
    .action(async (reference: string, status: string, options: { reason?: string; leaseToken?: string }, command: Command) => {
      const client = await clientFor(command);
      const target = choice('status', status, taskStatusSchema.options);
      const leaseToken = options.leaseToken ?? findLease(client.baseUrl, reference)?.token;
      const task = await client.tasks.updateStatus(reference, {
        status: target,
        ...(options.reason ? { reason: options.reason } : {}),
        ...(leaseToken ? { leaseToken } : {}),
      });
      // Leaving in_progress releases the lease on the server.
      if (!task.lease) forgetLease(client.baseUrl, task.id);
      if (globalOptions(command).json) {
        printJson(task);
        return;
      }
      printLines(`${task.key} is now ${task.status}.`);
    });

  tasks
    .command('release <task>')
    .description('Give a claimed task back')
    .option('--to <status>', 'where it goes: assigned, inbox, blocked or failed')
    .option('--reason <text>', 'why')
    .option('--lease-token <token>', 'the lease token, when the claim was made elsewhere')
    .action(async (reference: string, options: { to?: string; reason?: string; leaseToken?: string }, command: Command) => {
      const client = await clientFor(command);
      const leaseToken = options.leaseToken ?? findLease(client.baseUrl, reference)?.token;
      if (!leaseToken) throw new UsageError(`No lease of ${reference} is remembered here: pass --lease-token.`);
      const status = oneOf('--to', options.to, ['inbox', 'assigned', 'blocked', 'failed'] as const);
      const task = await client.tasks.release(reference, {
        leaseToken,
        ...(status ? { status } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
      });
      forgetLease(client.baseUrl, task.id);
      if (globalOptions(command).json) {
        printJson(task);
        return;
      }
      printLines(`Released ${task.key}; it is now ${task.status}.`);
    });
}
