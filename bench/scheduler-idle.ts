// node bench/dist/scheduler-idle.js [--engine=sqlite|postgres] [--agents=1000] [--seconds=60]
// The heartbeat scheduler's own cost with an idle squad: 1,000 built-in agents ticking every
// minute on one instance, none with work. The server runs in this process so its CPU time is
// measured directly (process.cpuUsage); the baseline is the same server, same agents, measured in
// the same run just before, with the agents external (the scheduler has nothing to do). The
// difference is what the scheduler costs; the target is a few percent of one core. Model calls are
// counted from the runs table: an idle squad must make none.
import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@mission-control/server';
import { createBenchDatabase, type Engine } from './lib/bench-database.js';
import { seedAgents, signIn } from './lib/mission-client.js';
import type { BenchSettings, ResultRow } from './lib/report.js';
import { formatNumber, spread } from './lib/statistics.js';

function sleep(milliseconds: number) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Percent of one core this process used over a window of wall time. */
async function measureCpu(seconds: number): Promise<number> {
  const start = process.cpuUsage();
  const startedAt = process.hrtime.bigint();
  await sleep(seconds * 1_000);
  const used = process.cpuUsage(start);
  const elapsedMicroseconds = Number(process.hrtime.bigint() - startedAt) / 1_000;
  return ((used.user + used.system) / elapsedMicroseconds) * 100;
}

export async function benchmarkSchedulerIdle(
  engine: Engine,
  settings: BenchSettings,
  options: { agents?: number; seconds?: number } = {},
): Promise<ResultRow[]> {
  const agentCount = options.agents ?? 1_000;
  const seconds = options.seconds ?? (settings.quick ? 20 : 60);
  const database = await createBenchDatabase(engine);
  // A model endpoint nobody listens on: a turn, if one ever ran, would be counted as a failed run.
  const config = loadConfig({ ...database.environment, MISSION_LLM_BASE_URL: 'http://127.0.0.1:9/v1', MISSION_LLM_MODEL: 'unused' });
  const server = await startServer(config, { dashboardDirectory: '' });
  const runner = database.connect();
  try {
    const ownerToken = await signIn(server.url);
    const agents = await seedAgents(server.url, ownerToken, runner, agentCount, { heartbeat_interval_seconds: 60 });
    const now = Date.now();
    const p = (index: number) => runner.placeholder(index);
    // Steady state from the start: every agent already online, so no first-heartbeat transitions are measured.
    await runner.query(`update agents set status = 'idle', last_heartbeat_at = ${p(1)}, presence_deadline_at = ${p(2)}`, [
      new Date(now).toISOString(),
      new Date(now + 600_000).toISOString(),
    ]);
    const workspace = (await runner.query('select workspace_id from agents limit 1'))[0]?.workspace_id;

    const baselineRuns: number[] = [];
    const valueRuns: number[] = [];
    for (let run = 0; run < settings.runs; run += 1) {
      await runner.query('delete from agent_runtimes');
      baselineRuns.push(await measureCpu(seconds));
      // The same agents become built-in, their next checks spread over the coming minute as they would be after a while.
      await runner.transaction(async () => {
        for (const agent of agents) {
          await runner.query(
            `insert into agent_runtimes (agent_id, workspace_id, runtime, step_limit, instructions, state, failures, next_run_at, updated_at)
             values (${p(1)}, ${p(2)}, 'builtin', 12, '', 'idle', 0, ${p(3)}, ${p(4)})`,
            [agent.id, workspace, new Date(Date.now() + Math.random() * 60_000).toISOString(), new Date().toISOString()],
          );
        }
      });
      valueRuns.push(await measureCpu(seconds));
    }
    const [runs] = await runner.query('select count(*) as count from agent_runs');
    const [checked] = await runner.query(`select count(*) as count from agent_runtimes where next_run_at > ${p(1)}`, [
      new Date(Date.now() - 1_000).toISOString(),
    ]);
    const modelCalls = Number(runs?.count ?? 0);
    const value = spread(valueRuns);
    const baseline = spread(baselineRuns);
    const schedulerShare = spread(valueRuns.map((cpu, index) => cpu - (baselineRuns[index] ?? 0)));
    return [
      {
        benchmark: 'scheduler-idle',
        engine,
        metric: `idle scheduler, ${agentCount} built-in agents every 60 s: CPU of the server process`,
        unit: '% of one core',
        value,
        baselineLabel: 'same server, agents external',
        baseline,
        target: 'scheduler share ≤ 5% of one core; 0 model calls',
        met: schedulerShare.median <= 5 && modelCalls === 0,
        note: `scheduler share ${formatNumber(schedulerShare.median)}% (${formatNumber(schedulerShare.min)}–${formatNumber(schedulerShare.max)}); model calls: ${modelCalls}; agents checked in the last minute: ${checked?.count ?? '?'} of ${agentCount}; ${seconds} s per window`,
      },
    ];
  } finally {
    await server.close();
    await runner.close();
    await database.drop();
  }
}

// Run directly: print the rows.
if (process.argv[1]?.endsWith('scheduler-idle.js')) {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      agents: { type: 'string' },
      seconds: { type: 'string' },
      runs: { type: 'string' },
      quick: { type: 'boolean' },
    },
  });
  const engines: Engine[] = values.engine ? [values.engine as Engine] : ['sqlite', 'postgres'];
  const settings: BenchSettings = { quick: values.quick ?? false, runs: Number(values.runs ?? 1), seconds: 0 };
  for (const engine of engines) {
    const rows = await benchmarkSchedulerIdle(engine, settings, {
      ...(values.agents ? { agents: Number(values.agents) } : {}),
      ...(values.seconds ? { seconds: Number(values.seconds) } : {}),
    });
    for (const row of rows) {
      process.stdout.write(
        `${row.engine}: ${row.metric}: ${formatNumber(row.value.median)}${row.unit} (baseline ${formatNumber(row.baseline?.median ?? Number.NaN)}) — ${row.note} — target met: ${row.met}\n`,
      );
    }
  }
  process.exit(0);
}
