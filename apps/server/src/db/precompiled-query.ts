import type { Compilable, CompiledQuery } from 'kysely';
import type { DatabaseExecutor } from './database.js';

/**
 * Building and compiling a Kysely query (the operation-node tree, its visitors, freezing) cost
 * more CPU than SQLite spent running our primary-key lookups: it was the largest item in the
 * profile of an authenticated GET. A query of fixed shape is therefore compiled once, with
 * stand-in values, and later runs swap the real values into the parameter list. Only for queries
 * whose SQL does not depend on the values (no IN lists of varying length, no optional clauses).
 */
export function precompileQuery<Row, Values extends readonly unknown[]>(
  build: (executor: DatabaseExecutor, ...values: Values) => Compilable<Row>,
): (executor: DatabaseExecutor, ...values: Values) => Promise<Row[]> {
  // Per adapter: SQLite and PostgreSQL compile to different SQL (tests run both in one process).
  const compiledByAdapter = new WeakMap<object, { query: CompiledQuery<Row>; slots: (number | undefined)[] }>();
  return async (executor, ...values) => {
    const adapter = executor.getExecutor().adapter;
    let compiled = compiledByAdapter.get(adapter);
    if (!compiled) {
      const standIns = values.map((_, index) => `\u0000precompiled-value-${index}\u0000`);
      const query = build(executor, ...(standIns as unknown as Values)).compile();
      const slots = query.parameters.map((parameter) => {
        const index = typeof parameter === 'string' ? standIns.indexOf(parameter) : -1;
        return index >= 0 ? index : undefined;
      });
      compiled = { query, slots };
      compiledByAdapter.set(adapter, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((parameter, position) => {
      const slot = slots[position];
      return slot === undefined ? parameter : values[slot];
    });
    const result = await executor.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}
