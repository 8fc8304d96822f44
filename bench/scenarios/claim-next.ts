import type autocannon from 'autocannon';
import { createBenchDatabase, type Engine } from '../lib/bench-database.js';
import { startChild } from '../lib/child-process.js';
import { runLoad } from '../lib/http-load.js';
import { describeCost, measurePaired } from '../lib/measure.js';
import { type SeededAgent, seedAgents, seedTasks, signIn } from '../lib/mission-client.js';
import type { BenchSettings, ResultRow } from '../lib/report.js';
import { formatNumber } from '../lib/statistics.js';

const agentCount = 200;
const backlog = 50_000;

/**
 * 200 agents, one connection each, call claim-next as fast as they are answered on a 50,000-task
 * inbox. Every claimed task id is recorded; a task claimed twice is a double claim (must be 0),
 * checked again in the database afterwards. Agents may hold many leases (a high concurrency limit),
 * so the figure is the claim path alone.
 */
export async function benchmarkClaimNext(engine: Engine, settings: BenchSettings): Promise<ResultRow[]> {
  const database = await createBenchDatabase(engine);
  const hello = await startChild<{ url: string }>('hello-server.js');
  const server = await startChild<{ url: string }>('mission-server.js', { ...database.environment, BENCH_COUNT_WRITES: '1' });
  const runner = database.connect();
  try {
    const url = server.ready.url;
    const ownerToken = await signIn(url);
    const agents = await seedAgents(url, ownerToken, runner, agentCount, { concurrency_limit: 1_000_000 });
    await seedTasks(url, ownerToken, runner, backlog);

    const claimed = new Map<string, number>();
    let assigned = 0;
    const claimRequest: autocannon.Request = {
      method: 'POST',
      path: '/api/v1/tasks/next',
      setupRequest: (request, context) => {
        const state = context as { agent?: SeededAgent };
        if (!state.agent) state.agent = agents[assigned++ % agents.length];
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${state.agent?.apiKey}` } };
      },
      onResponse: (status, body) => {
        if (status !== 200) return;
        const taskId = (JSON.parse(body) as { task: { id: string } }).task.id;
        claimed.set(taskId, (claimed.get(taskId) ?? 0) + 1);
      },
    };
    const target = { url, headers: { 'content-type': 'application/json' }, body: '{}', requests: [claimRequest] };
    const baseline = {
      url: `${hello.ready.url}/hello`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };

    await runLoad({ ...baseline, connections: agentCount, duration: 1 });
    await runLoad({ ...target, connections: agentCount, duration: 1 });
    const measured = await measurePaired({
      server,
      hello,
      postgres: engine === 'postgres' ? runner : undefined,
      target: { ...target, connections: agentCount, duration: settings.seconds },
      baseline: { ...baseline, connections: agentCount, duration: settings.seconds },
      runs: settings.runs,
    });
    const failed = measured.failed;
    const doubleClaimsSeen = [...claimed.values()].filter((count) => count > 1).length;
    const doubleClaimsStored = await runner.query(
      "select task_id from events where type = 'task-claimed' group by task_id having count(*) > 1",
    );
    const doubleClaims = doubleClaimsSeen + doubleClaimsStored.length;
    const ratio = measured.ratio;
    const cpu = measured.totalCpu.runs;
    return [
      {
        benchmark: 'claim-next',
        engine,
        metric: `claim-next, ${agentCount} agents, ${backlog.toLocaleString('en-US')}-task backlog`,
        unit: 'claims/s',
        value: measured.throughput,
        baselineLabel: `Fastify hello world POST, ${agentCount} connections`,
        baseline: measured.baseline,
        ratio,
        target: '≥ 0.35×, 0 double claims',
        met: ratio.median >= 0.35 && doubleClaims === 0,
        // CPU per claim run by run, first to last: a claim path that slows as work is claimed shows here.
        note: `${claimed.size.toLocaleString('en-US')} tasks claimed, ${doubleClaims} double claims${failed ? `, ${failed} non-2xx` : ''}; ${describeCost(measured, engine)}; CPU µs per claim by run ${cpu.map((value) => formatNumber(value)).join(' → ')}`,
        cpu: { server: measured.serverCpu, database: measured.databaseCpu, total: measured.totalCpu, baseline: measured.baselineCpu },
        statements: measured.statements,
      },
    ];
  } finally {
    await runner.close();
    await server.stop();
    await hello.stop();
    await database.drop();
  }
}
