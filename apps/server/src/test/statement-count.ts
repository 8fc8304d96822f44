import { AsyncLocalStorage } from 'node:async_hooks';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

const counting = new AsyncLocalStorage<string[]>();
let installed = false;

/**
 * Wraps the two database drivers once per test process so every statement run inside
 * countStatements() is recorded; statements of other async work (the tailer's poll, timers
 * started elsewhere) run outside its async context and are not counted.
 */
function installCounters(): void {
  if (installed) return;
  installed = true;
  const probe = new SqliteDatabase(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<
    'run' | 'all' | 'get' | 'iterate',
    (...args: unknown[]) => unknown
  >;
  probe.close();
  for (const method of ['run', 'all', 'get', 'iterate'] as const) {
    const original = statementPrototype[method];
    statementPrototype[method] = function (this: { source: string }, ...args: unknown[]) {
      counting.getStore()?.push(this.source);
      return original.apply(this, args);
    };
  }
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    counting.getStore()?.push(typeof first === 'string' ? first : (first?.text ?? ''));
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/** Runs the work and answers the SQL text of every statement it ran, on either engine. */
export async function countStatements<Result>(work: () => Promise<Result>): Promise<{ result: Result; statements: string[] }> {
  installCounters();
  const statements: string[] = [];
  const result = await counting.run(statements, work);
  return { result, statements };
}
