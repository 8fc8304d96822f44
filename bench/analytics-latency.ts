// node bench/dist/analytics-latency.js [--engine=sqlite|postgres] [--events=1000000] [--requests=20]
// Latency of the analytics endpoints over a large history: a workspace with 1,000,000 events
// (30 days of task creations, moves and edits, about 33,000 a day), 100,000 messages and 20,000
// runs, seeded directly in the database. The server runs in this process; each endpoint is
// called `requests` times in a row after one warm-up call, and the median and p95 are reported.
import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@mission-control/server';
import { cloneRows, createBenchDatabase, type Engine, uuidv7 } from './lib/bench-database.js';
import { expectCall, seedAgents, seedTasks, signIn } from './lib/mission-client.js';
import { formatNumber, percentile } from './lib/statistics.js';

const dayMs = 24 * 60 * 60 * 1000;

async function timeCalls(baseUrl: string, token: string, route: string, requests: number): Promise<{ p50: number; p95: number }> {
  await expectCall(baseUrl, 'GET', route, token);
  const durations: number[] = [];
  for (let index = 0; index < requests; index += 1) {
    const started = performance.now();
    await expectCall(baseUrl, 'GET', route, token);
    durations.push(performance.now() - started);
  }
  return { p50: percentile(durations, 50), p95: percentile(durations, 95) };
}

export async function benchmarkAnalyticsLatency(engine: Engine, options: { events: number; requests: number }) {
  const database = await createBenchDatabase(engine);
  const config = loadConfig({ ...database.environment, MISSION_SCHEDULER_ENABLED: 'false' });
  let server = await startServer(config, { dashboardDirectory: '' });
  const runner = database.connect();
  try {
    let token = await signIn(server.url);
    const agents = await seedAgents(server.url, token, runner, 20);
    const taskIds = await seedTasks(server.url, token, runner, 1_000);
    const now = Date.now();
    const spreadAt = (index: number, count: number) => new Date(now - 30 * dayMs + Math.floor(((index + 0.5) / count) * 30 * dayMs));

    const seedStarted = performance.now();
    const message = await expectCall(server.url, 'POST', `/api/v1/tasks/${taskIds[0]}/messages`, token, { content: 'template' });
    const [messageRow] = await runner.query(`select * from messages where id = ${runner.placeholder(1)}`, [message.id]);
    if (!messageRow) throw new Error('the template message was not found');
    await cloneRows(runner, 'messages', messageRow, 100_000, (_row, index) => ({
      id: uuidv7(),
      task_id: taskIds[index % taskIds.length],
      content: `message ${index}`,
      created_at: spreadAt(index, 100_000),
    }));

    const [eventRow] = await runner.query('select * from events order by seq desc limit 1');
    if (!eventRow) throw new Error('no event to copy');
    const { seq: _seq, ...eventTemplate } = eventRow;
    const columns = ['in_progress', 'review', 'done', 'failed'];
    const batch = 100_000;
    for (let start = 0; start < options.events; start += batch) {
      const count = Math.min(batch, options.events - start);
      await cloneRows(runner, 'events', eventTemplate, count, (_row, offset) => {
        const index = start + offset;
        const agent = agents[index % agents.length];
        const taskId = taskIds[index % taskIds.length];
        const kind = index % 10;
        const base = {
          id: uuidv7(),
          created_at: spreadAt(index, options.events),
          task_id: taskId,
          actor_kind: 'agent',
          actor_id: agent?.id,
        };
        if (kind < 1)
          return {
            ...base,
            type: 'task-created',
            summary: 'created',
            data: { key: `TASK-${index}`, title: 'seeded', status: 'inbox', priority: 'medium', assignees: [], parentId: null },
          };
        if (kind < 4) {
          return {
            ...base,
            type: 'task-status-changed',
            summary: 'moved',
            data: { key: `TASK-${index}`, from: 'assigned', to: columns[index % 4] },
          };
        }
        return { ...base, type: 'task-updated', summary: 'edited', data: { key: `TASK-${index}`, fields: ['description'] } };
      });
    }
    const [runRow] = await runner.query('select * from agent_runs limit 1');
    if (runRow) {
      await cloneRows(runner, 'agent_runs', runRow, 20_000, (_row, index) => ({ id: uuidv7(), started_at: spreadAt(index, 20_000) }));
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    if (engine === 'postgres') await runner.query('analyze');
    const [stored] = await runner.query('select count(*) as count from events');

    // A fresh start: its event tailer begins at the seeded head instead of reading a million events while we measure.
    await server.close();
    server = await startServer(config, { dashboardDirectory: '' });
    token = await signIn(server.url);
    const from = new Date(now - 30 * dayMs).toISOString();
    const to = new Date(now + 60_000).toISOString();
    const week = new Date(now - 7 * dayMs).toISOString();
    const routes = [
      '/api/v1/analytics/overview',
      '/api/v1/analytics/overview?timeZone=America/Los_Angeles',
      `/api/v1/analytics/throughput?from=${from}&to=${to}&interval=day`,
      `/api/v1/analytics/throughput?from=${week}&to=${to}&interval=hour&groupBy=agent&timeZone=Asia/Kolkata`,
      `/api/v1/analytics/costs?from=${from}&to=${to}&groupBy=day`,
      `/api/v1/analytics/agents?from=${from}&to=${to}`,
      `/api/v1/analytics/cycle-time?from=${week}&to=${to}&interval=day&groupBy=agent`,
    ];
    const results = [];
    for (const route of routes) results.push({ route, ...(await timeCalls(server.url, token, route, options.requests)) });
    return { engine, events: Number(stored?.count ?? 0), seedSeconds, results };
  } finally {
    await server.close();
    await runner.close();
    await database.drop();
  }
}

if (process.argv[1]?.endsWith('analytics-latency.js')) {
  const { values } = parseArgs({ options: { engine: { type: 'string' }, events: { type: 'string' }, requests: { type: 'string' } } });
  const engines: Engine[] = values.engine ? [values.engine as Engine] : ['sqlite', 'postgres'];
  for (const engine of engines) {
    const report = await benchmarkAnalyticsLatency(engine, {
      events: Number(values.events ?? 1_000_000),
      requests: Number(values.requests ?? 20),
    });
    console.log(`${engine}: ${report.events} events (seeded in ${formatNumber(report.seedSeconds)} s)`);
    for (const row of report.results) console.log(`  p50 ${formatNumber(row.p50)} ms  p95 ${formatNumber(row.p95)} ms  GET ${row.route}`);
  }
}
