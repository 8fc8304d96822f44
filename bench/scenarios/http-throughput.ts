import { createBenchDatabase, type Engine } from '../lib/bench-database.js';
import { startChild } from '../lib/child-process.js';
import { runLoad } from '../lib/http-load.js';
import { expectCall, seedAgents, signIn } from '../lib/mission-client.js';
import type { BenchSettings, ResultRow } from '../lib/report.js';
import { spread } from '../lib/statistics.js';

const connections = 50;

/** GET one task, GET a list page and POST a task, each against the hello-world baseline measured in between. */
export async function benchmarkHttpThroughput(engine: Engine, settings: BenchSettings): Promise<ResultRow[]> {
  const database = await createBenchDatabase(engine);
  const hello = await startChild<{ url: string }>('hello-server.js');
  const server = await startChild<{ url: string }>('mission-server.js', database.environment);
  const runner = database.connect();
  try {
    const url = server.ready.url;
    const ownerToken = await signIn(url);
    const [agent] = await seedAgents(url, ownerToken, runner, 1);
    const apiKey = agent?.apiKey as string;
    // A realistic board: a few hundred tasks, so the list page is a real page of a real index.
    for (let index = 0; index < 300; index += 1) await expectCall(url, 'POST', '/api/v1/tasks', apiKey, { title: `Board task ${index}` });
    const task = await expectCall(url, 'POST', '/api/v1/tasks', apiKey, { title: 'The task everyone reads', description: 'x'.repeat(400) });
    const authorization = { authorization: `Bearer ${apiKey}` };
    const json = { 'content-type': 'application/json' };

    const cases = [
      {
        metric: 'GET /api/v1/tasks/{id}',
        target: { url: `${url}/api/v1/tasks/${task.id}`, headers: authorization },
        baseline: { url: `${hello.ready.url}/hello` },
        goal: 0.5,
      },
      {
        metric: 'GET /api/v1/tasks?limit=50 (list page)',
        target: { url: `${url}/api/v1/tasks?limit=50`, headers: authorization },
        baseline: { url: `${hello.ready.url}/hello` },
        goal: undefined,
      },
      {
        metric: 'POST /api/v1/tasks',
        target: {
          url: `${url}/api/v1/tasks`,
          method: 'POST' as const,
          headers: { ...authorization, ...json },
          body: JSON.stringify({ title: 'Benchmark task', priority: 'high', description: 'Created under load.' }),
        },
        baseline: {
          url: `${hello.ready.url}/hello`,
          method: 'POST' as const,
          headers: json,
          body: JSON.stringify({ title: 'Benchmark task', priority: 'high', description: 'Created under load.' }),
        },
        goal: 0.25,
      },
    ];

    const rows: ResultRow[] = [];
    for (const benchmark of cases) {
      // Warm both up (JIT, caches, connection pools) before measuring.
      await runLoad({ ...benchmark.baseline, connections, duration: 1 });
      await runLoad({ ...benchmark.target, connections, duration: 1 });
      const values: number[] = [];
      const baselines: number[] = [];
      let failed = 0;
      for (let run = 0; run < settings.runs; run += 1) {
        baselines.push((await runLoad({ ...benchmark.baseline, connections, duration: settings.seconds })).throughput);
        const measured = await runLoad({ ...benchmark.target, connections, duration: settings.seconds });
        values.push(measured.throughput);
        failed += measured.failed;
      }
      const ratio = spread(values.map((value, index) => value / (baselines[index] as number)));
      rows.push({
        benchmark: 'http',
        engine,
        metric: benchmark.metric,
        unit: 'req/s',
        value: spread(values),
        baselineLabel: `Fastify hello world ${benchmark.target.method ?? 'GET'}`,
        baseline: spread(baselines),
        ratio,
        ...(benchmark.goal ? { target: `≥ ${benchmark.goal}×`, met: ratio.median >= benchmark.goal } : {}),
        ...(failed ? { note: `${failed} non-2xx answers` } : {}),
      });
    }
    return rows;
  } finally {
    await runner.close();
    await server.stop();
    await hello.stop();
    await database.drop();
  }
}
