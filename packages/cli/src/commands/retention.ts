import type { RetentionSettings } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { printJson, printLines } from '../output.js';
import { clientFor, globalOptions, parseInteger } from './shared.js';

/** "forever" (or "never") keeps content; otherwise a whole number of days. */
function parseDays(name: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'forever' || value === 'never') return null;
  const days = parseInteger(name, value);
  if (days === undefined || days < 1) throw new UsageError(`${name} is a number of days from 1 to 3650, or forever.`);
  return days;
}

function describeDays(days: number | null): string {
  if (days === null) return 'kept forever';
  return `deleted after ${days} ${days === 1 ? 'day' : 'days'}`;
}

function printSettings(settings: RetentionSettings): void {
  printLines(
    `Task messages: ${describeDays(settings.messagesDays)}${settings.messagesDays === null ? '' : ' (threads of open tasks stay)'}.`,
    `Run transcripts: ${describeDays(settings.runsDays)}${settings.runsDays === null ? '' : ' (tokens and cost stay)'}.`,
  );
}

/** Registers `mission retention`: how long the workspace keeps messages and run transcripts. */
export function registerRetentionCommands(program: Command): void {
  program
    .command('retention')
    .description('Show or change how long the workspace keeps task messages and run transcripts')
    .option('--messages-days <days>', 'delete task messages after this many days (1-3650), or forever')
    .option('--runs-days <days>', 'delete run transcripts after this many days (1-3650), or forever')
    .addHelpText(
      'after',
      '\nDeletion is permanent: the hourly purge removes what is older, for good.\n\nExamples:\n  mission retention\n  mission retention --messages-days 90 --runs-days 30\n  mission retention --runs-days forever',
    )
    .action(async (options: { messagesDays?: string; runsDays?: string }, command: Command) => {
      const messagesDays = parseDays('--messages-days', options.messagesDays);
      const runsDays = parseDays('--runs-days', options.runsDays);
      const client = await clientFor(command);
      const change = {
        ...(messagesDays !== undefined ? { messagesDays } : {}),
        ...(runsDays !== undefined ? { runsDays } : {}),
      };
      const settings =
        Object.keys(change).length > 0 ? await client.workspaces.updateRetention(change) : await client.workspaces.retention();
      if (globalOptions(command).json) {
        printJson(settings);
        return;
      }
      printSettings(settings);
    });
}
