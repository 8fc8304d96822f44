import type { SystemMetrics, SystemSample } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, parseDuration, printFields, printJson, printLines, printTable } from '../output.js';
import { clientFor, globalOptions } from './shared.js';

/** An ISO time, or a duration back from now (30m, 2h). */
function parseTime(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ago = parseDuration(text);
  if (ago !== undefined) return new Date(Date.now() - ago).toISOString();
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`${flag} takes an ISO time (2026-03-10T12:00:00Z) or a duration back from now (30m, 2h).`);
  return at.toISOString();
}

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1_024 && unit < units.length - 1) {
    value /= 1_024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Each instance with its latest sample of the range (an instance may have none in it). */
function latestPerInstance(metrics: SystemMetrics) {
  const latest = new Map<string, SystemSample>();
  for (const sample of metrics.samples) latest.set(sample.instanceId, sample);
  return metrics.instances.map((instance) => ({ instance, sample: latest.get(instance.instanceId) }));
}

/** Registers `mission system metrics` and `mission status`. */
export function registerSystemCommands(program: Command): void {
  const system = program.command('system').description('Each instance of the server: CPU, memory, disk, event loop, sockets');

  system
    .command('metrics')
    .description('The latest sample of every instance in the range (the last hour by default); owners and admins')
    .option('--from <time>', 'start of the range: an ISO time or a duration back from now (2h)')
    .option('--to <time>', 'end of the range (now by default); at most 7 days after --from')
    .addHelpText('after', '\nExamples:\n  mission system metrics\n  mission system metrics --from 6h --json')
    .action(async (options: { from?: string; to?: string }, command: Command) => {
      const from = parseTime('--from', options.from);
      const to = parseTime('--to', options.to);
      const client = await clientFor(command);
      const metrics = await client.system.metrics({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
      if (globalOptions(command).json) {
        printJson(metrics);
        return;
      }
      printTable(latestPerInstance(metrics), [
        ['instance', ({ instance }) => instance.instanceId],
        ['status', ({ instance }) => instance.status],
        ['sampled', ({ sample, instance }) => formatTime(sample?.sampledAt ?? instance.lastSeenAt)],
        ['cpu', ({ sample }) => (sample ? `${sample.cpuPercent.toFixed(1)}%` : '-')],
        ['memory', ({ sample }) => (sample ? formatBytes(sample.rssBytes) : '-')],
        ['disk free', ({ sample }) => (sample ? formatBytes(sample.diskFreeBytes) : '-')],
        [
          'loop lag',
          ({ sample }) => (sample ? `${sample.eventLoopDelayMs.toFixed(1)} ms (p99 ${sample.eventLoopDelayP99Ms.toFixed(1)})` : '-'),
        ],
        ['sockets', ({ sample }) => sample?.websocketClients],
      ]);
    });

  program
    .command('status')
    .description('The status page: API, event stream and database up or down, uptime and latency (the server needs MISSION_STATUS_PAGE=1)')
    .addHelpText('after', '\nExamples:\n  mission status\n  mission status --json')
    .action(async (_options: unknown, command: Command) => {
      const client = await clientFor(command);
      const status = await client.status();
      if (globalOptions(command).json) {
        printJson(status);
        return;
      }
      const component = (part: { status: string; checkedAt: string | null } | undefined) =>
        part ? `${part.status} (checked ${formatTime(part.checkedAt)})` : '-';
      const today = status.days.at(-1);
      printFields([
        ['Status', status.status],
        ['API', component(status.components.api)],
        ['Event stream', component(status.components.eventStream)],
        ['Database', component(status.components.database)],
        ...(status.components.redis ? [['Redis', component(status.components.redis)] as [string, string]] : []),
        ['Uptime (90 days)', status.uptimePercent90Days === null ? null : `${status.uptimePercent90Days.toFixed(2)}%`],
        [
          'Latency today',
          today?.p50LatencyMs === null || today?.p50LatencyMs === undefined
            ? null
            : `p50 ${today.p50LatencyMs} ms, p95 ${today.p95LatencyMs ?? '-'} ms`,
        ],
      ]);
      if (status.status !== 'operational')
        printLines('', 'Something is down: see the components above, and GET /api/health on each instance.');
    });
}
