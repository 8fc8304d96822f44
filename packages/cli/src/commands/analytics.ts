import { auditActionSchema } from '@mission-control/contracts';
import type { Command } from 'commander';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { clientFor, globalOptions, oneOf, parseInteger } from './shared.js';

/** Registers `mission analytics overview` and `mission audit ls`. */
export function registerAnalyticsCommands(program: Command): void {
  const analytics = program.command('analytics').description('Numbers computed on the server: the command center overview');

  analytics
    .command('overview')
    .description('Tasks per status, agents, messages and events today, reviews waiting, spend today and this month')
    .option('--time-zone <zone>', 'the IANA time zone "today" starts in (default UTC)', 'UTC')
    .addHelpText('after', '\nExamples:\n  mission analytics overview\n  mission analytics overview --time-zone Europe/Paris --json')
    .action(async (options: { timeZone: string }, command: Command) => {
      const client = await clientFor(command);
      const overview = await client.analytics.overview({ timeZone: options.timeZone });
      if (globalOptions(command).json) {
        printJson(overview);
        return;
      }
      const { tasks, agents, spend } = overview;
      printLines(
        `Tasks: ${tasks.total} (inbox ${tasks.inbox}, assigned ${tasks.assigned}, in progress ${tasks.in_progress}, review ${tasks.review}, done ${tasks.done}, blocked ${tasks.blocked}, failed ${tasks.failed}, cancelled ${tasks.cancelled})`,
        `Agents: ${agents.online} online of ${agents.total} (${agents.active} active, ${agents.blocked} blocked)`,
        `Today (${overview.timeZone}): ${overview.messagesToday} messages, ${overview.eventsToday} events; ${overview.openApprovals} waiting in review`,
        `Spend: $${(spend.todayMicroDollars / 1_000_000).toFixed(2)} today, $${(spend.monthMicroDollars / 1_000_000).toFixed(2)} this month (${spend.tokensMonth} tokens)`,
      );
    });

  const audit = program.command('audit').description('The audit trail of privileged and security-relevant actions (owners and admins)');

  audit
    .command('ls')
    .description('List audit entries, newest first')
    .option('--actor <id>', 'only entries by this user or agent id (or "system")')
    .option('--action <action>', `only this action (${auditActionSchema.options.join(', ')})`)
    .option('--from <time>', 'only entries at or after this ISO time')
    .option('--to <time>', 'only entries before this ISO time')
    .option('--limit <n>', 'how many entries (default 50)')
    .addHelpText(
      'after',
      '\nExamples:\n  mission audit ls --action auth.sign-in-failed\n  mission audit ls --from 2026-01-01T00:00:00Z --json',
    )
    .action(async (options: { actor?: string; action?: string; from?: string; to?: string; limit?: string }, command: Command) => {
      const action = oneOf('--action', options.action, auditActionSchema.options);
      const limit = parseInteger('--limit', options.limit) ?? 50;
      const client = await clientFor(command);
      const entries = await client.auditLog
        .list({
          ...(options.actor ? { actor: options.actor } : {}),
          ...(action ? { action } : {}),
          ...(options.from ? { from: options.from } : {}),
          ...(options.to ? { to: options.to } : {}),
          limit: Math.min(limit, 200),
        })
        .toArray(limit);
      if (globalOptions(command).json) {
        printJson(entries);
        return;
      }
      printTable(entries, [
        ['at', (entry) => formatTime(entry.at)],
        ['action', (entry) => entry.action],
        ['actor', (entry) => (entry.actor.id ? `${entry.actor.kind}:${entry.actor.id}` : entry.actor.kind)],
        ['summary', (entry) => entry.summary],
        ['ip', (entry) => entry.ip ?? ''],
      ]);
    });
}
