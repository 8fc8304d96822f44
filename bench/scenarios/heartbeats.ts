import type autocannon from 'autocannon';
import { createBenchDatabase, type Engine } from '../lib/bench-database.js';
import { startChild } from '../lib/child-process.js';
import { runLoad } from '../lib/http-load.js';
import { describeCost, measurePaired } from '../lib/measure.js';
import { seedAgents, signIn } from '../lib/mission-client.js';
import type { BenchSettings, ResultRow } from '../lib/report.js';
import { formatNumber } from '../lib/statistics.js';

const connections = 100;

/**
 * Registered agents (10,000 by default) heartbeat round-robin over 100 connections. With 10,000
 * each agent beats every few seconds, so every beat looks its API key up (the principal cache
 * keeps a key for one second); with 100 (`agentCount` 100) each beats several times a second and
 * most beats run no statement at all. Statements are counted in the
 * server process, including the coalesced presence flush that follows each run, and CPU is read
 * from /proc of the server and its PostgreSQL backends.
 */
export async function benchmarkHeartbeats(engine: Engine, settings: BenchSettings, agentCount = 10_000): Promise<ResultRow[]> {
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
    // of each key is recorded: passes over every agent first, so the runs measure steady state.
    await runLoad({ ...target, connections, amount: agentCount });
    // The second beat of each agent reads its summary once (the first was a transition); from the
    // third on a steady beat is answered from memory.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await runLoad({ ...target, connections, amount: agentCount });
    await runLoad({ ...baseline, connections, duration: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // The presence buffer flushes every second: wait for it after each run, so its writes are counted.
    const measured = await measurePaired({
      server,
      hello,
      postgres: engine === 'postgres' ? runner : undefined,
      target: { ...target, connections, duration: settings.seconds },
      baseline: { ...baseline, connections, duration: settings.seconds },
      runs: settings.runs,
      settleMs: 1_500,
    });
    const ratio = measured.ratio;
    const writes = measured.writeStatements;
    return [
      {
        benchmark: 'heartbeats',
        engine,
        metric: `heartbeats, ${agentCount.toLocaleString('en-US')} agents`,
        unit: 'beats/s',
        value: measured.throughput,
        baselineLabel: `Fastify hello world POST, ${connections} connections`,
        baseline: measured.baseline,
        ratio,
        target: '≥ 0.5×',
        met: ratio.median >= 0.5,
        note: `${describeCost(measured, engine)}; ${formatNumber(writes.median)} write statements per heartbeat`,
        cpu: { server: measured.serverCpu, database: measured.databaseCpu, total: measured.totalCpu, baseline: measured.baselineCpu },
        statements: measured.statements,
      },
      {
        benchmark: 'heartbeats',
        engine,
        metric: `database statements per heartbeat, ${agentCount.toLocaleString('en-US')} agents (writes included)`,
        unit: 'statements',
        value: measured.statements,
      },
    ];
  } finally {
    await runner.close();
    await server.stop();
    await hello.stop();
    await database.drop();
  }
}
