import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { appendEvent } from './event.repository.js';

describeEachEngine('event stream ordering under concurrent writers', (engine) => {
  let server: TestServer;
  let delivered: number[];
  beforeEach(async () => {
    server = await createTestServer(engine);
    delivered = [];
    server.stream.tailer.subscribe((events) => delivered.push(...events.map((event) => event.seq)));
  });
  afterEach(async () => {
    await server.close();
  });

  const append = (executor: Parameters<typeof appendEvent>[0], summary: string) =>
    appendEvent(executor, {
      workspaceId: server.workspaceId,
      type: 'task-updated',
      actor: null,
      summary,
      data: { key: 'TASK-1', fields: ['title'] },
      at: server.clock.now(),
    });

  async function allSeqs(): Promise<number[]> {
    const rows = await server.database.db.selectFrom('events').select('seq').orderBy('seq').execute();
    return rows.map((row) => row.seq);
  }

  async function settle(): Promise<void> {
    await server.stream.tailer.waitUntilIdle();
    server.stream.tailer.wake();
    await server.stream.tailer.waitUntilIdle();
  }

  it('delivers an event whose transaction commits late even after later transactions committed', async () => {
    const initial = await allSeqs();
    let releaseSlow: () => void = () => {};
    const slowMayCommit = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let slowAppended: () => void = () => {};
    const slowHasAppended = new Promise<void>((resolve) => {
      slowAppended = resolve;
    });
    const slow = server.database.db.transaction().execute(async (trx) => {
      await append(trx, 'slow');
      slowAppended();
      await slowMayCommit;
    });
    await slowHasAppended;
    const fast = server.database.db.transaction().execute(async (trx) => {
      await append(trx, 'fast');
    });
    // Give the fast writer every chance to commit first and the tailer every chance to read
    // (on SQLite both wait for the single writer, which is the same guarantee by other means).
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.stream.tailer.wake();
    releaseSlow();
    await Promise.all([slow, fast]);
    await settle();

    const seqs = await allSeqs();
    expect(seqs.length).toBe(initial.length + 2);
    expect(delivered).toEqual(seqs.filter((seq) => !initial.includes(seq)));
  });

  it('hands every event to the tailer exactly once and in order with 40 concurrent writers', async () => {
    const initial = await allSeqs();
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        server.database.db.transaction().execute(async (trx) => {
          await append(trx, `writer ${index}`);
          await new Promise((resolve) => setTimeout(resolve, (index * 7) % 23));
          await append(trx, `writer ${index} again`);
        }),
      ),
    );
    await settle();
    const seqs = (await allSeqs()).filter((seq) => !initial.includes(seq));
    expect(seqs).toHaveLength(80);
    expect(delivered).toEqual(seqs);
  });
});
