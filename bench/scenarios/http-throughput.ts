import type autocannon from 'autocannon';
import { type BenchDatabase, createBenchDatabase, type Engine, type SqlRunner } from '../lib/bench-database.js';
import { type Child, startChild } from '../lib/child-process.js';
import { runLoad } from '../lib/http-load.js';
import { describeCost, measurePaired, type PairedMeasurement } from '../lib/measure.js';
import { expectCall, seedAgents, seedTasks, signIn } from '../lib/mission-client.js';
import type { BenchSettings, ResultRow } from '../lib/report.js';
import { formatNumber, spread } from '../lib/statistics.js';

const connections = 50;

interface HttpCase {
  metric: string;
  target: (instance: Instance) => autocannon.Options;
  baseline: autocannon.Options;
  goal?: number;
}

/** One server under test on a database of its own, seeded the same way. */
interface Instance {
  label: string;
  database: BenchDatabase;
  server: Child<{ url: string }>;
  runner: SqlRunner;
  url: string;
  ownerToken: string;
  apiKey: string;
  taskId: string;
}

async function startInstance(engine: Engine, label: string, entry: string | undefined): Promise<Instance> {
  const database = await createBenchDatabase(engine);
  const server = await startChild<{ url: string }>('mission-server.js', {
    ...database.environment,
    BENCH_COUNT_WRITES: '1',
    ...(entry ? { BENCH_SERVER_ENTRY: entry } : {}),
  });
  const runner = database.connect();
  const url = server.ready.url;
  const ownerToken = await signIn(url);
  const [agent] = await seedAgents(url, ownerToken, runner, 1);
  const apiKey = agent?.apiKey as string;
  // A realistic board: 1,000 tasks, so the list page is a real page of a real index.
  await seedTasks(url, ownerToken, runner, 999);
  const task = await expectCall(url, 'POST', '/api/v1/tasks', apiKey, { title: 'The task everyone reads', description: 'x'.repeat(400) });
  return { label, database, server, runner, url, ownerToken, apiKey, taskId: task.id as string };
}

async function stopInstance(instance: Instance): Promise<void> {
  await instance.runner.close();
  await instance.server.stop();
  await instance.database.drop();
}

/**
 * GET one task, list pages (plain and with q=) at 1,000 and at 50,000 tasks, and POST a task,
 * each against the hello-world baseline measured right before it, with CPU µs and statements per
 * request read from the server (and its PostgreSQL backends). With `--against=<other build's
 * index.js>` that build runs beside this one on a database of its own, and every run measures
 * both back to back: a before → after on a busy machine.
 */
