import { messageTypeSchema } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable, readStdin } from '../output.js';
import { clientFor, globalOptions, oneOf } from './shared.js';

/** Registers `mission messages ls|post`. */
export function registerMessageCommands(program: Command): void {
  const messages = program.command('messages').description("A task's thread: read it and post to it");

  messages
    .command('ls <task>')
    .description('List the thread of a task, oldest first')
    .option('--limit <n>', 'at most this many messages', '200')
    .action(async (reference: string, options: { limit: string }, command: Command) => {
      const client = await clientFor(command);
      const limit = Math.max(1, Number(options.limit) || 200);
      const thread = await client.messages.list(reference, { limit: Math.min(limit, 200) }).toArray(limit);
      if (globalOptions(command).json) {
        printJson(thread);
        return;
      }
      printTable(thread, [
        ['id', (message) => message.id],
        ['at', (message) => formatTime(message.createdAt)],
        ['author', (message) => `${message.author.kind}:${message.author.id.slice(0, 8)}`],
        ['type', (message) => message.type],
        ['content', (message) => message.content],
      ]);
    });

  messages
    .command('post <task> [content...]')
    .description('Post a message to a task (content from the arguments, or stdin when left out or "-"); @name mentions notify')
    .option('--reply-to <message-id>', 'reply to this message')
    .option('--type <type>', messageTypeSchema.options.join(', '), 'comment')
    .addHelpText(
      'after',
      '\nExamples:\n  mission messages post TASK-7 "Draft is up, @lead please review" --type status_update\n  git log -1 --format=%B | mission messages post TASK-7 -',
    )
    .action(async (reference: string, words: string[], options: { replyTo?: string; type: string }, command: Command) => {
      const fromArguments = words.join(' ');
      const content = fromArguments === '' || fromArguments === '-' ? (await readStdin()).trim() : fromArguments;
      if (!content) throw new UsageError('The message is empty: give it as an argument or on stdin.');
      const client = await clientFor(command);
      const message = await client.messages.post(reference, {
        content,
        type: oneOf('--type', options.type, messageTypeSchema.options),
        ...(options.replyTo ? { replyToId: options.replyTo } : {}),
      });
      if (globalOptions(command).json) {
        printJson(message);
        return;
      }
      printLines(`Posted ${message.id} to ${reference}.`);
    });
}
