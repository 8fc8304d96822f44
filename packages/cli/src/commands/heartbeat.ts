import type { HeartbeatResponse } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, parseDuration, printJson, printLines, printNotice } from '../output.js';
import { clientFor, globalOptions, oneOf, resolveAgentId } from './shared.js';

function printBeat(beat: HeartbeatResponse): void {
  const waiting = [
    `${beat.notifications.unreadCount} unread notification${beat.notifications.unreadCount === 1 ? '' : 's'}`,
    `${beat.assignedTasks.length} assigned task${beat.assignedTasks.length === 1 ? '' : 's'}`,
    ...(beat.lead ? [`${beat.lead.inboxCount} in the inbox`, `${beat.lead.blockedCount} blocked`] : []),
  ];
  printLines(
    `[${formatTime(new Date().toISOString())}] ${beat.agent.name}: ${beat.hasWork ? 'work is waiting' : 'nothing to do'} (${waiting.join(', ')}).`,
  );
  for (const task of beat.assignedTasks) printLines(`  ${task.key} ${task.status} ${task.priority} ${task.title}`);
  for (const notification of beat.notifications.latest) printLines(`  • ${notification.reason}: ${notification.content}`);
}

/** Registers `mission heartbeat`. */
export function registerHeartbeatCommand(program: Command): void {
  program
    .command('heartbeat')
    .description('Tell the server you are alive (renews your leases) and see what is waiting; --every loops until stopped')
    .option('--every <duration>', 'repeat, such as 30s, 5m or 1h')
    .option('--status <status>', 'what you are doing: idle, active or blocked')
    .option('--task <task>', 'the task you are working on')
    .option('--agent <agent>', "which agent (id or name); defaults to the key's agent")
    .addHelpText('after', '\nExamples:\n  mission heartbeat\n  mission heartbeat --every 30s --status active --task TASK-7')
    .action(async (options: { every?: string; status?: string; task?: string; agent?: string }, command: Command) => {
      const interval = options.every === undefined ? undefined : parseDuration(options.every);
      if (options.every !== undefined && (interval === undefined || interval < 1_000)) {
        throw new UsageError(`--every must be a duration of at least 1s, such as 30s or 5m; got "${options.every}".`);
      }
      const client = await clientFor(command);
      const json = globalOptions(command).json === true;
      const status = oneOf('--status', options.status, ['idle', 'active', 'blocked'] as const);
      const agentId = options.agent ? await resolveAgentId(client, options.agent) : undefined;
      const beat = async () => {
        const answer = await client.agents.heartbeat({
          ...(agentId ? { agentId } : {}),
          ...(status ? { status } : {}),
          ...(options.task ? { currentTaskId: options.task } : {}),
        });
        if (json) printJson(answer);
        else printBeat(answer);
      };
      await beat();
      if (interval === undefined) return;
      // A long-running loop: a failed beat is reported and the next one tried on schedule.
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          beat().catch((error: unknown) => printNotice(`heartbeat failed: ${error instanceof Error ? error.message : String(error)}`));
        }, interval);
        const stop = () => {
          clearInterval(timer);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
