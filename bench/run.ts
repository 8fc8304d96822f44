// npm run bench [-- --quick] [-- --only=http,claim-next,heartbeats,assignment-latency,scheduler-idle,fan-out] [-- --engine=sqlite|postgres]
// Every figure is a median of several runs (min–max shown) with its baseline measured in the same
// run, on the same machine: ratios travel between machines, absolute numbers do not.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Engine, postgresBaseUrl } from './lib/bench-database.js';
import { pinLoadGenerator } from './lib/child-process.js';
import type { BenchSettings, ResultRow } from './lib/report.js';
import { formatNumber, formatSpread } from './lib/statistics.js';
import { benchmarkAssignmentLatency } from './scenarios/assignment-latency.js';
import { benchmarkClaimNext } from './scenarios/claim-next.js';
import { benchmarkFanOut } from './scenarios/fan-out.js';
import { benchmarkHeartbeats } from './scenarios/heartbeats.js';
import { benchmarkHttpThroughput } from './scenarios/http-throughput.js';
import { benchmarkSchedulerIdle } from './scheduler-idle.js';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    engine: { type: 'string' },
    runs: { type: 'string' },
    against: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (options.help) {
  process.stdout.write(`npm run bench [-- options]

  --quick            2 s per HTTP run instead of 5 (a few minutes in all)
  --only=LIST        comma-separated: http, claim-next, heartbeats, assignment-latency, scheduler-idle, fan-out
  --engine=ENGINE    sqlite or postgres (both by default)
  --runs=N           measured runs per figure (3 by default; the median is reported with min–max)
  --against=ENTRY    also run another build (path to its apps/server/dist/index.js) and measure
                     both back to back in every run (http): before → after on a busy machine
  -h, --help         this text

Environment: BENCH_DATABASE_URL (PostgreSQL server, default MISSION_TEST_DATABASE_URL or
postgres://postgres@127.0.0.1:5432/test), BENCH_NODE_ARGS (extra node flags for the servers,
e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_SLOW_QUERIES=<ms> (print slower SQLite statements).
Results are written to bench/results/.
`);
  process.exit(0);
}

const settings: BenchSettings = {
  quick: options.quick ?? false,
  runs: Number(options.runs ?? 3),
  seconds: options.quick ? 2 : 5,
  ...(options.against ? { against: options.against } : {}),
};
const only = options.only ? new Set(options.only.split(',')) : undefined;
const engines: Engine[] = options.engine ? [options.engine as Engine] : ['sqlite', 'postgres'];

const benchmarks: { name: string; run: (engine: Engine) => Promise<ResultRow[]> }[] = [
  { name: 'http', run: (engine) => benchmarkHttpThroughput(engine, settings) },
  { name: 'claim-next', run: (engine) => benchmarkClaimNext(engine, settings) },
  {
    name: 'heartbeats',
    // 10,000 agents miss the one-second principal cache on every beat; 100 agents mostly hit it.
    run: async (engine) => [...(await benchmarkHeartbeats(engine, settings)), ...(await benchmarkHeartbeats(engine, settings, 100))],
  },
  { name: 'assignment-latency', run: (engine) => benchmarkAssignmentLatency(engine, settings) },
  { name: 'scheduler-idle', run: (engine) => benchmarkSchedulerIdle(engine, settings) },
  {
    name: 'fan-out',
    run: async (engine) => [
      ...(await benchmarkFanOut(engine, settings, 1)),
      // Two instances share one database: PostgreSQL only (SQLite is one process by design).
      ...(engine === 'postgres' ? await benchmarkFanOut(engine, settings, 2) : []),
    ],
  },
];

async function describeMachine(): Promise<string[]> {
  const cpus = os.cpus();
  let postgresVersion = 'unreachable';
  try {
    const client = new pg.Client({ connectionString: postgresBaseUrl });
    await client.connect();
    postgresVersion = String((await client.query('show server_version')).rows[0]?.server_version);
    await client.end();
  } catch {}
  return [
    `date: ${new Date().toISOString()}`,
    `machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
    `node ${process.version}, PostgreSQL ${postgresVersion}, SQLite via better-sqlite3`,
    `load average ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}${(os.loadavg()[0] ?? 0) > 0.5 ? ' (NOT a quiet machine: other work was running)' : ' (quiet)'}`,
    `servers pinned to core 0, load generator on the others (when taskset exists); ${settings.runs} runs per figure, ${settings.seconds} s per HTTP run${settings.quick ? ' (--quick)' : ''}`,
  ];
}

function toMarkdown(rows: ResultRow[]): string {
  const lines = [
    '| benchmark | engine | value (median, min–max) | baseline (median, min–max) | ratio (median, min–max) | CPU µs/req (median, min–max) | statements/req | target | met | notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.metric} | ${row.engine} | ${formatSpread(row.value, ` ${row.unit}`)} | ${
        row.baseline ? `${row.baselineLabel}: ${formatSpread(row.baseline)}` : ''
      } | ${row.ratio ? `${formatNumber(row.ratio.median)}× (${formatNumber(row.ratio.min)}–${formatNumber(row.ratio.max)})` : ''} | ${
        row.cpu ? formatSpread(row.cpu.total) : ''
      } | ${row.statements ? formatNumber(row.statements.median) : ''} | ${
        row.target ?? ''
      } | ${row.met === undefined ? '' : row.met ? 'yes' : '**no**'} | ${row.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

pinLoadGenerator();
const started = Date.now();
const machine = await describeMachine();
process.stdout.write(`${machine.join('\n')}\n\n`);
const rows: ResultRow[] = [];
for (const benchmark of benchmarks) {
  if (only && !only.has(benchmark.name)) continue;
  for (const engine of engines) {
    process.stdout.write(`… ${benchmark.name} on ${engine}\n`);
    try {
      const result = await benchmark.run(engine);
      rows.push(...result);
      process.stdout.write(`${toMarkdown(result).split('\n').slice(2).join('\n')}\n`);
    } catch (error) {
      process.stdout.write(
        `${benchmark.name} on ${engine} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  }
}
process.stdout.write(`\n${toMarkdown(rows)}\n\nTotal: ${Math.round((Date.now() - started) / 1000)} s\n`);
const resultsDirectory = new URL('../results/', import.meta.url);
fs.mkdirSync(resultsDirectory, { recursive: true });
const file = new URL(`./bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, resultsDirectory);
fs.writeFileSync(file, JSON.stringify({ machine, settings, rows }, null, 2));
process.stdout.write(`Results: ${file.pathname}\n`);
