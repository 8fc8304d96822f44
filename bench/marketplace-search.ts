// node bench/dist/marketplace-search.js [--engine=sqlite|postgres] [--listings=10000]
// GET /api/v1/marketplace/search latency over N listings: the listings (and one version each) are
// written with SQL (the search index follows by its trigger or generated column), ratings and
// installs for a tenth of them, then the API is asked with words, filters, facets and each sort.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@mission-control/server';
import { sql } from 'kysely';
import { createBenchDatabase } from './lib/bench-database.js';
import { signIn } from './lib/mission-client.js';
import { percentile } from './lib/statistics.js';

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'sqlite' }, listings: { type: 'string', default: '10000' } },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const count = Number(values.listings);
const topics = 'research billing support sales legal security devops writing analytics hiring'.split(' ');
const words = 'contract invoice ticket lead clause audit deploy draft dashboard interview summary triage forecast review'.split(' ');
const pricings = [{ model: 'free' }, { model: 'one-off', priceCredits: 500 }, { model: 'subscription', monthlyCredits: 900 }];

const database = await createBenchDatabase(engine);
const server = await startServer(loadConfig(database.environment), { dashboardDirectory: '' });
const token = await signIn(server.url);
const me = (await (await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
  user: { id: string };
  workspace: { id: string };
};
const db = server.database.db;
const json = (value: unknown) => (engine === 'postgres' ? sql`${JSON.stringify(value)}::jsonb` : sql`${JSON.stringify(value)}`);
const content = { agents: [], workflows: [], skills: [] };
const started = Date.now();
for (let start = 0; start < count; start += 500) {
  const listings = [];
  const versions = [];
  for (let index = start; index < Math.min(count, start + 500); index += 1) {
    const id = randomUUID();
    const topic = topics[index % topics.length] ?? 'research';
    const pricing = pricings[index % pricings.length] ?? { model: 'free' };
    const tags = [words[index % words.length] ?? 'draft', words[(index * 7) % words.length] ?? 'review'];
    const at = new Date(Date.now() - index * 60_000).toISOString();
    listings.push(
      sql`(${id}, ${'agent'}, ${`${topic} ${words[(index * 3) % words.length]} helper ${index}`}, ${`Handles ${words[(index * 5) % words.length]} for ${topic} teams`}, ${`Does ${tags.join(' and ')} work, every day. Listing ${index}.`}, ${topic}, ${json(tags)}, ${tags.join(' ')}, ${'user'}, ${me.user.id}, ${'public'}, ${json(pricing)}, ${pricing.model}, ${'1.0.0'}, ${json([])}, ${at}, ${at})`,
    );
    versions.push(sql`(${id}, ${'1.0.0'}, ${'First version'}, ${json(content)}, ${at})`);
  }
  await sql`insert into marketplace_listings (id, kind, title, summary, description, category, tags, tags_text, publisher_kind, publisher_id, visibility, pricing, pricing_model, latest_version, sources, created_at, updated_at) values ${sql.join(listings)}`.execute(
    db,
  );
  await sql`insert into marketplace_listing_versions (listing_id, version, changelog, content, created_at) values ${sql.join(versions)}`.execute(
    db,
  );
}
// A tenth of the listings get two ratings and a few installs, so rating and installs sorts have work.
const rated = await sql<{ id: string }>`select id from marketplace_listings order by id limit ${Math.floor(count / 10)}`.execute(db);
for (const [index, row] of rated.rows.entries()) {
  const at = new Date().toISOString();
  await sql`insert into marketplace_reviews (id, listing_id, version, author_id, rating, body, status, matched_words, created_at, updated_at)
    values (${randomUUID()}, ${row.id}, ${'1.0.0'}, ${me.user.id}, ${1 + (index % 5)}, ${'fine'}, ${'published'}, ${json([])}, ${at}, ${at})`.execute(
    db,
  );
  await sql`insert into marketplace_installations (id, listing_id, workspace_id, version, status, items, installed_by, created_at, updated_at)
    values (${randomUUID()}, ${row.id}, ${me.workspace.id}, ${'1.0.0'}, ${'active'}, ${json([])}, ${me.user.id}, ${at}, ${at})`.execute(db);
}
if (engine === 'postgres') await sql`analyze`.execute(db);
const loadSeconds = (Date.now() - started) / 1000;

const queries = [
  'q=contract',
  'q=research%20summary',
  'q=invoice&category=billing&sort=rating',
  'category=sales&pricing=one-off,subscription',
  'sort=installs',
  'sort=trending&tags=audit',
  'q=help&minRating=3&sort=newest',
  '',
];
const timings = new Map<string, number[]>();
for (let round = 0; round < 15; round += 1) {
  for (const query of queries) {
    const before = performance.now();
    const answer = await fetch(`${server.url}/api/v1/marketplace/search?${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status !== 200) throw new Error(`search answered ${answer.status}: ${await answer.text()}`);
    await answer.json();
    if (round > 0) timings.set(query, [...(timings.get(query) ?? []), performance.now() - before]);
  }
}
const all = [...timings.values()].flat();
console.log(
  `${engine}: ${count} listings seeded in ${loadSeconds.toFixed(1)} s; GET /api/v1/marketplace/search p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms over ${all.length} queries`,
);
for (const [query, samples] of timings)
  console.log(`  ${(query || '(no filter)').padEnd(48)} p50 ${percentile(samples, 50).toFixed(1)} ms`);
await server.close();
await database.drop();
