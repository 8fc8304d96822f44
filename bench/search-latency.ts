// node bench/dist/search-latency.js [--engine=sqlite|postgres] [--messages=100000]
// Search latency over a search index holding N messages (rows written straight into the index, as
// the triggers would), through the search service: the database's full-text query and nothing else.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { postgresBaseUrl } from './lib/bench-database.js';
import { percentile } from './lib/statistics.js';

// The server's internals, from its build (bench/dist sits one folder deeper than this source).
const serverBuild = (file: string) => new URL(`../../apps/server/dist/${file}`, import.meta.url).href;
const { openDatabase } = (await import(serverBuild('db/database.js'))) as typeof import('../apps/server/dist/db/database.js');
const { migrateToLatest } = (await import(serverBuild('db/migrate.js'))) as typeof import('../apps/server/dist/db/migrate.js');
const { createSearchService } = (await import(
  serverBuild('modules/search/search.service.js')
)) as typeof import('../apps/server/dist/modules/search/search.service.js');

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'sqlite' }, messages: { type: 'string', default: '100000' } },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const count = Number(values.messages);
const words =
  'deploy staging billing invoice cache latency rollback migration schema review parser queue worker lease token alert backup'.split(' ');

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-search-bench-'));
const schema = `mc_search_bench_${randomBytes(4).toString('hex')}`;
if (engine === 'postgres') {
  const admin = new pg.Client({ connectionString: postgresBaseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
}
const handle = openDatabase({
  dataDirectory: directory,
  ...(engine === 'postgres' ? { databaseUrl: postgresBaseUrl, postgresSchema: schema } : {}),
});
await migrateToLatest(handle.db, engine);
const workspaceId = randomUUID();
const table = engine === 'postgres' ? 'search_entries' : 'search_entries_rows';
const started = Date.now();
for (let start = 0; start < count; start += 1_000) {
  const rows = Array.from({ length: Math.min(1_000, count - start) }, (_, offset) => {
    const index = start + offset;
    // One word of the domain and eleven of a 5,000-word vocabulary: a query word matches a few percent of the messages.
    const vocabulary = Array.from({ length: 11 }, (__, position) => `w${(index * 31 + position * 977) % 5_000}`);
    const body = [words[index % words.length], ...vocabulary].join(' ');
    return sql`(${'message'}, ${randomUUID()}, ${index % 10 === 0 ? randomUUID() : workspaceId}, ${null}, ${null}, ${''}, ${body}, ${new Date().toISOString()})`;
  });
  await sql`insert into ${sql.table(table)} (entity_type, entity_id, workspace_id, task_id, agent_id, title, body, updated_at) values ${sql.join(rows)}`.execute(
    handle.db,
  );
}
const loadSeconds = (Date.now() - started) / 1000;
const search = createSearchService({ db: handle.db, engine, clock: { now: () => new Date() } });
const principal = { kind: 'user' as const, id: randomUUID(), workspaceId, role: 'owner' as const, sessionId: null };
const queries = ['invoice', 'staging rollback', 'why is the parser queue slow', 'w123 w4567', 'w42'];
const timings: number[] = [];
for (let round = 0; round < 20; round += 1) {
  for (const q of queries) {
    const before = performance.now();
    await search.searchWorkspace(principal, { q, limit: 20 });
    timings.push(performance.now() - before);
  }
}
console.log(
  `${engine}: ${count} messages indexed in ${loadSeconds.toFixed(1)} s; search p50 ${percentile(timings, 50).toFixed(1)} ms, p95 ${percentile(timings, 95).toFixed(1)} ms over ${timings.length} queries`,
);
await handle.close();
if (engine === 'postgres') {
  const admin = new pg.Client({ connectionString: postgresBaseUrl });
  await admin.connect();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
fs.rmSync(directory, { recursive: true, force: true });
