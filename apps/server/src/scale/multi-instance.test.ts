import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestUrl } from '../test/engines.js';
import {
  buildCommandLine,
  createScratchPostgresDatabase,
  findTestRedis,
  type ServerProcess,
  startServerProcess,
} from '../test/server-process.js';
import { connectStream, type TestStreamClient } from '../test/stream-client.js';

const ownerEmail = 'owner@example.com';
const ownerPassword = 'correct horse battery staple';
const postgresRequired = process.env.MISSION_REQUIRE_POSTGRES === '1';

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** One HTTP call; a refused or reset connection answers status 0 (never acknowledged). */
async function call(baseUrl: string, method: string, route: string, credential: string, body?: unknown, key?: string): Promise<Answer> {
  try {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${credential}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  } catch {
    return { status: 0, body: undefined, headers: new Headers() };
  }
}

function expectOk(answer: Answer, what: string): Record<string, unknown> {
  if (answer.status < 200 || answer.status >= 300) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

const suite = postgresTestUrl ? describe : postgresRequired ? describe : describe.skip;

suite(`several server processes on one PostgreSQL${postgresTestUrl ? '' : ' (skipped: MISSION_TEST_DATABASE_URL not set)'}`, () => {
  let database: { url: string; drop(): Promise<void> };
  let redisUrl: string | undefined;
  let dataDirectory: string;
  const instances: ServerProcess[] = [];
  let inspector: pg.Client;
  let ownerToken: string;
  let workspaceId: string;
  const agents: { id: string; apiKey: string; home: number }[] = [];
  const clients: TestStreamClient[] = [];

  /** The workspace's event sequence as stored: what every client must have seen, in this order. */
  const storedSequence = async () =>
    (await inspector.query<{ seq: string }>('select seq from events where workspace_id = $1 order by seq', [workspaceId])).rows.map((row) =>
      Number(row.seq),
    );

  const expectClientsSawExactly = async (watching: TestStreamClient[]) => {
    const sequence = await storedSequence();
    const last = sequence[sequence.length - 1] ?? 0;
    for (const client of watching) {
      await client.waitFor(
        (messages) => messages.some((message) => message.type === 'event' && message.seq >= last),
        `seq ${last}`,
        20_000,
      );
      const seen = client.events().map((event) => event.seq);
      // Exactly once and in order: the seen list is the stored list, element for element.
      expect(seen).toEqual(sequence);
    }
  };

  beforeAll(async () => {
    if (!postgresTestUrl) throw new Error('MISSION_REQUIRE_POSTGRES=1 but MISSION_TEST_DATABASE_URL is not set');
    await buildCommandLine();
    database = await createScratchPostgresDatabase(postgresTestUrl);
    redisUrl = await findTestRedis();
    if (!redisUrl) process.stdout.write('[mission-control] Redis is not reachable: the multi-instance test runs without REDIS_URL\n');
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-multi-'));
    const environment = (index: number) => ({
      DATABASE_URL: database.url,
      MISSION_DATA_DIR: path.join(dataDirectory, `instance-${index}`),
      MISSION_ADMIN_EMAIL: ownerEmail,
      MISSION_ADMIN_PASSWORD: ownerPassword,
      MISSION_RATE_LIMIT_PER_MINUTE: '100000',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    });
    // The first instance migrates and creates the owner; the others start together against it.
    instances.push(await startServerProcess({ environment: environment(0) }));
    instances.push(...(await Promise.all([1, 2].map((index) => startServerProcess({ environment: environment(index) })))));
    inspector = new pg.Client({ connectionString: database.url });
    await inspector.connect();
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(instances.map((instance) => instance.kill()));
    await inspector?.end().catch(() => {});
    await database?.drop();
    if (dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('accepts a token and API keys issued by one instance on every other, and shares rate-limit counters', async () => {
    const [first, second, third] = instances.map((instance) => instance.url) as [string, string, string];
    const login = await fetch(`${first}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ownerEmail, password: ownerPassword }),
    });
    const session = (await login.json()) as { accessToken: string };
    ownerToken = session.accessToken;
    for (const url of [second, third]) expect((await call(url, 'GET', '/api/v1/tasks?limit=1', ownerToken)).status).toBe(200);
    workspaceId = (await inspector.query<{ workspace_id: string }>('select workspace_id from memberships limit 1')).rows[0]
      ?.workspace_id as string;

    for (let index = 0; index < 6; index += 1) {
      const home = index % instances.length;
      const creator = instances[(index + 1) % instances.length]?.url as string;
      const agent = expectOk(
        await call(creator, 'POST', '/api/v1/agents', ownerToken, {
          name: `worker-${index}`,
          role: 'specialist',
          heartbeatIntervalSeconds: 5,
        }),
        'creating an agent',
      );
      const key = expectOk(await call(creator, 'POST', `/api/v1/agents/${agent.id}/api-keys`, ownerToken, { name: 'multi' }), 'an API key');
      agents.push({ id: agent.id as string, apiKey: key.secret as string, home });
    }
    // A key created through one instance authenticates on each of the others.
    for (const url of [first, second, third])
      expect((await call(url, 'GET', '/api/v1/tasks?limit=1', agents[0]?.apiKey as string)).status).toBe(200);

    if (redisUrl) {
      // The counters live in Redis: two requests through two instances count against one budget.
      const before = await call(second, 'GET', '/api/v1/tasks?limit=1', agents[1]?.apiKey as string);
      const after = await call(third, 'GET', '/api/v1/tasks?limit=1', agents[1]?.apiKey as string);
      expect(Number(after.headers.get('x-ratelimit-remaining'))).toBe(Number(before.headers.get('x-ratelimit-remaining')) - 1);
    }
  });

  it('reports the database, Redis and the event listener in /api/health on every instance', async () => {
    for (const instance of instances) {
      const health = (await (await fetch(`${instance.url}/api/health`)).json()) as Record<string, Record<string, unknown>>;
      expect(health.status).toBe('ok');
      expect(health.database).toMatchObject({ status: 'up', engine: 'postgres' });
      expect(health.eventStream).toMatchObject({ status: 'up', listening: true });
      if (redisUrl) expect(health.redis).toMatchObject({ status: 'up' });
    }
  });

  it('shows every client every event exactly once and in order while agents on all instances finish every task once', async () => {
    for (const instance of instances) {
      const client = connectStream(`${instance.url.replace('http', 'ws')}/api/v1/ws/activities?token=${ownerToken}&after=0`);
      clients.push(client);
      await client.waitFor((messages) => messages.some((message) => message.type === 'ready' || message.type === 'event'), 'the stream');
    }

    const taskCount = 45;
    let created = 0;
    const createTasks = async (worker: number) => {
      for (let index = worker; index < taskCount; index += 3) {
        const url = instances[index % instances.length]?.url as string;
        expectOk(
          await call(url, 'POST', '/api/v1/tasks', ownerToken, { title: `Multi ${index}`, priority: 'medium' }, randomUUID()),
          'creating a task',
        );
        created += 1;
      }
    };
    const finished: string[] = [];
    const work = async (agent: (typeof agents)[number]) => {
      const url = instances[agent.home]?.url as string;
      for (let round = 0; round < 500; round += 1) {
        const next = await call(url, 'POST', '/api/v1/tasks/next', agent.apiKey, {});
        if (next.status === 204) {
          if (created >= taskCount) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const claim = expectOk(next, 'claim-next') as { task: { id: string }; lease: { token: string } };
        expectOk(
          await call(url, 'POST', `/api/v1/tasks/${claim.task.id}/status`, agent.apiKey, { status: 'done', leaseToken: claim.lease.token }),
          'finishing a task',
        );
        finished.push(claim.task.id);
      }
    };
    await Promise.all([...[0, 1, 2].map(createTasks), ...agents.map(work)]);

    expect(finished).toHaveLength(taskCount);
    expect(new Set(finished).size).toBe(taskCount);
    const statuses = await inspector.query<{ status: string; count: string }>('select status, count(*) from tasks group by status');
    expect(statuses.rows.map((row) => [row.status, Number(row.count)])).toEqual([['done', taskCount]]);
    const doneEvents = await inspector.query<{ task_id: string; count: string }>(
      `select task_id, count(*) from events where type = 'task-status-changed' and data->>'to' = 'done' group by task_id`,
    );
    expect(doneEvents.rows).toHaveLength(taskCount);
    expect(doneEvents.rows.every((row) => Number(row.count) === 1)).toBe(true);

    await expectClientsSawExactly(clients);
  });

  it('reconnects to PostgreSQL after every connection was cut, and backfills the stream', async () => {
    // What a PostgreSQL restart does to the instances: every pooled and LISTEN connection dies.
    await inspector.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    for (const [index, instance] of instances.entries()) {
      const key = randomUUID();
      let answer: Answer = { status: 0, body: undefined, headers: new Headers() };
      // A request caught on a dying connection may fail once; the retry carries the same key.
      for (let attempt = 0; attempt < 50 && !(answer.status >= 200 && answer.status < 300); attempt += 1) {
        answer = await call(instance.url, 'POST', '/api/v1/tasks', ownerToken, { title: `After the cut ${index}` }, key);
        if (answer.status < 200 || answer.status >= 300) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (answer.status < 200 || answer.status >= 300) {
        // Say whether the instance died or only failed to answer: the two have different causes.
        const state = instance.child.exitCode ?? instance.child.signalCode ?? 'still running';
        throw new Error(
          `a write after the cut to instance ${index} (${state}) answered ${answer.status}: ${JSON.stringify(answer.body)}\n${instance.output().slice(-4_000)}`,
        );
      }
    }
    for (const instance of instances) {
      let listening = false;
      for (let attempt = 0; attempt < 100 && !listening; attempt += 1) {
        const health = (await (await fetch(`${instance.url}/api/health`)).json()) as { eventStream?: { listening?: boolean } };
        listening = health.eventStream?.listening === true;
        if (!listening) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(listening).toBe(true);
    }
    await expectClientsSawExactly(clients);
  });

  it('loses nothing acknowledged when an instance is SIGKILLed mid-load, and its agents heartbeat on a survivor', async () => {
    const victimIndex = 2;
    const victim = instances[victimIndex] as ServerProcess;
    const survivors = instances.filter((_, index) => index !== victimIndex);
    const acknowledgedTasks: string[] = [];
    const acknowledgedMessages: string[] = [];
    const heartbeatsAfterKill = new Map<string, number>();
    const target = agents.map((agent) => agent.home);
    let killedAt = 0;
    let stop = false;

    const anchor = expectOk(await call(instances[0]?.url as string, 'POST', '/api/v1/tasks', ownerToken, { title: 'Thread' }), 'a thread');
    const failOver = (index: number) => {
      // Where the load balancer would send the agent next: any instance still answering.
      if (target[index] === victimIndex) target[index] = index % survivors.length;
    };
    const writer = async (index: number) => {
      const agent = agents[index] as (typeof agents)[number];
      for (let round = 0; round < 400 && !stop; round += 1) {
        const url = instances[target[index] as number]?.url as string;
        const writeTask = round % 2 === 0;
        const answer = writeTask
          ? await call(url, 'POST', '/api/v1/tasks', agent.apiKey, { title: `Load ${index}-${round}` }, randomUUID())
          : await call(
              url,
              'POST',
              `/api/v1/tasks/${anchor.id}/messages`,
              agent.apiKey,
              { content: `note ${index}-${round}` },
              randomUUID(),
            );
        if (answer.status >= 200 && answer.status < 300) {
          (writeTask ? acknowledgedTasks : acknowledgedMessages).push((answer.body as { id: string }).id);
        } else if (answer.status === 0 || answer.status >= 500) {
          failOver(index);
        } else {
          throw new Error(`a write answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        }
      }
    };
    const heartbeater = async (index: number) => {
      const agent = agents[index] as (typeof agents)[number];
      for (let round = 0; round < 200 && !stop; round += 1) {
        const url = instances[target[index] as number]?.url as string;
        const answer = await call(url, 'POST', `/api/v1/agents/${agent.id}/heartbeat`, agent.apiKey, {});
        if (answer.status === 200 && killedAt) heartbeatsAfterKill.set(agent.id, (heartbeatsAfterKill.get(agent.id) ?? 0) + 1);
        if (answer.status === 0 || answer.status >= 500) failOver(index);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const load = Promise.all([...agents.map((_, index) => writer(index)), ...agents.map((_, index) => heartbeater(index))]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await victim.kill();
    killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    stop = true;
    await load;

    expect(acknowledgedTasks.length).toBeGreaterThan(0);
    expect(acknowledgedMessages.length).toBeGreaterThan(0);
    const storedTasks = await inspector.query<{ id: string }>('select id from tasks where id = any($1)', [acknowledgedTasks]);
    expect(storedTasks.rows).toHaveLength(acknowledgedTasks.length);
    const storedMessages = await inspector.query<{ id: string }>('select id from messages where id = any($1)', [acknowledgedMessages]);
    expect(storedMessages.rows).toHaveLength(acknowledgedMessages.length);

    // The victim's agents kept beating through a survivor and are still online, seen after the kill.
    const orphaned = agents.filter((agent) => agent.home === victimIndex);
    expect(orphaned.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const agent of orphaned) {
      expect(heartbeatsAfterKill.get(agent.id) ?? 0).toBeGreaterThan(0);
      const seen = expectOk(await call(survivors[0]?.url as string, 'GET', `/api/v1/agents/${agent.id}`, ownerToken), 'the agent') as {
        status: string;
        lastHeartbeatAt: string;
      };
      expect(seen.status).not.toBe('offline');
      expect(new Date(seen.lastHeartbeatAt).getTime()).toBeGreaterThan(killedAt);
    }

    // The survivors' clients still have the whole stream, once each, in order.
    await expectClientsSawExactly(clients.filter((_, index) => index !== victimIndex));
  });
});
