import { z } from 'zod';
import { AppError } from './app-error.js';

/**
 * Cursors are opaque to clients: base64url JSON of the last row's sort key. Decoding goes
 * through a schema, so a tampered cursor is a 400, never a crash or an injection.
 */
export function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify({ after: value })).toString('base64url');
}

const cursorSchema = z.object({ after: z.union([z.string().max(200), z.number().int()]) });

export function decodeCursor<Kind extends 'string' | 'number'>(
  cursor: string | undefined,
  kind: Kind,
): (Kind extends 'string' ? string : number) | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || typeof result.data.after !== kind) throw invalidCursor();
  return result.data.after as Kind extends 'string' ? string : number;
}

function invalidCursor() {
  return new AppError('VALIDATION_FAILED', 'The cursor is not valid. Use the nextCursor value from the previous page as it was given.');
}

/** Cuts a list fetched with limit + 1 rows into a page and the cursor of the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  sortKey: (row: Row) => string | number,
): { data: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map(toItem),
    nextCursor: hasMore && last !== undefined ? encodeCursor(sortKey(last)) : null,
  };
}

/** Like toPage, for items made from all of a page's rows at once (one query per page, not per row). */
export async function toPresentedPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (pageRows: Row[]) => Promise<Item[]>,
  sortKey: (row: Row) => string | number,
): Promise<{ data: Item[]; nextCursor: string | null }> {
  const page = toPage(rows, limit, (row) => row, sortKey);
  return { data: await present(page.data), nextCursor: page.nextCursor };
}
