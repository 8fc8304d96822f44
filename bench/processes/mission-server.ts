// A Mission Control instance for the benchmarks: the real server (built), started from its
// package, reporting its URL over IPC. With BENCH_COUNT_WRITES=1 it counts the statements that
// change rows and the rows they change, by wrapping the database drivers in this process only,
// so the server code measured is the code that ships.

import fs from 'node:fs';
import inspector from 'node:inspector';
import * as shippedServer from '@mission-control/server';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

const counters = { writeStatements: 0, rowsChanged: 0, statements: 0 };
const writePattern = /^\s*(insert|update|delete)\b/i;

if (process.env.BENCH_COUNT_WRITES === '1') {
  const probe = new SqliteDatabase(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('select 1')) as {
    run: (...args: unknown[]) => { changes: number };
    all: (...args: unknown[]) => unknown[];
  };
  probe.close();
  const run = statementPrototype.run;
  statementPrototype.run = function (this: { source: string }, ...args: unknown[]) {
    const result = run.apply(this, args);
    counters.statements += 1;
    if (writePattern.test(this.source)) {
      counters.writeStatements += 1;
      counters.rowsChanged += result.changes;
    }
    return result;
  };
  const all = statementPrototype.all;
  statementPrototype.all = function (this: { source: string }, ...args: unknown[]) {
    const rows = all.apply(this, args);
    counters.statements += 1;
    // A write with RETURNING goes through all(): count it and the rows it returned.
    if (writePattern.test(this.source)) {
      counters.writeStatements += 1;
      counters.rowsChanged += rows.length;
    }
    return rows;
  };

  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const result = query.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      void (result as Promise<{ rowCount: number | null }>).then(
        (answer) => {
          counters.statements += 1;
          if (writePattern.test(text)) {
            counters.writeStatements += 1;
            counters.rowsChanged += answer?.rowCount ?? 0;
          }
        },
        () => {},
      );
    }
    return result;
  } as typeof pg.Client.prototype.query;
}

// BENCH_SLOW_QUERIES=<ms> prints every SQLite statement slower than that: how the hot paths were found.
const slowQueryMs = Number(process.env.BENCH_SLOW_QUERIES ?? 0);
if (slowQueryMs > 0) {
  const probe = new SqliteDatabase(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<
    'run' | 'all' | 'get',
    (...args: unknown[]) => unknown
  >;
  probe.close();
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statementPrototype[method];
    statementPrototype[method] = function (this: { source: string }, ...args: unknown[]) {
      const started = performance.now();
      const result = original.apply(this, args);
      const elapsed = performance.now() - started;
      if (elapsed >= slowQueryMs) process.stderr.write(`[slow ${elapsed.toFixed(1)} ms] ${this.source.slice(0, 600)}\n`);
      return result;
    };
  }
}

// BENCH_SERVER_ENTRY=<path to another build's index.js> measures that build instead (A/B runs).
const { loadConfig, startServer } = (
  process.env.BENCH_SERVER_ENTRY ? await import(process.env.BENCH_SERVER_ENTRY) : shippedServer
) as typeof shippedServer;
const server = await startServer(loadConfig(process.env));
process.send?.({ type: 'ready', url: server.url });
// A CPU profile of a window of the run (bench/profile-requests.ts): started and stopped over IPC,
// so seeding and start-up stay out of it.
const profiler = new inspector.Session();
profiler.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => profiler.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
process.on('message', (message: { type: string; file?: string }) => {
  if (message.type === 'counters') process.send?.({ type: 'counters', ...counters });
  if (message.type === 'profile-start') {
    void post('Profiler.enable')
      .then(() => post('Profiler.setSamplingInterval', { interval: 100 }))
      .then(() => post('Profiler.start'))
      .then(() => process.send?.({ type: 'profile-start' }));
  }
  if (message.type === 'profile-stop' && message.file) {
    const file = message.file;
    void post('Profiler.stop').then((result) => {
      fs.writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
      process.send?.({ type: 'profile-stop', file });
    });
  }
});
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
