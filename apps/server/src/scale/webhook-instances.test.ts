import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestUrl } from '../test/engines.js';
import { type HttpReceiver, startHttpReceiver } from '../test/http-receiver.js';
import { buildCommandLine, createScratchPostgresDatabase, type ServerProcess, startServerProcess } from '../test/server-process.js';

const ownerEmail = 'owner@example.com';
const ownerPassword = 'correct horse battery staple';
const postgresRequired = process.env.MISSION_REQUIRE_POSTGRES === '1';
const suite = postgresTestUrl ? describe : postgresRequired ? describe : describe.skip;

async function call(baseUrl: string, method: string, route: string, token: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

suite(`webhooks from two server processes on one PostgreSQL${postgresTestUrl ? '' : ' (skipped: MISSION_TEST_DATABASE_URL not set)'}`, () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDirectory: string;
  const instances: ServerProcess[] = [];
  let inspector: pg.Client;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    if (!postgresTestUrl) throw new Error('MISSION_REQUIRE_POSTGRES=1 but MISSION_TEST_DATABASE_URL is not set');
    await buildCommandLine();
    database = await createScratchPostgresDatabase(postgresTestUrl, 'mc_hooks');
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-webhooks-'));
    const environment = (index: number) => ({
      DATABASE_URL: database.url,
      MISSION_DATA_DIR: path.join(dataDirectory, `instance-${index}`),
      MISSION_ADMIN_EMAIL: ownerEmail,
      MISSION_ADMIN_PASSWORD: ownerPassword,
      MISSION_RATE_LIMIT_PER_MINUTE: '100000',
      MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      MISSION_SCHEDULER_ENABLED: 'false',
    });
    instances.push(await startServerProcess({ environment: environment(0) }));
    instances.push(await startServerProcess({ environment: environment(1) }));
    inspector = new pg.Client({ connectionString: database.url });
    await inspector.connect();
    receiver = await startHttpReceiver();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.kill()));
    await receiver?.close();
    await inspector?.end().catch(() => {});
    await database?.drop();
    if (dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('delivers every event exactly once, in order, while both instances feed and send', async () => {
    const [first, second] = instances.map((instance) => instance.url) as [string, string];
    const session = await (
      await fetch(`${first}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ownerEmail, password: ownerPassword }),
      })
    ).json();
    const token = session.accessToken as string;
    const webhook = await call(second, 'POST', '/api/v1/webhooks', token, { url: receiver.url, events: ['task-created'] });

    const taskCount = 40;
    await Promise.all(
      [first, second].map(async (url, worker) => {
        for (let index = worker; index < taskCount; index += 2) await call(url, 'POST', '/api/v1/tasks', token, { title: `Hook ${index}` });
      }),
    );

    // Both instances' maintenance loops feed and send every second; wait for the database to say all went out.
    const deadline = Date.now() + 60_000;
    let succeeded = 0;
    while (Date.now() < deadline) {
      const rows = await inspector.query<{ count: string }>(
        `select count(*) from outbound_deliveries where target_id = $1 and status = 'succeeded'`,
        [webhook.id],
      );
      succeeded = Number(rows.rows[0]?.count ?? 0);
      if (succeeded >= taskCount) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(succeeded).toBe(taskCount);

    const ids = receiver.requests.map((request) => request.headers['webhook-id']);
    expect(ids).toHaveLength(taskCount);
    expect(new Set(ids).size).toBe(taskCount);
    const secret = webhook.secret as string;
    const sequence = receiver.requests.map(
      (request) => (new StandardWebhook(secret).verify(request.body, request.headers) as { data: { seq: number } }).data.seq,
    );
    const stored = await inspector.query<{ seq: string }>(`select seq from events where type = 'task-created' order by seq`);
    expect(sequence).toEqual(stored.rows.map((row) => Number(row.seq)));
    const attempts = await inspector.query<{ count: string }>('select count(*) from outbound_attempts');
    expect(Number(attempts.rows[0]?.count)).toBe(taskCount);
  }, 120_000);
});
