import { webhookDeliveryStatusSchema, webhookEventSelectorSchema } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { clientFor, globalOptions, oneOf, parseInteger, splitList } from './shared.js';

/** Registers `mission webhooks ls|create|deliveries|replay`. */
export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('Outbound webhooks: Standard Webhooks deliveries of the workspace events, retried, with a dead-letter queue');

  webhooks
    .command('ls')
    .description('List the webhook endpoints')
    .action(async (_options: unknown, command: Command) => {
      const client = await clientFor(command);
      const list = await client.webhooks.list();
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (webhook) => webhook.id],
        ['url', (webhook) => webhook.url],
        ['events', (webhook) => webhook.events.join(',')],
        ['enabled', (webhook) => (webhook.enabled ? 'yes' : `no${webhook.disabledReason ? ` (${webhook.disabledReason})` : ''}`)],
        ['failing since', (webhook) => (webhook.failingSince ? formatTime(webhook.failingSince) : '')],
      ]);
    });

  webhooks
    .command('create <url>')
    .description('Register an endpoint; prints its signing secret once')
    .option('--events <types>', 'event types to send, comma-separated (default: every event, "*")')
    .option('--filter <cel>', 'a CEL expression over event; only events for which it is true are sent')
    .option('--description <text>', 'what the endpoint is for')
    .addHelpText(
      'after',
      '\nExamples:\n  mission webhooks create https://hooks.example.com/mission --events task-status-changed,task-created\n  mission webhooks create https://ci.example.com/hook --filter \'event.data.to == "done"\'',
    )
    .action(async (url: string, options: { events?: string; filter?: string; description?: string }, command: Command) => {
      const events = splitList(options.events)?.map((type) => {
        const parsed = webhookEventSelectorSchema.safeParse(type);
        if (!parsed.success) throw new UsageError(`--events: "${type}" is not an event type (see docs/events.md), nor "*".`);
        return parsed.data;
      });
      const client = await clientFor(command);
      const created = await client.webhooks.create({
        url,
        ...(events ? { events } : {}),
        ...(options.filter ? { filter: options.filter } : {}),
        ...(options.description ? { description: options.description } : {}),
      });
      if (globalOptions(command).json) {
        printJson(created);
        return;
      }
      printLines(
        `Created webhook ${created.id} → ${created.url} (${created.events.join(', ')}).`,
        `Signing secret (shown once, store it in the receiver now): ${created.secret}`,
      );
    });

  webhooks
    .command('deliveries <webhookId>')
    .description("List an endpoint's deliveries with their attempts, newest first")
    .option('--status <status>', `keep one state: ${webhookDeliveryStatusSchema.options.join(', ')} (dead is the dead-letter queue)`)
    .option('--limit <n>', 'how many', '20')
    .addHelpText('after', '\nExample:\n  mission webhooks deliveries 0190… --status dead')
    .action(async (webhookId: string, options: { status?: string; limit: string }, command: Command) => {
      const status = oneOf('--status', options.status, webhookDeliveryStatusSchema.options);
      const limit = parseInteger('--limit', options.limit) ?? 20;
      const client = await clientFor(command);
      const list = await client.webhooks
        .deliveries(webhookId, { ...(status ? { status } : {}), limit: Math.min(limit, 200) })
        .toArray(limit);
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['id', (delivery) => delivery.id],
        ['event', (delivery) => delivery.eventType],
        ['status', (delivery) => delivery.status],
        ['attempts', (delivery) => String(delivery.attemptCount)],
        ['last', (delivery) => (delivery.lastStatusCode === null ? (delivery.lastError ?? '') : String(delivery.lastStatusCode))],
        ['next', (delivery) => (delivery.nextAttemptAt ? formatTime(delivery.nextAttemptAt) : '')],
      ]);
    });

  webhooks
    .command('replay <webhookId> [deliveryId]')
    .description('Send one delivery again, or every dead one with --dead')
    .option('--dead', "replay the endpoint's whole dead-letter queue")
    .addHelpText('after', '\nExamples:\n  mission webhooks replay 0190… 0191…\n  mission webhooks replay 0190… --dead')
    .action(async (webhookId: string, deliveryId: string | undefined, options: { dead?: boolean }, command: Command) => {
      if (!options.dead && !deliveryId) throw new UsageError('Give a delivery id, or --dead for the whole dead-letter queue.');
      if (options.dead && deliveryId) throw new UsageError('Give either a delivery id or --dead, not both.');
      const client = await clientFor(command);
      if (options.dead) {
        const replayed = await client.webhooks.replayDead(webhookId);
        if (globalOptions(command).json) printJson({ replayed });
        else printLines(`Queued ${replayed} dead deliver${replayed === 1 ? 'y' : 'ies'} again.`);
        return;
      }
      const delivery = await client.webhooks.replay(webhookId, deliveryId ?? '');
      if (globalOptions(command).json) printJson(delivery);
      else printLines(`Queued delivery ${delivery.id} (${delivery.eventType}) again.`);
    });
}
