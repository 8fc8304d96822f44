import type autocannon from 'autocannon';
import { createBenchDatabase, type Engine } from '../lib/bench-database.js';
import { startChild } from '../lib/child-process.js';
import { runLoad } from '../lib/http-load.js';
import { seedAgents, signIn } from '../lib/mission-client.js';
import type { BenchSettings, ResultRow } from '../lib/report.js';
import { formatNumber, spread } from '../lib/statistics.js';

const agentCount = 10_000;
const connections = 100;

interface Counters {
  writeStatements: number;
  rowsChanged: number;
  statements: number;
}

/**
 * 10,000 registered agents heartbeat round-robin over 100 connections. Writes are counted in the
 * server process (statements that insert, update or delete, and the rows they change), including
 * the coalesced presence flush that follows.
 */
export async function benchmarkHeartbeats(engine: Engine, settings: BenchSettings): Promise<ResultRow[]> {
  const database = await createBenchDatabase(engine);
  const hello = await startChild<{ url: string }>('hello-server.js');
  const server = await startChild<{ url: string }>('mission-server.js', { ...database.environment, BENCH_COUNT_WRITES: '1' });
  const runner = database.connect();
  try {
    const url = server.ready.url;
    const ownerToken = await signIn(url);
    const agents = await seedAgents(url, ownerToken, runner, agentCount);
    let next = 0;
    const heartbeat: autocannon.Request = {
      method: 'POST',
      setupRequest: (request) => {
        const agent = agents[next++ % agents.length];
        return {
          ...request,
          path: `/api/v1/agents/${agent?.id}/heartbeat`,
          headers: { ...request.headers, authorization: `Bearer ${agent?.apiKey}` },
        };
      },
    };
    const target = { url, headers: { 'content-type': 'application/json' }, body: '{}', requests: [heartbeat] };
    const baseline = {
      url: `${hello.ready.url}/hello`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };

    // First beats are transitions (offline → idle, written at once with an event) and the first use
    // of each key is recorded: one pass over every agent first, so the runs measure steady state.
    await runLoad({ ...target, connections, amount: agentCount });
    await runLoad({ ...baseline, connections, duration: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const values: number[] = [];
    const baselines: number[] = [];
    const writesPerBeat: number[] = [];
    const rowsPerBeat: number[] = [];
    for (let run = 0; run < settings.runs; run += 1) {
      baselines.push((await runLoad({ ...baseline, connections, duration: settings.seconds })).throughput);
      const before = await server.ask<Counters>('counters');
      const measured = await runLoad({ ...target, connections, duration: settings.seconds });
      // The presence buffer flushes every second: wait for it, so its writes are counted.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const after = await server.ask<Counters>('counters');
      values.push(measured.throughput);
      writesPerBeat.push((after.writeStatements - before.writeStatements) / measured.ok);
      rowsPerBeat.push((after.rowsChanged - before.rowsChanged) / measured.ok);
    }
    const ratio = spread(values.map((value, index) => value / (baselines[index] as number)));
    const writes = spread(writesPerBeat);
    const rows = spread(rowsPerBeat);
    return [
      {
        benchmark: 'heartbeats',
        engine,
        metric: `heartbeats, ${agentCount.toLocaleString('en-US')} agents`,
        unit: 'beats/s',
        value: spread(values),
        baselineLabel: `Fastify hello world POST, ${connections} connections`,
        baseline: spread(baselines),
        ratio,
        target: '≥ 0.5×',
        met: ratio.median >= 0.5,
        note: `${formatNumber(writes.median)} write statements and ${formatNumber(rows.median)} rows written per heartbeat`,
      },
      {
        benchmark: 'heartbeats',
        engine,
        metric: 'database write statements per heartbeat',
        unit: 'statements',
        value: writes,
      },
    ];
  } finally {
    await runner.close();
    await server.stop();
    await hello.stop();
    await database.drop();
  }
}
