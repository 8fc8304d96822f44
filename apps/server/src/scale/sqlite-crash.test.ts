import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, type ServerProcess, startServerProcess } from '../test/server-process.js';

const ownerEmail = 'owner@example.com';
const ownerPassword = 'correct horse battery staple';

async function post(baseUrl: string, route: string, token: string, body: unknown): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(`${baseUrl}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    // Refused or reset: the server is gone and the write was never acknowledged.
    return { status: 0, body: undefined };
  }
}

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ownerEmail, password: ownerPassword }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

describe('the SQLite server killed with SIGKILL during sustained writes', () => {
  let dataDirectory: string;
  let server: ServerProcess | undefined;
  const environment = () => ({ MISSION_DATA_DIR: dataDirectory, MISSION_ADMIN_EMAIL: ownerEmail, MISSION_ADMIN_PASSWORD: ownerPassword });

  beforeAll(async () => {
    await buildCommandLine();
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-crash-'));
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    if (dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('restarts on an intact database that holds every acknowledged write', async () => {
    server = await startServerProcess({ environment: environment() });
    const url = server.url;
    let token = await signIn(url);
    const thread = (await post(url, '/api/v1/tasks', token, { title: 'Crash thread' })).body as { id: string };
    const acknowledgedTasks: string[] = [];
    const acknowledgedMessages: string[] = [];
    let serverGone = false;

    const writer = async (worker: number) => {
      for (let round = 0; round < 5_000 && !serverGone; round += 1) {
        const writeTask = (round + worker) % 2 === 0;
        const answer = writeTask
          ? await post(url, '/api/v1/tasks', token, { title: `Crash ${worker}-${round}`, description: 'x'.repeat(200) })
          : await post(url, `/api/v1/tasks/${thread.id}/messages`, token, { content: `progress ${worker}-${round}` });
        if (answer.status === 0) serverGone = true;
        else if (answer.status >= 200 && answer.status < 300) {
          (writeTask ? acknowledgedTasks : acknowledgedMessages).push((answer.body as { id: string }).id);
        } else throw new Error(`a write answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    };
    const writers = Promise.all([0, 1, 2, 3].map(writer));
    // Kill once a good number of writes are through, in the middle of the stream.
    for (let wait = 0; wait < 200 && acknowledgedTasks.length + acknowledgedMessages.length < 300; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await server.kill();
    await writers;
    expect(acknowledgedTasks.length + acknowledgedMessages.length).toBeGreaterThan(0);

    // The file as the crash left it (WAL included) passes the integrity check…
    const file = path.join(dataDirectory, 'mission.db');
    const inspector = new SqliteDatabase(file);
    try {
      expect(inspector.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      inspector.close();
    }

    // …and a restarted server on the same directory serves every acknowledged write.
    server = await startServerProcess({ environment: environment() });
    token = await signIn(server.url);
    for (const id of [acknowledgedTasks[0], acknowledgedTasks[acknowledgedTasks.length - 1]]) {
      const response = await fetch(`${server.url}/api/v1/tasks/${id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
    }
    await server.stop();
    server = undefined;

    const reopened = new SqliteDatabase(file, { readonly: true });
    try {
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
      const storedTasks = new Set(reopened.prepare('select id from tasks').pluck().all() as string[]);
      const storedMessages = new Set(reopened.prepare('select id from messages').pluck().all() as string[]);
      expect(acknowledgedTasks.filter((id) => !storedTasks.has(id))).toEqual([]);
      expect(acknowledgedMessages.filter((id) => !storedMessages.has(id))).toEqual([]);
    } finally {
      reopened.close();
    }
  });
});
