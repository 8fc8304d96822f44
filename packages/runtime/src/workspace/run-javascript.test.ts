import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JavascriptOutcome, runJavascript } from './run-javascript.js';

const limits = { memoryLimitMb: 64, timeoutMs: 2_000, outputLimitBytes: 4_096 };

function failure(outcome: JavascriptOutcome) {
  expect(outcome.ok).toBe(false);
  return outcome as Extract<JavascriptOutcome, { ok: false }>;
}

describe('run_javascript', () => {
  // A server the sandboxed code must not be able to reach: any request would be counted.
  let server: http.Server;
  let port: number;
  let requests = 0;
  beforeAll(async () => {
    server = http.createServer((_request, response) => {
      requests += 1;
      response.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('returns the value of a normal computation as JSON, with what console.log printed', async () => {
    const outcome = await runJavascript(
      'const squares = [1, 2, 3, 4].map((n) => n * n); console.log("sum is", squares.reduce((a, b) => a + b, 0), { done: true }); ({ squares })',
      limits,
    );
    expect(outcome).toEqual({ ok: true, result: '{"squares":[1,4,9,16]}', logs: ['sum is 30 {"done":true}'], logsTruncated: false });
    expect(await runJavascript('Promise.resolve(6).then((n) => n * 7)', limits)).toMatchObject({ ok: true, result: '42' });
  });

  it('cannot reach process, require, import(), fetch or the network', async () => {
    expect(
      await runJavascript('[typeof process, typeof require, typeof fetch, typeof globalThis.setTimeout, typeof XMLHttpRequest]', limits),
    ).toMatchObject({ ok: true, result: '["undefined","undefined","undefined","undefined","undefined"]' });
    // The classic escapes: the Function constructor of a host object, and dynamic import.
    expect(failure(await runJavascript('this.constructor.constructor("return process")().env', limits)).message).toMatch(
      /process is not defined/,
    );
    expect(failure(await runJavascript('import("node:fs")', limits)).message).toMatch(/not supported/i);
    expect(failure(await runJavascript(`fetch("http://127.0.0.1:${port}/")`, limits)).message).toMatch(/fetch is not defined/);
    expect(failure(await runJavascript('require("node:http")', limits)).message).toMatch(/require is not defined/);
    expect(requests).toBe(0);
  });

  it('stops at its timeout (an infinite loop) with a clear reason', async () => {
    const outcome = failure(await runJavascript('let n = 0; while (true) { n += 1; }', limits));
    expect(outcome.reason).toBe('timeout');
    const chained = failure(await runJavascript('(async () => { for (;;) await null; })()', limits));
    expect(chained.reason).toBe('timeout');
  });

  it('stops at its memory limit with a clear reason, and the next run works', async () => {
    const outcome = failure(await runJavascript('const kept = []; for (;;) kept.push(new Array(100000).fill(1.5));', limits));
    expect(outcome.reason).toBe('memory');
    expect(await runJavascript('1 + 1', limits)).toMatchObject({ ok: true, result: '2' });
  });

  it('answers errors in the code, promises that never settle, and caps console output', async () => {
    expect(failure(await runJavascript('throw new RangeError("too far")', limits)).message).toBe('RangeError: too far');
    expect(failure(await runJavascript('new Promise(() => {})', limits)).message).toMatch(/never settles/);
    const chatty = await runJavascript('for (let i = 0; i < 10000; i++) console.log("line " + i); "done"', limits);
    expect(chatty).toMatchObject({ ok: true, result: '"done"', logsTruncated: true });
    expect(chatty.logs.join('\n').length).toBeLessThanOrEqual(4_096 + chatty.logs.length);
  });
});
