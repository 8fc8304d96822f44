import { alertKindSchema, alertStatusSchema } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { clientFor, globalOptions } from './shared.js';

/** Registers `mission alerts ls|ack|resolve`. */
export function registerAlertCommands(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('What the anomaly detector found: stalled agents, spikes, stuck runs, lag, a full disk')
    .addHelpText(
      'after',
      '\nExamples:\n  mission alerts ls\n  mission alerts ls --status resolved --kind cost-spike\n  mission alerts ack <id>\n  mission alerts resolve <id>',
    );

  alerts
    .command('ls')
    .description('List alerts, newest first (open ones unless --status says otherwise)')
    .option('--status <status>', `open, acknowledged or resolved (${alertStatusSchema.options.join(', ')})`, 'open')
    .option('--kind <kind>', `only this kind (${alertKindSchema.options.join(', ')})`)
    .action(async (options: { status: string; kind?: string }, command: Command) => {
      const status = alertStatusSchema.safeParse(options.status);
      if (!status.success) throw new UsageError(`--status is one of ${alertStatusSchema.options.join(', ')}.`);
      const kind = options.kind === undefined ? undefined : alertKindSchema.safeParse(options.kind);
      if (kind && !kind.success) throw new UsageError(`--kind is one of ${alertKindSchema.options.join(', ')}.`);
      const client = await clientFor(command);
      const list = await client.alerts.list({ status: status.data, ...(kind?.data ? { kind: kind.data } : {}), limit: 100 }).toArray(100);
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (alert) => alert.id],
        ['raised', (alert) => formatTime(alert.raisedAt)],
        ['kind', (alert) => alert.kind],
        ['about', (alert) => alert.subject.name],
        ['status', (alert) => alert.status],
        ['summary', (alert) => alert.summary],
      ]);
    });

  for (const [name, verb, description] of [
    ['ack', 'acknowledge', 'Say you are looking at an alert'],
    ['resolve', 'resolve', 'Close an alert'],
  ] as const) {
    alerts
      .command(`${name} <id>`)
      .description(description)
      .action(async (id: string, _options: unknown, command: Command) => {
        const client = await clientFor(command);
        const alert = verb === 'acknowledge' ? await client.alerts.acknowledge(id) : await client.alerts.resolve(id);
        if (globalOptions(command).json) {
          printJson(alert);
          return;
        }
        printLines(`${alert.summary} — now ${alert.status}.`);
      });
  }
}
