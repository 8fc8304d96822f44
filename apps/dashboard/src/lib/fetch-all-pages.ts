import { type Page, pageSchema } from '@mission-control/contracts';
import type { z } from 'zod';
import type { ApiClient, QueryValue } from './api-client';

/** Follows the cursor to the end (bounded), for views such as the board that show a whole collection. */
export async function fetchAllPages<Item extends z.ZodType>(
  api: ApiClient,
  path: string,
  item: Item,
  query: Record<string, QueryValue> = {},
  options: { maxItems?: number; signal?: AbortSignal | undefined } = {},
): Promise<Array<z.output<Item>>> {
  const maxItems = options.maxItems ?? 5_000;
  const schema = pageSchema(item);
  const items: Array<z.output<Item>> = [];
  let cursor: string | null = null;
  do {
    const page: Page<z.output<Item>> = await api.get(path, { schema, query: { ...query, limit: 200, cursor }, signal: options.signal });
    items.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor && items.length < maxItems);
  return items;
}
