import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { closeCodes } from './stream-hub.js';

describeEachEngine('stream hub back-pressure', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine, { stream: { maxBufferedBytes: 1_000 } });
  });
  afterEach(async () => {
    await server.close();
  });

  it('disconnects a consumer whose unsent data passes the bound instead of buffering more', async () => {
    const sent: string[] = [];
    let buffered = 0;
    let closedWith: { code: number; reason: string } | undefined;
    const unsubscribe = await server.stream.hub.subscribe({
      principal: server.ownerPrincipal,
      after: undefined,
      filter: () => true,
      name: 'slow',
      sink: {
        send: (message) => {
          sent.push(message);
          // The peer never reads: everything sent stays queued.
          buffered += message.length;
        },
        get bufferedBytes() {
          return buffered;
        },
        close: (code, reason) => {
          closedWith = { code, reason };
        },
      },
    });
    for (let index = 0; index < 20; index += 1) {
      await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: `Task ${index} ${'x'.repeat(100)}` } });
    }
    await server.stream.tailer.waitUntilIdle();
    server.stream.tailer.wake();
    await server.stream.tailer.waitUntilIdle();
    expect(closedWith?.code).toBe(closeCodes.slowConsumer);
    expect(closedWith?.reason).toContain('after=');
    const sentWhenClosed = sent.length;
    expect(sentWhenClosed).toBeLessThan(20);
    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'after the drop' } });
    await server.stream.tailer.waitUntilIdle();
    expect(sent.length).toBe(sentWhenClosed);
    unsubscribe();
    expect(server.stream.hub.subscriptionCount).toBe(0);
  });
});
