import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './server-sent-events.js';

/** A body that arrives in exactly these byte chunks. */
function bodyOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function readAll(body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(body, signal)) events.push(event);
  return events;
}

describe('reading server-sent events', () => {
  it('reads named and unnamed events, joins data lines and skips comments', async () => {
    const events = await readAll(bodyOf([': keep-alive\n\nevent: delta\ndata: {"text":"a"}\n\ndata: one\ndata: two\nid: 7\n\n']));
    expect(events).toEqual([
      { event: 'delta', data: '{"text":"a"}' },
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('puts events split across chunks back together, even inside a character', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"héllo"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const events = await readAll(bodyOf([bytes.slice(0, 5), bytes.slice(5, cut), bytes.slice(cut, -1), bytes.slice(-1)]));
    expect(events).toEqual([{ event: 'delta', data: '{"text":"héllo"}' }]);
  });

  it('accepts CRLF and CR line endings, a CRLF split between chunks included', async () => {
    const events = await readAll(bodyOf(['event: a\r\ndata: 1\r', '\n\r\n', 'event: b\rdata: 2\r\r']));
    expect(events).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
  });

  it('drops an event the body cuts off and events without data', async () => {
    const events = await readAll(bodyOf(['event: empty\n\n', 'data: whole\n\n', 'event: delta\ndata: cut']));
    expect(events).toEqual([{ event: 'message', data: 'whole' }]);
  });

  it('stops with the abort reason although the rest has already arrived', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const outcome = await (async () => {
      for await (const event of readServerSentEvents(bodyOf(['data: 1\n\ndata: 2\n\ndata: 3\n\n']), controller.signal)) {
        seen.push(event.data);
        controller.abort(new Error('left the page'));
      }
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['1']);
    expect(outcome).toMatchObject({ message: 'left the page' });
  });
});
