import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { jsonNestsDeeperThan, maxJsonDepth } from './json-body.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('JSON depth', () => {
  it('counts nesting of arrays and objects, not brackets inside strings', () => {
    expect(jsonNestsDeeperThan(nested(maxJsonDepth), maxJsonDepth)).toBe(false);
    expect(jsonNestsDeeperThan(nested(maxJsonDepth + 1), maxJsonDepth)).toBe(true);
    expect(jsonNestsDeeperThan(nestedObject(3), 2)).toBe(true);
    expect(jsonNestsDeeperThan(`{"text":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`, 2)).toBe(false);
    expect(jsonNestsDeeperThan(nested(1_000_000), maxJsonDepth)).toBe(true);
  });
});

describeEachEngine('JSON bodies nested too deep', (engine) => {
  let server: TestServer;
  let taskId: string;
  beforeAll(async () => {
    server = await createTestServer(engine);
    taskId = (await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Deep' } })).json().id;
  });
  afterAll(async () => {
    await server.close();
  });

  const countIdempotencyRows = async () => {
    const row = await server.database.db
      .selectFrom('idempotency_keys')
      .select((expression) => expression.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };

  for (const url of ['/api/v1/notifications/mark-all-read', '/api/v1/tasks/{id}/assign-best']) {
    it(`answers 400 VALIDATION_FAILED for 10,000 levels with an Idempotency-Key on POST ${url}`, async () => {
      const before = await countIdempotencyRows();
      for (const body of [nested(10_000), nestedObject(10_000), `{"a":${nested(maxJsonDepth)}}`]) {
        const response = await server.request({
          method: 'POST',
          url: url.replace('{id}', taskId),
          headers: { 'content-type': 'application/json', 'idempotency-key': `deep-${Math.random()}` },
          payload: body,
        });
        expect(response.statusCode).toBe(400);
        expect(response.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { maxDepth: 64 } });
        expect(response.json().error.message).toMatch(/more than 64 levels/);
      }
      expect(await countIdempotencyRows()).toBe(before);
    });
  }

  it('still parses ordinary bodies and still refuses prototype poisoning', async () => {
    const created = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Shallow' } });
    expect(created.statusCode).toBe(201);
    const poisoned = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '{"title":"x","__proto__":{"admin":true}}',
    });
    expect(poisoned.statusCode).toBe(400);
    expect(poisoned.json().error.code).toBe('MALFORMED_JSON');
    const empty = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('MALFORMED_JSON');
  });
});