export async function benchmarkHttpThroughput(engine: Engine, settings: BenchSettings): Promise<ResultRow[]> {
  const hello = await startChild<{ url: string }>('hello-server.js');
  const instances: Instance[] = [];
  try {
    if (settings.against) instances.push(await startInstance(engine, 'before', settings.against));
    instances.push(await startInstance(engine, settings.against ? 'after' : '', undefined));
    const helloGet = { url: `${hello.ready.url}/hello` };
    const json = { 'content-type': 'application/json' };
    const authorization = (instance: Instance) => ({ authorization: `Bearer ${instance.apiKey}` });
    const body = JSON.stringify({ title: 'Benchmark task', priority: 'high', description: 'Created under load.' });
    const listCases = (size: string): HttpCase[] => [
      {
        metric: `GET /api/v1/tasks?limit=50 (list page, ${size} tasks)`,
        target: (instance) => ({ url: `${instance.url}/api/v1/tasks?limit=50`, headers: authorization(instance) }),
        baseline: helloGet,
      },
      {
        metric: `GET /api/v1/tasks?limit=50&q=task 4 (search page, ${size} tasks)`,
        target: (instance) => ({
          url: `${instance.url}/api/v1/tasks?limit=50&q=${encodeURIComponent('task 4')}`,
          headers: authorization(instance),
        }),
        baseline: helloGet,
      },
    ];

    const rows: ResultRow[] = [];
    const measure = async (benchmark: HttpCase) => {
      const baseline = { ...benchmark.baseline, connections };
      await runLoad({ ...baseline, duration: 1 });
      // Warm every instance up (JIT, caches, connection pools) before measuring.
      for (const instance of instances) await runLoad({ ...benchmark.target(instance), connections, duration: 1 });
      const results = new Map<Instance, PairedMeasurement[]>(instances.map((instance) => [instance, []]));
      for (let run = 0; run < settings.runs; run += 1) {
        // Alternate which build goes first, so neither always follows the baseline.
        const order = run % 2 === 0 ? instances : [...instances].reverse();
        for (const instance of order) {
          const measured = await measurePaired({
            server: instance.server,
            hello,
            postgres: engine === 'postgres' ? instance.runner : undefined,
            target: { ...benchmark.target(instance), connections, duration: settings.seconds },
            baseline: { ...baseline, duration: settings.seconds },
            runs: 1,
          });
          results.get(instance)?.push(measured);
        }
      }
      const merged = new Map<Instance, PairedMeasurement>();
      for (const instance of instances) {
        const runs = results.get(instance) ?? [];
        const pick = (key: keyof Omit<PairedMeasurement, 'failed' | 'timeouts'>) => spread(runs.flatMap((run) => run[key].runs));
        const measured: PairedMeasurement = {
          throughput: pick('throughput'),
          baseline: pick('baseline'),
          ratio: pick('ratio'),
          serverCpu: pick('serverCpu'),
          databaseCpu: pick('databaseCpu'),
          totalCpu: pick('totalCpu'),
          baselineCpu: pick('baselineCpu'),
          statements: pick('statements'),
          writeStatements: pick('writeStatements'),
          failed: runs.reduce((sum, run) => sum + run.failed, 0),
          timeouts: runs.reduce((sum, run) => sum + run.timeouts, 0),
        };
        merged.set(instance, measured);
        const before = instances[0] && instance !== instances[0] ? merged.get(instances[0]) : undefined;
        const cpuChange = before
          ? `; CPU after/before ${formatNumber(
              spread(measured.totalCpu.runs.map((value, index) => value / (before.totalCpu.runs[index] as number))).median,
            )}×`
          : '';
        rows.push({
          benchmark: 'http',
          engine,
          metric: `${benchmark.metric}${instance.label ? ` [${instance.label}]` : ''}`,
          unit: 'req/s',
          value: measured.throughput,
          baselineLabel: `Fastify hello world ${benchmark.baseline.method ?? 'GET'}`,
          baseline: measured.baseline,
          ratio: measured.ratio,
          ...(benchmark.goal ? { target: `≥ ${benchmark.goal}×`, met: measured.ratio.median >= benchmark.goal } : {}),
          note: `${describeCost(measured, engine)}${cpuChange}`,
          cpu: { server: measured.serverCpu, database: measured.databaseCpu, total: measured.totalCpu, baseline: measured.baselineCpu },
          statements: measured.statements,
        });
      }
    };

    await measure({
      metric: 'GET /api/v1/tasks/{id}',
      target: (instance) => ({ url: `${instance.url}/api/v1/tasks/${instance.taskId}`, headers: authorization(instance) }),
      baseline: helloGet,
      goal: engine === 'sqlite' ? 0.3 : 0.15,
    });
    for (const benchmark of listCases('1,000')) await measure(benchmark);
    await measure({
      metric: 'POST /api/v1/tasks',
      target: (instance) => ({
        url: `${instance.url}/api/v1/tasks`,
        method: 'POST',
        headers: { ...authorization(instance), ...json },
        body,
      }),
      baseline: { ...helloGet, method: 'POST', headers: json, body },
      goal: engine === 'sqlite' ? 0.12 : 0.06,
    });
    if (!settings.quick) {
      for (const instance of instances) await seedTasks(instance.url, instance.ownerToken, instance.runner, 49_000);
      for (const benchmark of listCases('50,000')) await measure(benchmark);
    }
    return rows;
  } finally {
    for (const instance of instances) await stopInstance(instance);
    await hello.stop();
  }
}
