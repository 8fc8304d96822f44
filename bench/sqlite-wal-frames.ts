// node bench/dist/sqlite-wal-frames.js [other build's apps/server/dist/index.js] (after `npm run bench -- --help` built it)
// WAL frames (pages written) per POST /tasks on SQLite (decision 0027): the server runs from its
// package (or the other build), on a board of 1,000 tasks; this process truncates the WAL, sends
// 40 POSTs one after another, and reads how many frames the WAL holds (PRAGMA wal_checkpoint
// answers it). The same wait without requests, right after, is subtracted (background writes).
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { createBenchDatabase } from './lib/bench-database.js';
import { startChild } from './lib/child-process.js';
import { expectCall, seedAgents, seedTasks, signIn } from './lib/mission-client.js';

const entry = process.argv[2];
const posts = 40;
const rounds = 5;

/** Frames in the WAL now; with TRUNCATE, empties it first (the server must be idle). */
function walFrames(observer: SqliteDatabase.Database, mode: 'PASSIVE' | 'TRUNCATE'): number {
  const [row] = observer.pragma(`wal_checkpoint(${mode})`) as { busy: number; log: number; checkpointed: number }[];
  return row?.log ?? -1;
}

async function measure(label: string, serverEntry: string | undefined): Promise<void> {
  const database = await createBenchDatabase('sqlite');
  const server = await startChild<{ url: string }>('mission-server.js', {
    ...database.environment,
    ...(serverEntry ? { BENCH_SERVER_ENTRY: path.resolve(serverEntry) } : {}),
  });
  const runner = database.connect();
  try {
    const url = server.ready.url;
    const ownerToken = await signIn(url);
    const [agent] = await seedAgents(url, ownerToken, runner, 1);
    await seedTasks(url, ownerToken, runner, 999);
    const observer = new SqliteDatabase(path.join(database.environment.MISSION_DATA_DIR as string, 'mission.db'));
    const perPost: number[] = [];
    const raw: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      walFrames(observer, 'TRUNCATE');
      const started = performance.now();
      for (let index = 0; index < posts; index += 1) {
        await expectCall(url, 'POST', '/api/v1/tasks', agent?.apiKey, { title: `WAL task ${round}-${index}`, priority: 'high' });
      }
      const elapsed = performance.now() - started;
      const written = walFrames(observer, 'PASSIVE');
      walFrames(observer, 'TRUNCATE');
      await new Promise((resolve) => setTimeout(resolve, elapsed));
      const background = walFrames(observer, 'PASSIVE');
      perPost.push((written - background) / posts);
      raw.push(`${written}−${background}`);
    }
    observer.close();
    const sorted = [...perPost].sort((left, right) => left - right);
    console.log(
      `${label}: ${sorted[Math.floor(rounds / 2)]?.toFixed(1)} WAL frames per POST (median of ${rounds} rounds of ${posts}; [${sorted[0]?.toFixed(1)}–${sorted[rounds - 1]?.toFixed(1)}]; frames written − background per round: ${raw.join(', ')})`,
    );
  } finally {
    await runner.close();
    await server.stop();
    await database.drop();
  }
}

if (entry) await measure('other build', entry);
await measure('this build', undefined);
