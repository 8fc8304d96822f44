// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is CEL interpolation in workflow strings
// biome-ignore-all lint/suspicious/noThenProperty: `then` is the action of a trigger in the contract
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestUrl } from '../test/engines.js';
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

/** Asks until the answer is there: the instances advance runs on their own once a second. */
async function eventually<Value>(what: string, probe: () => Promise<Value | undefined>, attempts = 120): Promise<Value> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

suite(`workflows on two server processes on one PostgreSQL${postgresTestUrl ? '' : ' (skipped: MISSION_TEST_DATABASE_URL not set)'}`, () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDirectory: string;
  const instances: ServerProcess[] = [];
  let inspector: pg.Client;
  let token: string;
  const environment = (index: number) => ({
    DATABASE_URL: database.url,
    MISSION_DATA_DIR: path.join(dataDirectory, `instance-${index}`),
    MISSION_ADMIN_EMAIL: ownerEmail,
    MISSION_ADMIN_PASSWORD: ownerPassword,
    MISSION_RATE_LIMIT_PER_MINUTE: '100000',
    MISSION_SCHEDULER_ENABLED: 'false',
  });

  beforeAll(async () => {
    if (!postgresTestUrl) throw new Error('MISSION_REQUIRE_POSTGRES=1 but MISSION_TEST_DATABASE_URL is not set');
    await buildCommandLine();
    database = await createScratchPostgresDatabase(postgresTestUrl, 'mc_flows');
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-workflows-'));
    instances.push(await startServerProcess({ environment: environment(0) }));
    instances.push(await startServerProcess({ environment: environment(1) }));
    inspector = new pg.Client({ connectionString: database.url });
    await inspector.connect();
    const session = await (
      await fetch(`${instances[0]?.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ownerEmail, password: ownerPassword }),
      })
    ).json();
    token = session.accessToken as string;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.kill()));
    await inspector?.end().catch(() => {});
    await database?.drop();
    if (dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('starts a workflow exactly once from a trigger on task-status-changed while both instances feed', async () => {
    const [first, second] = instances.map((instance) => instance.url) as [string, string];
    await call(first, 'POST', '/api/v1/workflows', token, {
      name: 'on-done',
      inputs: { key: { type: 'string', required: true } },
      // A capability the pipeline agent below lacks, so it never takes this task.
      steps: [{ id: 'celebrate', kind: 'task', task: { title: 'Celebrate ${inputs.key}', requiredCapabilities: ['party'] } }],
    });
    await call(second, 'POST', '/api/v1/triggers', token, {
      name: 'Done work is celebrated',
      on: 'task-status-changed',
      if: "event.data.to == 'blocked'",
      then: { startWorkflow: { workflow: 'on-done', inputs: { key: '${event.data.key}' } } },
    });
    const task = await call(first, 'POST', '/api/v1/tasks', token, { title: 'Ship' });
    await call(second, 'POST', `/api/v1/tasks/${task.key}/status`, token, { status: 'blocked' });
    await eventually('the celebration task', async () => {
      const rows = await inspector.query("select count(*)::int as count from tasks where title like 'Celebrate %'");
      return rows.rows[0].count >= 1 ? true : undefined;
    });
    // Give both instances several more feeds, then count: one run, one task.
    const triggers = await call(first, 'GET', '/api/v1/triggers', token);
    const seqAfter = (await inspector.query('select max(seq)::int as seq from events')).rows[0].seq;
    await eventually('both feeds past the event', async () => {
      const rows = await inspector.query('select cursor_seq::int as seq from triggers');
      return rows.rows[0].seq >= seqAfter ? true : undefined;
    });
    const runs = await inspector.query("select count(*)::int as count from workflow_runs where workflow_name = 'on-done'");
    const tasks = await inspector.query('select count(*)::int as count from tasks where title = $1', [`Celebrate ${task.key}`]);
    expect(runs.rows[0].count).toBe(1);
    expect(tasks.rows[0].count).toBe(1);
    expect(triggers.data[0].firedCount).toBeLessThanOrEqual(1);
  });

  it('completes a run after a SIGKILL mid-run, with each task created exactly once', { timeout: 120_000 }, async () => {
    const [first] = instances.map((instance) => instance.url) as [string, string];
    const agent = await call(first, 'POST', '/api/v1/agents', token, { name: 'pipeliner', role: 'specialist' });
    const key = await call(first, 'POST', `/api/v1/agents/${agent.id}/api-keys`, token, { name: 'test' });
    await call(first, 'POST', '/api/v1/workflow-templates/pipeline/instantiate', token, {});
    const run = await call(first, 'POST', '/api/v1/workflows/pipeline/runs', token, { inputs: { goal: 'the crash' } });
    const completeNext = async (url: string) => {
      const claimed = await fetch(`${url}/api/v1/tasks/next`, { method: 'POST', headers: { authorization: `Bearer ${key.secret}` } });
      if (claimed.status !== 200) return false;
      const { task, lease } = await claimed.json();
      await call(url, 'POST', `/api/v1/tasks/${task.key}/status`, key.secret, { status: 'done', leaseToken: lease.token });
      return true;
    };
    await eventually('the plan task', async () => ((await completeNext(first)) ? true : undefined));
    // Kill the first instance while the second advances the run; then bring it back.
    await instances[0]?.kill();
    const second = instances[1]?.url as string;
    await eventually('the build task', async () => ((await completeNext(second)) ? true : undefined));
    instances[0] = await startServerProcess({ environment: environment(0) });
    const restarted = instances[0].url;
    await eventually('the verify task', async () => ((await completeNext(restarted)) ? true : undefined));
    let last: unknown;
    const finished = await eventually('the run to complete', async () => {
      const body = await call(restarted, 'GET', `/api/v1/workflow-runs/${run.id}`, token);
      last = body;
      return body.status === 'completed' ? body : undefined;
    }).catch(async (error) => {
      const state = await inspector.query('select status, wake_at, lease_owner, lease_expires_at from workflow_runs where id = $1', [
        run.id,
      ]);
      const cursor = await inspector.query('select * from workflow_feed_cursors');
      const tasks = await inspector.query('select title, status from tasks');
      throw new Error(
        `${error}: ${JSON.stringify({ last, state: state.rows, cursor: cursor.rows, tasks: tasks.rows })}\n${instances[1]?.output().slice(-3000)}`,
      );
    });
    expect(finished.steps.map((step: { status: string }) => step.status)).toEqual(['done', 'done', 'done']);
    const titles = await inspector.query(
      "select title, count(*)::int as count from tasks where title like '%: the crash' group by title order by title",
    );
    expect(titles.rows).toEqual([
      { title: 'Build: the crash', count: 1 },
      { title: 'Plan: the crash', count: 1 },
      { title: 'Verify: the crash', count: 1 },
    ]);
  });
});
