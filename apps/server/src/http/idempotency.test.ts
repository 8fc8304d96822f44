import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.js';
import { createId } from '../core/ids.js';
import { type Observer, observeCommitted } from '../test/committed-observer.js';
import { describeEachEngine } from '../test/engines.js';
import {
  createTestClock,
  createTestDatabase,
  createTestServer,
  type TestClock,
  type TestDatabase,
  type TestServer,
} from '../test/test-server.js';
import { AppError } from './app-error.js';
import { registerErrorHandling } from './error-handler.js';
import { deleteExpiredIdempotencyKeys, idempotencyKeyLifetimeMs, registerIdempotencyKeys } from './idempotency.js';

describeEachEngine('idempotency keys', (engine) => {
  describe('through the API', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await createTestServer(engine);
    });
    afterEach(async () => {
      await server.close();
    });

    const createTask = (payload: Record<string, unknown>, key?: string, token?: string) =>
      server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload,
        headers: key === undefined ? {} : { 'idempotency-key': key },
        ...(token ? { token } : {}),
      });
    const countTasks = async () =>
      Number(
        (
          await server.database.db
            .selectFrom('tasks')
            .select((eb) => eb.fn.countAll().as('count'))
            .executeTakeFirstOrThrow()
        ).count,
      );
    const storedKeys = () => server.database.db.selectFrom('idempotency_keys').selectAll().orderBy('key').execute();

    it('answers a repeat with the same body with the first answer, marked as replayed, and acts once', async () => {
      const first = await createTask({ title: 'Once' }, 'create-once');
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotency-replayed']).toBeUndefined();
      const repeat = await createTask({ title: 'Once' }, 'create-once');
      expect(repeat.statusCode).toBe(201);
      expect(repeat.headers['idempotency-replayed']).toBe('true');
      expect(repeat.headers['content-type']).toContain('application/json');
      expect(repeat.json()).toEqual(first.json());
      expect(await countTasks()).toBe(1);
      expect(await storedKeys()).toEqual([
        expect.objectContaining({
          principal: `user:${server.ownerPrincipal.id}`,
          key: 'create-once',
          status: 'completed',
          status_code: 201,
          response_body: first.body,
        }),
      ]);
    });

    it('answers 422 when the key comes back with another body or path, and acts once', async () => {
      await createTask({ title: 'Original' }, 'reused-key');
      const otherBody = await createTask({ title: 'Different' }, 'reused-key');
      expect(otherBody.statusCode).toBe(422);
      expect(otherBody.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(otherBody.json().error.message).toContain('new key');
      const otherPath = await server.request({
        method: 'POST',
        url: '/api/v1/tasks/TASK-1/status',
        payload: { status: 'cancelled' },
        headers: { 'idempotency-key': 'reused-key' },
      });
      expect(otherPath.statusCode).toBe(422);
      expect(await countTasks()).toBe(1);
      const task = await server.database.db.selectFrom('tasks').selectAll().executeTakeFirstOrThrow();
      expect(task).toMatchObject({ title: 'Original', status: 'inbox' });
    });

    it('gives many concurrent identical requests one effect: one runs, the others wait for it and get its answer', async () => {
      const responses = await Promise.all(Array.from({ length: 10 }, () => createTask({ title: 'Concurrent' }, 'same-time')));
      expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 10 }, () => 201));
      expect(responses.filter((response) => response.headers['idempotency-replayed'] === undefined)).toHaveLength(1);
      expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
      expect(await countTasks()).toBe(1);
      const retry = await createTask({ title: 'Concurrent' }, 'same-time');
      expect(retry.headers['idempotency-replayed']).toBe('true');
      expect(retry.json().id).toBe(responses[0]?.json().id);
    });

    it('keeps the event stream gapless and in order while keyed and unkeyed writes run concurrently (each keyed one holds its events to the end)', async () => {
      const delivered: number[] = [];
      server.stream.tailer.subscribe((events) => delivered.push(...events.map((event) => event.seq)));
      const before = (await server.database.db.selectFrom('events').select('seq').execute()).map((row) => row.seq);
      const thread = (await createTask({ title: 'Thread' })).json();
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          index % 2 === 0
            ? createTask({ title: `Concurrent ${index}`, priority: 'high' }, `concurrent-${index}`)
            : server.request({
                method: 'POST',
                url: `/api/v1/tasks/${thread.id}/messages`,
                payload: { content: `Message ${index}` },
                headers: index % 4 === 1 ? { 'idempotency-key': `message-${index}` } : {},
              }),
        ),
      );
      expect(answers.map((answer) => answer.statusCode)).toEqual(Array.from({ length: 40 }, () => 201));
      await server.stream.tailer.waitUntilIdle();
      server.stream.tailer.wake();
      await server.stream.tailer.waitUntilIdle();
      const stored = (await server.database.db.selectFrom('events').select('seq').orderBy('seq').execute())
        .map((row) => row.seq)
        .filter((seq) => !before.includes(seq));
      expect(stored.length).toBeGreaterThanOrEqual(41);
      expect(delivered).toEqual(stored);
    });

    it('keeps and replays a 4xx answer', async () => {
      const payload = { title: 'x', assignees: [{ kind: 'agent', id: '00000000-0000-7000-8000-000000000001' }] };
      const first = await createTask(payload, 'missing-agent');
      expect(first.statusCode).toBe(404);
      const repeat = await createTask(payload, 'missing-agent');
      expect(repeat.statusCode).toBe(404);
      expect(repeat.headers['idempotency-replayed']).toBe('true');
      expect(repeat.json()).toEqual(first.json());
      expect(await storedKeys()).toEqual([expect.objectContaining({ status: 'completed', status_code: 404 })]);
    });

    it('rejects a malformed key with 400 and ignores keys on other methods', async () => {
      for (const key of ['x'.repeat(256), 'tab\there', 'ключ']) {
        const response = await createTask({ title: 'Bad key' }, key);
        expect(response.statusCode, key.slice(0, 10)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
        expect(response.json().error.message).toContain('Idempotency-Key');
      }
      expect((await createTask({ title: 'Longest key' }, 'k'.repeat(255))).statusCode).toBe(201);
      const read = await server.request({ method: 'GET', url: '/api/v1/tasks', headers: { 'idempotency-key': 'read' } });
      expect(read.statusCode).toBe(200);
      expect(await countTasks()).toBe(1);
      expect((await storedKeys()).map((row) => row.key)).toEqual(['k'.repeat(255)]);
    });

    it('scopes keys to the principal: two agents may use the same key', async () => {
      const first = await server.createAgentWithKey();
      const second = await server.createAgentWithKey();
      const one = await createTask({ title: 'Same' }, 'agent-key', first.apiKey);
      const two = await createTask({ title: 'Same' }, 'agent-key', second.apiKey);
      expect(one.statusCode).toBe(201);
      expect(two.statusCode).toBe(201);
      expect(two.headers['idempotency-replayed']).toBeUndefined();
      expect(one.json().id).not.toBe(two.json().id);
      expect((await storedKeys()).map((row) => row.principal).sort()).toEqual(
        [`agent:${first.agent.id}`, `agent:${second.agent.id}`].sort(),
      );
    });

    it('forgets a key after 24 hours', async () => {
      const { apiKey } = await server.createAgentWithKey();
      expect((await createTask({ title: 'Day one' }, 'daily', apiKey)).statusCode).toBe(201);
      server.clock.advance(idempotencyKeyLifetimeMs - 1);
      expect((await createTask({ title: 'Day two' }, 'daily', apiKey)).statusCode).toBe(422);
      server.clock.advance(1);
      const afterExpiry = await createTask({ title: 'Day two' }, 'daily', apiKey);
      expect(afterExpiry.statusCode).toBe(201);
      expect(afterExpiry.headers['idempotency-replayed']).toBeUndefined();
      expect(await countTasks()).toBe(2);

      server.clock.advance(idempotencyKeyLifetimeMs);
      expect(await deleteExpiredIdempotencyKeys({ db: server.database.db, clock: server.clock })).toBe(1);
      expect(await storedKeys()).toEqual([]);
    });
  });

  describe('the hooks', () => {
    let database: TestDatabase;
    let clock: TestClock;
    let app: FastifyInstance;
    let observer: Observer;
    let calls: number;
    let release: () => void;
    let entered: Promise<void>;
    let enter: () => void;
    /** Whether the handler's database handle stood for a transaction, per call. */
    let handlerInTransaction: boolean[];
    let repeatArrived: () => void;

    const principal: Principal = {
      kind: 'agent',
      id: '00000000-0000-7000-8000-00000000000a',
      workspaceId: '00000000-0000-7000-8000-00000000000b',
      role: 'agent',
      sessionId: null,
    };

    /** A write of the handler's own, through a nested transaction as services make them. */
    const writeUser = (email: string) =>
      database.db.transaction().execute(async (trx) => {
        const now = clock.now().toISOString();
        await trx
          .insertInto('users')
          .values({ id: createId(), email, name: email, password_hash: 'x', created_at: now, updated_at: now })
          .execute();
      });

    beforeEach(async () => {
      database = await createTestDatabase(engine);
      observer = await observeCommitted(database);
      clock = createTestClock();
      calls = 0;
      handlerInTransaction = [];
      entered = new Promise((resolve) => {
        enter = resolve;
      });
      app = Fastify();
      registerErrorHandling(app);
      app.decorateRequest('principal');
      app.addHook('onRequest', async (request) => {
        request.principal = principal;
      });
      app.addHook('preHandler', async (request) => {
        if (request.headers['x-repeat'] === 'true') repeatArrived();
      });
      registerIdempotencyKeys(app, { db: database.db, clock });
      app.post('/flaky', async (_request, reply) => {
        calls += 1;
        if (calls === 1) throw new Error('the first attempt breaks');
        return reply.code(201).send({ calls });
      });
      app.post('/empty', async (_request, reply) => {
        calls += 1;
        return reply.code(204).send();
      });
      app.post('/slow', async (_request, reply) => {
        calls += 1;
        await writeUser(`slow-${calls}@example.com`);
        enter();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return reply.code(201).send({ calls });
      });
      app.post<{ Body: { email: string; afterwards?: 'fail' | 'refuse' } }>('/write', async (request, reply) => {
        calls += 1;
        handlerInTransaction.push(database.db.isTransaction);
        await writeUser(`${calls}-${request.body.email}`);
        if (request.body.afterwards === 'fail') throw new Error('the server breaks after the write');
        if (request.body.afterwards === 'refuse') throw new AppError('TASK_NOT_FOUND', 'refused after the write');
        return reply.code(201).send({ calls });
      });
      app.post('/outer', async (_request, reply) => {
        // An in-process call under its own key, from inside a keyed request (as built-in agents' tools make them).
        const inner = await app.inject({
          method: 'POST',
          url: '/write',
          payload: { email: 'inner@example.com' },
          headers: { 'idempotency-key': 'inner' },
        });
        await writeUser('outer@example.com');
        return reply.code(201).send({ inner: inner.statusCode });
      });
      await app.ready();
    });
    afterEach(async () => {
      // A failed assertion can leave a handler waiting: let it finish so the app can close.
      release?.();
      await app.close();
      await observer.close();
      await database.dispose();
    });

    const post = (url: string, key: string | undefined, payload: Record<string, unknown> = { same: true }) =>
      app.inject({ method: 'POST', url, payload, headers: key === undefined ? {} : { 'idempotency-key': key } });
    const committedUsers = () => observer.count('users');
    const committedKeys = () => observer.count('idempotency_keys');

    it('frees the key after a 5xx so the retry runs', async () => {
      const failed = await post('/flaky', 'retry-me');
      expect(failed.statusCode).toBe(500);
      expect(await database.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
      const retried = await post('/flaky', 'retry-me');
      expect(retried.statusCode).toBe(201);
      expect(retried.json()).toEqual({ calls: 2 });
      const replayed = await post('/flaky', 'retry-me');
      expect(replayed.headers['idempotency-replayed']).toBe('true');
      expect(replayed.json()).toEqual({ calls: 2 });
      expect(calls).toBe(2);
    });

    it('replays an answer without a body', async () => {
      expect((await post('/empty', 'no-body')).statusCode).toBe(204);
      const replayed = await post('/empty', 'no-body');
      expect(replayed.statusCode).toBe(204);
      expect(replayed.headers['idempotency-replayed']).toBe('true');
      expect(replayed.body).toBe('');
      expect(calls).toBe(1);
    });

    it('commits the claim, the work and the stored answer together: nothing of a running request is visible', async () => {
      const first = post('/slow', 'long-running');
      await entered;
      // The handler has written and is still running: another connection sees neither its write nor its key.
      expect(await committedUsers()).toBe(0);
      expect(await committedKeys()).toBe(0);
      release();
      expect((await first).statusCode).toBe(201);
      expect(await committedUsers()).toBe(1);
      expect(await observer.rows('idempotency_keys')).toEqual([
        expect.objectContaining({ key: 'long-running', status: 'completed', status_code: 201, response_body: '{"calls":1}' }),
      ]);
    });

    it('makes a repeat that comes while the first request runs wait for it and get its answer', async () => {
      const first = post('/slow', 'long-running');
      await entered;
      const arrived = new Promise<void>((resolve) => {
        repeatArrived = resolve;
      });
      const repeat = app.inject({
        method: 'POST',
        url: '/slow',
        payload: { same: true },
        headers: { 'idempotency-key': 'long-running', 'x-repeat': 'true' },
      });
      let repeatSettled = false;
      void repeat.then(() => {
        repeatSettled = true;
      });
      await arrived;
      await observer.waitUntilBlocked();
      // The repeat came while the first runs, and it waits rather than answering.
      expect(repeatSettled).toBe(false);
      release();
      expect((await first).json()).toEqual({ calls: 1 });
      const answer = await repeat;
      expect(answer.statusCode).toBe(201);
      expect(answer.headers['idempotency-replayed']).toBe('true');
      expect(answer.json()).toEqual({ calls: 1 });
      expect(calls).toBe(1);
      expect(await committedUsers()).toBe(1);
    });

    if (engine === 'postgres') {
      it('answers 409 IDEMPOTENCY_KEY_IN_USE to a repeat that waited longer than the claim wait for the first request', async () => {
        const impatient = Fastify();
        registerErrorHandling(impatient);
        impatient.decorateRequest('principal');
        impatient.addHook('onRequest', async (request) => {
          request.principal = principal;
        });
        registerIdempotencyKeys(impatient, { db: database.db, clock }, { claimWaitMs: 200 });
        impatient.post('/slow', async (_request, reply) => reply.code(201).send({ calls }));
        await impatient.ready();
        try {
          const first = post('/slow', 'held-long');
          await entered;
          const repeat = await impatient.inject({
            method: 'POST',
            url: '/slow',
            payload: { same: true },
            headers: { 'idempotency-key': 'held-long' },
          });
          expect(repeat.statusCode).toBe(409);
          expect(repeat.json().error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
          release();
          expect((await first).statusCode).toBe(201);
          expect(calls).toBe(1);
        } finally {
          await impatient.close();
        }
      });
    }

    it('rolls back the work of a request that answers 5xx, so the retry runs once more and nothing is doubled', async () => {
      const failed = await post('/write', 'fails-after-write', { email: 'a@example.com', afterwards: 'fail' });
      expect(failed.statusCode).toBe(500);
      expect(await committedUsers()).toBe(0);
      expect(await committedKeys()).toBe(0);
      const retried = await post('/write', 'fails-after-write', { email: 'a@example.com' });
      expect(retried.statusCode).toBe(201);
      expect(await committedUsers()).toBe(1);
    });

    it('keeps the work and the answer of a 4xx, as a request without the key would', async () => {
      const refused = await post('/write', 'refused-after-write', { email: 'b@example.com', afterwards: 'refuse' });
      expect(refused.statusCode).toBe(404);
      expect(await committedUsers()).toBe(1);
      const replayed = await post('/write', 'refused-after-write', { email: 'b@example.com', afterwards: 'refuse' });
      expect(replayed.statusCode).toBe(404);
      expect(replayed.headers['idempotency-replayed']).toBe('true');
      expect(calls).toBe(1);
    });

    it('leaves a request without a key as it was: its own transactions commit, and a later 5xx keeps them', async () => {
      const failed = await post('/write', undefined, { email: 'c@example.com', afterwards: 'fail' });
      expect(failed.statusCode).toBe(500);
      expect(await committedUsers()).toBe(1);
      expect((await post('/write', 'with-key', { email: 'd@example.com' })).statusCode).toBe(201);
      expect(handlerInTransaction).toEqual([false, true]);
    });

    it('runs an in-process keyed request made from inside a keyed request within the outer one, without waiting for it', async () => {
      const outer = await post('/outer', 'outer');
      expect(outer.statusCode).toBe(201);
      expect(outer.json()).toEqual({ inner: 201 });
      expect(await committedUsers()).toBe(2);
      expect((await observer.rows('idempotency_keys')).map((row) => [row.key, row.status]).sort()).toEqual([
        ['inner', 'completed'],
        ['outer', 'completed'],
      ]);
    });

    it('runs at once a request whose key a server of the old design left in progress', async () => {
      expect((await post('/write', 'left-behind', { email: 'e@example.com' })).statusCode).toBe(201);
      // What the old design left when it died between the commit of the work and the stored answer.
      await database.db
        .updateTable('idempotency_keys')
        .set({ status: 'in_progress', status_code: null, response_body: null })
        .where('key', '=', 'left-behind')
        .execute();
      const retried = await post('/write', 'left-behind', { email: 'e@example.com' });
      expect(retried.statusCode).toBe(201);
      expect(retried.headers['idempotency-replayed']).toBeUndefined();
      expect(retried.json()).toEqual({ calls: 2 });
      const replayed = await post('/write', 'left-behind', { email: 'e@example.com' });
      expect(replayed.json()).toEqual({ calls: 2 });
    });
  });
});
