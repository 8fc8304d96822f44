import type autocannon from 'autocannon';
import type { SqlRunner } from './bench-database.js';
import type { Child } from './child-process.js';
import { cpuMeter, cpuPerRequest, processCpuMicros } from './cpu.js';
import { runLoad } from './http-load.js';
import { formatNumber, type Spread, spread } from './statistics.js';

export interface StatementCounters {
  writeStatements: number;
  rowsChanged: number;
  statements: number;
}

export interface PairedMeasurement {
  /** Answers per second of the server, run by run. */
  throughput: Spread;
  baseline: Spread;
  /** Server throughput ÷ the baseline's, run by run. */
  ratio: Spread;
  /** CPU µs per answered request: the server process, its PostgreSQL backends, both together. */
  serverCpu: Spread;
  databaseCpu: Spread;
  totalCpu: Spread;
  /** CPU µs per request of the hello-world baseline in the same run. */
  baselineCpu: Spread;
  /** Statements the server ran per answered request (BENCH_COUNT_WRITES=1 servers only). */
  statements: Spread;
  writeStatements: Spread;
  failed: number;
  /** Of the failed, those the load generator gave up waiting for (a queue longer than its timeout). */
  timeouts: number;
}

/**
 * Runs the target against its baseline `runs` times, each baseline run right before its target
 * run, and reads CPU time from /proc of the server (and its PostgreSQL backends when a runner on
 * the bench database is given) around each target run: CPU per request is far steadier than a
 * rate on a shared machine.
 */
export async function measurePaired(options: {
  server: Child<{ url: string }>;
  hello: Child<{ url: string }>;
  postgres?: SqlRunner | undefined;
  target: autocannon.Options;
  baseline: autocannon.Options;
  runs: number;
  /** Extra wait after each target run before the counters are read (e.g. a flush interval). */
  settleMs?: number;
}): Promise<PairedMeasurement> {
  const meter = cpuMeter(options.server.process.pid as number, options.postgres);
  const helloPid = options.hello.process.pid as number;
  const values: number[] = [];
  const baselines: number[] = [];
  const serverCpu: number[] = [];
  const databaseCpu: number[] = [];
  const totalCpu: number[] = [];
  const baselineCpu: number[] = [];
  const statements: number[] = [];
  const writeStatements: number[] = [];
  let failed = 0;
  let timeouts = 0;
  for (let run = 0; run < options.runs; run += 1) {
    const helloBefore = processCpuMicros(helloPid);
    const base = await runLoad(options.baseline);
    baselines.push(base.throughput);
    baselineCpu.push((processCpuMicros(helloPid) - helloBefore) / Math.max(1, base.ok));
    const countersBefore = await options.server.ask<StatementCounters>('counters');
    const before = await meter.sample();
    const measured = await runLoad(options.target);
    if (options.settleMs) await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const after = await meter.sample();
    const countersAfter = await options.server.ask<StatementCounters>('counters');
    values.push(measured.throughput);
    failed += measured.failed;
    timeouts += measured.timeouts;
    const cpu = cpuPerRequest(before, after, measured.ok);
    serverCpu.push(cpu.server);
    databaseCpu.push(cpu.database);
    totalCpu.push(cpu.total);
    statements.push((countersAfter.statements - countersBefore.statements) / Math.max(1, measured.ok));
    writeStatements.push((countersAfter.writeStatements - countersBefore.writeStatements) / Math.max(1, measured.ok));
  }
  return {
    throughput: spread(values),
    baseline: spread(baselines),
    ratio: spread(values.map((value, index) => value / (baselines[index] as number))),
    serverCpu: spread(serverCpu),
    databaseCpu: spread(databaseCpu),
    totalCpu: spread(totalCpu),
    baselineCpu: spread(baselineCpu),
    statements: spread(statements),
    writeStatements: spread(writeStatements),
    failed,
    timeouts,
  };
}

/** "CPU 212 µs/req (server 180 + PostgreSQL 32), hello world 19 µs; 5.0 statements/req" */
export function describeCost(measurement: PairedMeasurement, engine: string): string {
  const cpu =
    engine === 'postgres'
      ? `CPU ${formatNumber(measurement.totalCpu.median)} µs/req [${formatNumber(measurement.totalCpu.min)}–${formatNumber(measurement.totalCpu.max)}] (server ${formatNumber(measurement.serverCpu.median)} + PostgreSQL ${formatNumber(measurement.databaseCpu.median)})`
      : `CPU ${formatNumber(measurement.serverCpu.median)} µs/req [${formatNumber(measurement.serverCpu.min)}–${formatNumber(measurement.serverCpu.max)}]`;
  return `${cpu}, hello world ${formatNumber(measurement.baselineCpu.median)} µs/req; ${formatNumber(measurement.statements.median)} statements/req (${formatNumber(measurement.writeStatements.median)} writes)${measurement.failed ? `; ${measurement.failed} non-2xx` : ''}${
    measurement.timeouts ? ` (${measurement.timeouts} timed out: answered, if at all, after the load generator gave up)` : ''
  }`;
}
