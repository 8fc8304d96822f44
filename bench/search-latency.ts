// node bench/dist/search-latency.js [--engine=sqlite|postgres] [--messages=100000]
// GET /api/v1/search latency over a search index holding N messages: the rows are written straight
// into the index (as the triggers on messages would) so seeding takes seconds, then the API is asked.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@mission-control/server';
import { sql } from 'kysely';
import { createBenchDatabase } from './lib/bench-database.js';
import { signIn } from './lib/mission-client.js';
import { percentile } from './lib/statistics.js';

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'sqlite' }, messages: { type: 'string', default: '100000' } },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const count = Number(values.messages);
const words =
  'deploy staging billing invoice cache latency rollback migration schema review parser queue worker lease token alert backup'.split(' ');

const database = await createBenchDatabase(engine);
const server = await startServer(loadConfig(database.environment), { dashboardDirectory: '' });
const token = await signIn(server.url);
const me = (await (await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
  workspace: { id: string };
};
const workspaceId = me.workspace.id;
const table = engine === 'postgres' ? 'search_entries' : 'search_entries_rows';
const started = Date.now();
for (let start = 0; start < count; start += 1_000) {
  const rows = Array.from({ length: Math.min(1_000, count - start) }, (_, offset) => {
    const index = start + offset;
    // One word of the domain and eleven of a 5,000-word vocabulary: a query word matches a few percent of the messages.
    const vocabulary = Array.from({ length: 11 }, (__, position) => `w${(index * 31 + position * 977) % 5_000}`);
    const body = [words[index % words.length], ...vocabulary].join(' ');
    // Every tenth message belongs to another workspace, which the search must leave out.
    return sql`(${'message'}, ${randomUUID()}, ${index % 10 === 0 ? randomUUID() : workspaceId}, ${null}, ${null}, ${''}, ${body}, ${new Date().toISOString()})`;
  });
  await sql`insert into ${sql.table(table)} (entity_type, entity_id, workspace_id, task_id, agent_id, title, body, updated_at) values ${sql.join(rows)}`.execute(
    server.database.db,
  );
}
const loadSeconds = (Date.now() - started) / 1000;
const queries = ['invoice', 'staging rollback', 'why is the parser queue slow', 'w123 w4567', 'w42'];
const timings: number[] = [];
for (let round = 0; round < 20; round += 1) {
  for (const q of queries) {
    const before = performance.now();
    const answer = await fetch(`${server.url}/api/v1/search?q=${encodeURIComponent(q)}&limit=20`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (answer.status !== 200) throw new Error(`search answered ${answer.status}: ${await answer.text()}`);
    await answer.json();
    timings.push(performance.now() - before);
  }
}
console.log(
  `${engine}: ${count} messages indexed in ${loadSeconds.toFixed(1)} s; GET /api/v1/search p50 ${percentile(timings, 50).toFixed(1)} ms, p95 ${percentile(timings, 95).toFixed(1)} ms over ${timings.length} queries`,
);
await server.close();
await database.drop();
