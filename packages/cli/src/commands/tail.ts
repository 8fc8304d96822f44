import type { Command } from 'commander';
import { exitCodeForError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printNotice } from '../output.js';
import { clientFor, globalOptions, parseInteger, resolveAgentId } from './shared.js';

/** Registers `mission tail`. */
export function registerTailCommand(program: Command): void {
  program
    .command('tail')
    .description('Stream events as they happen; reconnects by itself and resumes where it stopped, without duplicates')
    .option('--agent <agent>', 'only what concerns this agent (id, name or me)')
    .option('--after <seq>', 'first replay every event after this sequence number')
    .addHelpText(
      'after',
      '\nExamples:\n  mission tail\n  mission tail --json --after 120 | jq -c "select(.type == \\"task-status-changed\\")"',
    )
    .action(async (options: { agent?: string; after?: string }, command: Command) => {
      const client = await clientFor(command);
      const json = globalOptions(command).json === true;
      const after = parseInteger('--after', options.after);
      const agentId = options.agent ? await resolveAgentId(client, options.agent) : undefined;
      const code = await new Promise<number>((resolve) => {
        const unsubscribe = client.events.subscribe({
          ...(agentId ? { agentId } : {}),
          ...(after !== undefined ? { after } : {}),
          onEvent: (activity, seq) => {
            if (json) printJson(activity);
            else printLines(`#${seq} ${formatTime(activity.createdAt)} ${activity.type.padEnd(22)} ${activity.summary}`);
          },
          onReady: (seq) => printNotice(`live (after #${seq})`),
          onError: (error, state) => {
            if (state.willReconnect) {
              printNotice(`disconnected (${error.message}); reconnecting…`);
              return;
            }
            printNotice(`error ${error.code}: ${error.message}`);
            resolve(exitCodeForError(error));
          },
        });
        const stop = () => {
          unsubscribe();
          resolve(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.exitCode = code;
    });
}
