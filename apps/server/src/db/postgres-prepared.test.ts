import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, postgresTestUrl } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { PreparingClient, preparedStatementName } from './postgres-prepared.js';

describe('which statements are prepared', () => {
  it('names each data statement text once, the same name every time', () => {
    const text = 'select "id" from "tasks" where "id" = $1 -- prepared-name test';
    const name = preparedStatementName(text);
    expect(name).toMatch(/^mc_[0-9a-z]+$/);
    expect(preparedStatementName(text)).toBe(name);
    expect(preparedStatementName(`${text} `)).not.toBe(name);
    expect(preparedStatementName('  WITH x as (select 1) select * from x')).toBeDefined();
    expect(preparedStatementName('insert into t values ($1)')).toBeDefined();
  });

  it('leaves DDL, transaction control and several commands unnamed', () => {
    expect(preparedStatementName('create table t (id int)')).toBeUndefined();
    expect(preparedStatementName('begin')).toBeUndefined();
    expect(preparedStatementName('commit')).toBeUndefined();
    expect(preparedStatementName('select 1; select 2')).toBeUndefined();
    expect(preparedStatementName(`select '${'x'.repeat(30_000)}'`)).toBeUndefined();
  });
});

describeEachEngine('statements prepared once per connection', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers repeated requests the same way, and PostgreSQL keeps their statements prepared', async () => {
    const created = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Prepared' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const answers = [];
    for (let index = 0; index < 5; index += 1) answers.push(await server.request({ method: 'GET', url: `/api/v1/tasks/${id}` }));
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual(answers[0]?.json());
    }
    expect(answers[0]?.json()).toMatchObject({ id, title: 'Prepared' });
    // A changed row is read through the same prepared statement: plans are reused, results are not.
    const patched = await server.request({ method: 'PATCH', url: `/api/v1/tasks/${id}`, payload: { title: 'Renamed' } });
    expect(patched.statusCode).toBe(200);
    expect((await server.request({ method: 'GET', url: `/api/v1/tasks/${id}` })).json()).toMatchObject({ title: 'Renamed' });

    if (engine !== 'postgres') return;
    // pg_prepared_statements lists the statements of the connection that asks: the pool's.
    const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(
      server.database.db,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.name.startsWith('mc_'))).toBe(true);
    expect(rows.some((row) => row.statement.includes('pg_prepared_statements'))).toBe(true);
  });

  it('still runs DDL and failing statements, and the connection stays usable', async () => {
    await sql`create temporary table prepared_probe (id integer primary key)`.execute(server.database.db).catch(() => undefined);
    await expect(sql`select * from no_such_table_for_prepared_test where id = ${1}`.execute(server.database.db)).rejects.toThrow();
    await expect(sql`select * from no_such_table_for_prepared_test where id = ${1}`.execute(server.database.db)).rejects.toThrow();
    const { rows } = await sql<{ value: number }>`select cast(${41} as integer) + 1 as value`.execute(server.database.db);
    expect(Number(rows[0]?.value)).toBe(42);
  });
});

describe.skipIf(!postgresTestUrl)('a pooled connection cut while it is checked out', () => {
  it('fails the next statement instead of crashing the process, and the pool opens a fresh connection', async () => {
    const pool = new pg.Pool({ connectionString: postgresTestUrl, max: 1, Client: PreparingClient });
    pool.on('error', () => {});
    const admin = new pg.Client({ connectionString: postgresTestUrl });
    await admin.connect();
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      const cut = new Promise<void>((resolve) => client.once('end', () => resolve()));
      // No statement is running on the client: pg reports the cut as an 'error' event.
      await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
      await cut;
      await expect(client.query('select 1')).rejects.toThrow();
      client.release();
      const fresh = await pool.query<{ answer: number }>('select 1 as answer');
      expect(fresh.rows).toEqual([{ answer: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
