import type { Compilable, CompiledQuery } from 'kysely';
import type { DatabaseExecutor } from './database.js';

type Slot = { index: number; item?: number } | undefined;

const maxShapes = 64;

const standIn = (index: number, item?: number) => `\u0000precompiled-value-${index}${item === undefined ? '' : `-${item}`}\u0000`;

/**
 * Building and compiling a Kysely query (the operation-node tree, its visitors, freezing) cost
 * more CPU than SQLite spent running our primary-key lookups: it was the largest item in the
 * profile of an authenticated GET. A query is therefore compiled once per shape, with stand-in
 * values, and later runs swap the real values into the parameter list.
 *
 * Strings (and arrays of strings) are swapped; any other value (a boolean the builder branches
 * on, a number) is passed to the builder as it is and is part of the shape. The shape is what
 * changes the SQL text: the adapter (SQLite and PostgreSQL compile differently, and tests run both
 * in one process), the length of each array (an IN list has one placeholder per item), the
 * non-string values, and `shapeOf` for anything else the builder branches on. A string must only
 * ever be used as a parameter, never to decide the structure of the query.
 */
export function precompileQuery<Row, Values extends readonly unknown[]>(
  build: (executor: DatabaseExecutor, ...values: Values) => Compilable<Row>,
  shapeOf: (...values: Values) => string = () => '',
): (executor: DatabaseExecutor, ...values: Values) => Promise<Row[]> {
  const compiledByAdapter = new WeakMap<object, Map<string, { query: CompiledQuery<Row>; slots: Slot[] }>>();
  return async (executor, ...values) => {
    const adapter = executor.getExecutor().adapter;
    let byShape = compiledByAdapter.get(adapter);
    if (!byShape) {
      byShape = new Map();
      compiledByAdapter.set(adapter, byShape);
    }
    const shape = `${values.map((value) => (Array.isArray(value) ? `[${value.length}]` : typeof value === 'string' ? '-' : String(value))).join(',')}|${shapeOf(...values)}`;
    let compiled = byShape.get(shape);
    if (!compiled) {
      const standIns = values.map((value, index) =>
        Array.isArray(value) ? value.map((_, item) => standIn(index, item)) : typeof value === 'string' ? standIn(index) : value,
      ) as unknown as Values;
      const query = build(executor, ...standIns).compile();
      const lookup = new Map<string, Slot>();
      for (const [index, value] of values.entries()) {
        if (Array.isArray(value)) {
          for (let item = 0; item < value.length; item += 1) lookup.set(standIn(index, item), { index, item });
        } else if (typeof value === 'string') lookup.set(standIn(index), { index });
      }
      const slots = query.parameters.map((parameter) => (typeof parameter === 'string' ? lookup.get(parameter) : undefined));
      compiled = { query, slots };
      // Numbers are part of the shape; a caller passing ever-new numbers must not grow this forever.
      if (byShape.size < maxShapes) byShape.set(shape, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((parameter, position) => {
      const slot = slots[position];
      if (!slot) return parameter;
      const value = values[slot.index];
      return slot.item === undefined || !Array.isArray(value) ? value : value[slot.item];
    });
    const result = await executor.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}
