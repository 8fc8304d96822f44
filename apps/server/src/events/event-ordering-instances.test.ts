import os from 'node:os';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { appendEvent, findLatestEventSeq, listEventsAfter } from './event.repository.js';
import { EventTailer } from './event-tailer.js';

/**
 * A second instance on the same PostgreSQL schema: its own pool and its own LISTEN connection.
 * SQLite runs one instance (one writer); there the second tailer shares the first one's handle.
 */
function openSecondInstance(first: DatabaseHandle): DatabaseHandle {
  if (!first.databaseUrl) return { ...first, close: async () => {} };
  return openDatabase({
    dataDirectory: os.tmpdir(),
    databaseUrl: first.databaseUrl,
    ...(first.postgresSchema ? { postgresSchema: first.postgresSchema } : {}),
    postgresPoolSize: 20,
  });
}

describeEachEngine('event stream ordering with 200 writers on two instances', (engine) => {
  let server: TestServer;
  let second: DatabaseHandle;
  let secondTailer: EventTailer;
  beforeEach(async () => {
    server = await createTestServer(engine);
    second = openSecondInstance(server.database);
    secondTailer = new EventTailer({
      db: second.db,
      commits: second.commits,
      postgres: second.databaseUrl ? { url: second.databaseUrl, schema: second.postgresSchema } : undefined,
      pollIntervalMs: 200,
    });
    await secondTailer.start();
  });
  afterEach(async () => {
    await secondTailer.stop();
    await second.close();
    await server.close();
  });

  it('gives every reader every committed seq exactly once, in order, with rollbacks leaving gaps', async () => {
    const instances = [server.database, second];
    const tailers = [server.stream.tailer, secondTailer];
    const fromTailer = tailers.map((tailer) => {
      const seen: number[] = [];
      tailer.subscribe((events) => {
        seen.push(...events.map((event) => event.seq));
      });
      return seen;
    });
    const startSeq = await findLatestEventSeq(server.database.db);

    // A reader that only keeps a cursor, as webhook feeds, triggers and replays do, polling while
    // the writers run: on each instance, one page after its cursor at a time.
    let writing = true;
    const cursorReaders = instances.map(async (instance) => {
      let cursor = startSeq;
      const seen: number[] = [];
      for (;;) {
        const finished = !writing;
        const rows = await listEventsAfter(instance.db, { afterSeq: cursor, limit: 50 });
        for (const row of rows) seen.push(row.seq);
        cursor = rows[rows.length - 1]?.seq ?? cursor;
        if (rows.length === 0 && finished) return seen;
        if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });

    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, index) =>
        instances[index % 2]?.db.transaction().execute(async (trx) => {
          const event = {
            workspaceId: server.workspaceId,
            type: 'task-updated' as const,
            actor: null,
            summary: `writer ${index}`,
            data: { key: 'TASK-1', fields: ['title'] },
            at: server.clock.now(),
          };
          await appendEvent(trx, event);
          await new Promise((resolve) => setTimeout(resolve, (index * 7) % 23));
          await appendEvent(trx, { ...event, summary: `writer ${index} again` });
          // Every tenth writer rolls back after taking its seqs: gaps no reader may wait for forever.
          if (index % 10 === 3) throw new Error('rolled back on purpose');
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(20);
    writing = false;

    const rows = await server.database.db.selectFrom('events').select('seq').where('seq', '>', startSeq).orderBy('seq').execute();
    const stored = rows.map((row) => row.seq);
    expect(stored).toHaveLength(360);
    for (const tailer of tailers) {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await tailer.waitUntilIdle();
        tailer.wake();
      }
      await tailer.waitUntilIdle();
    }
    for (const seen of fromTailer) expect(seen.filter((seq) => seq > startSeq)).toEqual(stored);
    for (const seen of await Promise.all(cursorReaders)) expect(seen).toEqual(stored);
    expect(await findLatestEventSeq(second.db)).toBe(stored[stored.length - 1]);
  });
});
