// node bench/event-ordering-ab.mjs <other build's apps/server/dist> (after `npx tsc -b`)
// A/B of event-writing transactions on PostgreSQL (decision 0020): 200 workers on a 40-connection
// pool, each transaction one appendEvent and three more round trips, with this build's appendEvent
// and the other build's, alternating, 3 rounds of AB_SECONDS (8) each on one schema. Reports
// commits/s and the backends waiting on heavyweight locks (pg_stat_activity, sampled every 100 ms).
import path from 'node:path';
import pg from 'pg';

const otherDist = path.resolve(process.argv[2] ?? '');
const thisDist = new URL('../apps/server/dist/', import.meta.url).pathname;
const after = await import(path.join(thisDist, 'events/event.repository.js'));
const before = await import(path.join(otherDist, 'events/event.repository.js'));
const { openDatabase } = await import(path.join(thisDist, 'db/database.js'));
const { migrateToLatest } = await import(path.join(thisDist, 'db/migrate.js'));
const base = process.env.BENCH_DATABASE_URL ?? process.env.MISSION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `ab_${Date.now()}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`create schema ${schema}`);
const handle = openDatabase({ dataDirectory: '/tmp', databaseUrl: base, postgresSchema: schema, postgresPoolSize: 40 });
await migrateToLatest(handle.db, handle.engine);
const db = handle.db;
const ws = (await db.selectFrom('workspaces').select('id').executeTakeFirst())?.id ?? 'w';
if (ws === 'w')
  await db
    .insertInto('workspaces')
    .values({ id: 'w', name: 'w', slug: 'w', task_key_prefix: 'T', task_counter: 0, created_at: new Date().toISOString() })
    .execute()
    .catch((e) => {
      console.error(e.message);
    });
const seconds = Number(process.env.AB_SECONDS ?? 8);
async function run(label, impl) {
  let commits = 0;
  let stop = false;
  const waits = [];
  const kinds = [];
  const sampler = setInterval(async () => {
    const r = await admin.query(
      `select count(*) filter (where wait_event_type = 'Lock') as l, string_agg(wait_event, ',') filter (where wait_event_type = 'Lock') as e from pg_stat_activity where datname = current_database()`,
    );
    waits.push(Number(r.rows[0].l));
    if (r.rows[0].e) kinds.push(...r.rows[0].e.split(','));
  }, 100);
  const start = performance.now();
  const worker = async () => {
    while (!stop) {
      await db.transaction().execute(async (trx) => {
        await impl.appendEvent(trx, {
          workspaceId: ws,
          type: 'task-updated',
          actor: null,
          summary: 'x',
          data: { key: 'T-1', fields: ['title'] },
          at: new Date(),
        });
        for (let i = 0; i < Number(process.env.AB_ROUNDS ?? 3); i++)
          await trx.selectFrom('workspaces').select('id').where('id', '=', ws).execute();
      });
      commits++;
    }
  };
  const workers = Array.from({ length: 200 }, worker);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop = true;
  await Promise.all(workers);
  clearInterval(sampler);
  const elapsed = (performance.now() - start) / 1000;
  const meanWait = waits.reduce((a, b) => a + b, 0) / Math.max(1, waits.length);
  const k = {};
  for (const x of kinds) k[x] = (k[x] ?? 0) + 1;
  console.log(JSON.stringify(k));
  console.log(`${label}: ${(commits / elapsed).toFixed(0)} commits/s, ${meanWait.toFixed(1)} backends waiting on locks (mean)`);
  return commits / elapsed;
}
const results = { before: [], after: [] };
for (let i = 0; i < Number(process.env.AB_ROUNDS ?? 3); i++) {
  for (const [label, impl] of i % 2 === 0
    ? [
        ['before', before],
        ['after', after],
      ]
    : [
        ['after', after],
        ['before', before],
      ])
    results[label].push(await run(label, impl));
}
const med = (xs) => [...xs].sort((a, b) => a - b)[1];
console.log(`median before ${med(results.before).toFixed(0)}, after ${med(results.after).toFixed(0)} commits/s`);
await handle.close();
await admin.query(`drop schema ${schema} cascade`);
await admin.end();
