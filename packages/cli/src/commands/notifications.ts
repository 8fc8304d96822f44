import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { clientFor, globalOptions } from './shared.js';

/** Registers `mission notifications ls|read`. */
export function registerNotificationCommands(program: Command): void {
  const notifications = program.command('notifications').description('Your notifications: mentions, assignments, replies');

  notifications
    .command('ls')
    .description('List your notifications, newest first')
    .option('--unread', 'only unread ones')
    .action(async (options: { unread?: boolean }, command: Command) => {
      const client = await clientFor(command);
      const list = await client.notifications.list({ ...(options.unread ? { unread: true } : {}), limit: 100 }).toArray(100);
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (notification) => notification.id],
        ['at', (notification) => formatTime(notification.createdAt)],
        ['reason', (notification) => notification.reason],
        ['read', (notification) => (notification.readAt ? 'yes' : 'no')],
        ['content', (notification) => notification.content],
      ]);
    });

  notifications
    .command('read [ids...]')
    .description('Mark notifications read (the given ids, or all with --all)')
    .option('--all', 'mark every notification read')
    .action(async (ids: string[], options: { all?: boolean }, command: Command) => {
      if (!options.all && ids.length === 0) throw new UsageError('Give notification ids, or --all.');
      const client = await clientFor(command);
      const updated = options.all
        ? await client.notifications.markAllRead()
        : (await Promise.all(ids.map((id) => client.notifications.markRead(id)))).length;
      if (globalOptions(command).json) {
        printJson({ updated });
        return;
      }
      printLines(`Marked ${updated} notification${updated === 1 ? '' : 's'} read.`);
    });
}
