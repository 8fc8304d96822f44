import type { Page } from '@mission-control/contracts';

/** Fetches one page of a list given the previous page's cursor (undefined for the first). */
export type PageFetcher<Item, ListPage extends Page<Item>> = (cursor: string | undefined) => Promise<ListPage>;

/**
 * A cursor-paginated list: iterate it with `for await` to walk every item across pages,
 * or call `page()` to fetch one page at a time.
 */
export class PageIterator<Item, ListPage extends Page<Item> = Page<Item>> implements AsyncIterable<Item> {
  private readonly fetchPage: PageFetcher<Item, ListPage>;

  /** Wraps a page fetcher; the resources create these for you. */
  constructor(fetchPage: PageFetcher<Item, ListPage>) {
    this.fetchPage = fetchPage;
  }

  /** Fetches one page: the first without a cursor, the next with the previous page's `nextCursor`. */
  page(cursor?: string | null): Promise<ListPage> {
    return this.fetchPage(cursor ?? undefined);
  }

  /** Walks every item of every page, fetching the next page only when the current one is used up. */
  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    let cursor: string | undefined;
    do {
      const page = await this.fetchPage(cursor);
      yield* page.data;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** Collects every item into an array (mind the size of big lists), or at most `limit` items. */
  async toArray(limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const items: Item[] = [];
    if (limit <= 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  }
}
