// node bench/dist/profile-requests.js [--engine=sqlite|postgres] [--seconds=5] [--out=/tmp/profiles]
// Where the CPU of one request goes: the real server (as the bench runs it) on a 1,000-task board,
// profiled only while one kind of request is sent (GET a task, POST a task), and the time summed
// by what spent it — SQLite or the PostgreSQL driver, Kysely, zod, Fastify, socket writes, our own
// modules. A profile explains a CPU-per-request figure; it is no benchmark (see run.ts for those).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchDatabase, type Engine } from './lib/bench-database.js';
import { startChild } from './lib/child-process.js';
import { runLoad } from './lib/http-load.js';
import { expectCall, seedAgents, seedTasks, signIn } from './lib/mission-client.js';

const { values: options } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '5' },
    out: { type: 'string', default: '/tmp/profiles' },
  },
});
const engine = options.engine as Engine;
const seconds = Number(options.seconds);
fs.mkdirSync(options.out, { recursive: true });

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** What a stack frame's time counts as: a package, a part of Node, the database driver's native work, or a module of ours. */
function categorise(frame: ProfileNode['callFrame'], caller: ProfileNode['callFrame'] | undefined): string {
  const { url, functionName } = frame;
  if (functionName === '(idle)' || caller?.url === 'node:inspector') return '(idle)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  // better-sqlite3's native calls have no URL; their caller is Kysely's SQLite driver.
  if (url === '' && caller?.url.includes('sqlite-driver')) return 'SQLite (native statement work)';
  if (functionName === 'writev' || functionName === 'writeUtf8String' || functionName === 'writeBuffer') return 'socket writes';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage?.[1]) return inPackage[1];
  const ours = /apps\/server\/dist\/(.+?)\/[^/]+\.js$/.exec(url);
  if (ours?.[1]) return `server: ${ours[1]}`;
  if (url.startsWith('node:') || url === '') return `node: ${url || functionName}`;
  return url.split('/').slice(-2).join('/');
}

function summarise(profile: Profile, requests: number): string[] {
  const self = new Map<number, number>();
  for (const [index, sample] of profile.samples.entries()) self.set(sample, (self.get(sample) ?? 0) + (profile.timeDeltas[index] ?? 0));
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const callerOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) callerOf.set(child, node);
  const byCategory = new Map<string, number>();
  for (const [id, microseconds] of self) {
    const node = byNode.get(id);
    if (!node) continue;
    const category = categorise(node.callFrame, callerOf.get(id)?.callFrame);
    byCategory.set(category, (byCategory.get(category) ?? 0) + microseconds);
  }
  byCategory.delete('(idle)');
  const busy = [...byCategory.values()].reduce((sum, value) => sum + value, 0);
  return [
    `  busy ${(busy / requests).toFixed(1)} µs per request (${requests} requests)`,
    ...[...byCategory.entries()]
      .sort((left, right) => right[1] - left[1])
      .slice(0, 14)
      .map(
        ([category, microseconds]) =>
          `  ${((100 * microseconds) / busy).toFixed(1).padStart(5)} %  ${(microseconds / requests).toFixed(1).padStart(7)} µs  ${category}`,
      ),
  ];
}

const database = await createBenchDatabase(engine);
const server = await startChild<{ url: string }>('mission-server.js', database.environment);
const runner = database.connect();
try {
  const url = server.ready.url;
  const ownerToken = await signIn(url);
  const [agent] = await seedAgents(url, ownerToken, runner, 1);
  const apiKey = agent?.apiKey as string;
  await seedTasks(url, ownerToken, runner, 999);
  await runner.analyze('tasks');
  const task = await expectCall(url, 'POST', '/api/v1/tasks', apiKey, { title: 'The task everyone reads', description: 'x'.repeat(400) });
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const cases = [
    { name: 'GET /api/v1/tasks/{id}', load: { url: `${url}/api/v1/tasks/${task.id}`, headers } },
    {
      name: 'POST /api/v1/tasks',
      load: { url: `${url}/api/v1/tasks`, method: 'POST' as const, headers, body: JSON.stringify({ title: 'A new task' }) },
    },
  ];
  process.stdout.write(`${engine}, ${seconds} s per request kind, 50 connections\n`);
  for (const entry of cases) {
    await runLoad({ ...entry.load, connections: 50, duration: 1 });
    await server.ask('profile-start');
    const result = await runLoad({ ...entry.load, connections: 50, duration: seconds });
    const file = path.join(options.out, `${engine}-${entry.name.replace(/[^a-z]+/gi, '-')}.cpuprofile`);
    await server.ask('profile-stop', { file });
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
    process.stdout.write(
      `${entry.name}: ${result.throughput.toFixed(0)} req/s, profile in ${file}\n${summarise(profile, result.ok).join('\n')}\n`,
    );
  }
} finally {
  await runner.close();
  await server.stop();
  await database.drop();
}
