import type { Page } from '@mission-control/contracts';
import { PageIterator } from '@mission-control/sdk';

/** The biggest page the API gives, so a whole collection takes as few requests as possible. */
const pageSize = 200;

/**
 * Follows the cursor to the end (bounded), for views such as the board that show a whole
 * collection. `fetchPage` calls the endpoint with the given cursor and limit, e.g.
 * `(page) => client.request(endpoints.listTasks, { query: { status, ...page }, signal })`.
 */
export function fetchAllPages<Item>(
  fetchPage: (page: { cursor: string | undefined; limit: number }) => Promise<Page<Item>>,
  options: { maxItems?: number } = {},
): Promise<Item[]> {
  return new PageIterator<Item>((cursor) => fetchPage({ cursor, limit: pageSize })).toArray(options.maxItems ?? 5_000);
}
