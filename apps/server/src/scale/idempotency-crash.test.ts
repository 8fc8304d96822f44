import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { Engine } from '../db/database.js';
import { describeEachEngine, postgresTestUrl } from '../test/engines.js';
import { buildCommandLine, createScratchPostgresDatabase, type ServerProcess, startServerProcess } from '../test/server-process.js';

const ownerEmail = 'owner@example.com';
const ownerPassword = 'correct horse battery staple';

interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** One POST; a refused or reset connection answers status 0: the write was never acknowledged. */
async function post(baseUrl: string, route: string, token: string, body: unknown, key: string): Promise<Answer> {
  try {
    const response = await fetch(`${baseUrl}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      replayed: response.headers.get('idempotency-replayed') === 'true',
    };
  } catch {
    return { status: 0, body: undefined, replayed: false };
  }
}

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ownerEmail, password: ownerPassword }),
  });
  return z.object({ accessToken: z.string() }).parse(await response.json()).accessToken;
}

const createdSchema = z.object({ id: z.string() });
/** Kill and restart this many times; each burst has this many writers in flight at the kill. */
const crashes = 3;
const workers = 12;
const acknowledged = (answer: Answer) => answer.status >= 200 && answer.status < 300;

/** One write of the burst: what was sent, under which key, and what its first answer was. */
interface Write {
  kind: 'task' | 'message';
  key: string;
  /** Unique text of this write (the task's title, the message's content), to count its rows by. */
  marker: string;
  route: string;
  body: Record<string, unknown>;
  first?: Answer;
}

/** How many rows hold each marker, read straight from the database (tasks by title, messages by content). */
type CountRows = (kind: Write['kind'], markers: string[]) => Promise<Map<string, number>>;

function sqliteRowCounter(file: string): CountRows {
  return async (kind, markers) => {
    const reader = new SqliteDatabase(file, { readonly: true });
    try {
      const column = kind === 'task' ? 'title' : 'content';
      const rows = z
        .array(z.object({ marker: z.string(), count: z.number() }))
        .parse(reader.prepare(`select ${column} as marker, count(*) as count from ${kind}s group by ${column}`).all());
      const wanted = new Set(markers);
      return new Map(rows.filter((row) => wanted.has(row.marker)).map((row) => [row.marker, row.count]));
    } finally {
      reader.close();
    }
  };
}

function postgresRowCounter(url: string): CountRows {
  return async (kind, markers) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const column = kind === 'task' ? 'title' : 'content';
      const result = await client.query(
        `select ${column} as marker, count(*)::int as count from ${kind}s where ${column} = any($1) group by ${column}`,
        [markers],
      );
      const rows = z.array(z.object({ marker: z.string(), count: z.number() })).parse(result.rows);
      return new Map(rows.map((row) => [row.marker, row.count]));
    } finally {
      await client.end();
    }
  };
}

describeEachEngine('idempotent writes across a SIGKILL', (engine: Engine) => {
  let dataDirectory: string;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let server: ServerProcess | undefined;
  let countRows: CountRows;
  const environment = () => ({
    MISSION_DATA_DIR: dataDirectory,
    MISSION_ADMIN_EMAIL: ownerEmail,
    MISSION_ADMIN_PASSWORD: ownerPassword,
    MISSION_RATE_LIMIT_PER_MINUTE: '1000000',
    ...(database ? { DATABASE_URL: database.url } : {}),
  });

  beforeAll(async () => {
    await buildCommandLine();
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-idempotency-crash-'));
    if (engine === 'postgres') {
      if (!postgresTestUrl) throw new Error('MISSION_TEST_DATABASE_URL is not set');
      database = await createScratchPostgresDatabase(postgresTestUrl, 'mc_crash');
      countRows = postgresRowCounter(database.url);
    } else {
      countRows = sqliteRowCounter(path.join(dataDirectory, 'mission.db'));
    }
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    await database?.drop();
    if (dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('retried with their keys after each crash, the writes land exactly once: no duplicate, none lost', async () => {
    server = await startServerProcess({ environment: environment() });
    let token = await signIn(server.url);
    const threadAnswer = await post(server.url, '/api/v1/tasks', token, { title: 'Crash thread' }, randomUUID());
    const thread = createdSchema.parse(threadAnswer.body);

    const run = randomUUID().slice(0, 8);
    const writes: Write[] = [];
    const retried: Answer[] = [];
    let acknowledgedCount = 0;
    let unacknowledgedCount = 0;

    for (let crash = 0; crash < crashes; crash += 1) {
      const url = server.url;
      const burst: Write[] = [];
      let serverGone = false;
      let acknowledgedInBurst = 0;
      const writer = async (worker: number) => {
        for (let round = 0; round < 5_000 && !serverGone; round += 1) {
          const kind = (round + worker) % 2 === 0 ? 'task' : 'message';
          const marker = `crash-${run} ${kind} ${crash}/${worker}-${round}`;
          const write: Write =
            kind === 'task'
              ? { kind, key: randomUUID(), marker, route: '/api/v1/tasks', body: { title: marker, description: 'x'.repeat(200) } }
              : { kind, key: randomUUID(), marker, route: `/api/v1/tasks/${thread.id}/messages`, body: { content: marker } };
          burst.push(write);
          write.first = await post(url, write.route, token, write.body, write.key);
          if (acknowledged(write.first)) acknowledgedInBurst += 1;
          else if (write.first.status === 0 || write.first.status >= 500) serverGone = true;
          else throw new Error(`a write answered ${write.first.status}: ${JSON.stringify(write.first.body)}`);
        }
      };
      const writers = Promise.all(Array.from({ length: workers }, (_, worker) => writer(worker)));
      // SIGKILL once a good number of writes went through, in the middle of the burst.
      for (let wait = 0; wait < 400 && acknowledgedInBurst < 300; wait += 1) await new Promise((resolve) => setTimeout(resolve, 25));
      await server.kill();
      await writers;
      writes.push(...burst);
      acknowledgedCount += acknowledgedInBurst;

      const unacknowledged = burst.filter((write) => !write.first || !acknowledged(write.first));
      unacknowledgedCount += unacknowledged.length;
      expect(acknowledgedInBurst).toBeGreaterThan(0);
      expect(unacknowledged.length).toBeGreaterThan(0);

      // The restarted server, and every write that was not acknowledged sent again with its own key.
      server = await startServerProcess({ environment: environment() });
      token = await signIn(server.url);
      const answers = await Promise.all(
        unacknowledged.map((write) => post(server?.url as string, write.route, token, write.body, write.key)),
      );
      expect(answers.filter((answer) => !acknowledged(answer)).map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual(
        [],
      );
      retried.push(...answers);
      // An acknowledged write asked again is answered from its stored answer, with the same id.
      for (const write of burst.filter((each) => each.first && acknowledged(each.first)).slice(-10)) {
        const again = await post(server.url, write.route, token, write.body, write.key);
        expect(again.replayed).toBe(true);
        expect(createdSchema.parse(again.body).id).toBe(createdSchema.parse(write.first?.body).id);
      }
    }
    await server.stop();
    server = undefined;

    let duplicates = 0;
    let lost = 0;
    for (const kind of ['task', 'message'] as const) {
      const ofKind = writes.filter((write) => write.kind === kind);
      const counts = await countRows(
        kind,
        ofKind.map((write) => write.marker),
      );
      for (const write of ofKind) {
        const count = counts.get(write.marker) ?? 0;
        if (count === 0) lost += 1;
        duplicates += Math.max(0, count - 1);
      }
    }
    const replayedAfterCrash = retried.filter((answer) => answer.replayed).length;
    process.stdout.write(
      `[idempotency-crash ${engine}] ${crashes} SIGKILLs, ${writes.length} writes, ${acknowledgedCount} acknowledged before a SIGKILL, ` +
        `${unacknowledgedCount} retried after a restart (${replayedAfterCrash} replayed a committed answer, ` +
        `${unacknowledgedCount - replayedAfterCrash} ran afresh): ${duplicates} duplicates, ${lost} lost\n`,
    );
    expect({ duplicates, lost }).toEqual({ duplicates: 0, lost: 0 });
  }, 120_000);
});
