import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpReceiver, startHttpReceiver } from '../../../test/http-receiver.js';
import { postGuarded, TargetRefused } from './guarded-http.js';

/** A resolver that answers 127.0.0.1 for every name: what DNS rebinding to an internal address looks like. */
const resolvesToLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all)
    return (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  return callback(null, '127.0.0.1', 4);
};

describe('the outbound SSRF guard', () => {
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  const options = { headers: {}, body: '{}', timeoutMs: 5_000 };

  it('refuses a public-looking name that resolves to a loopback address, before connecting', async () => {
    const url = `http://hooks.example.test:${receiver.port}/hook`;
    await expect(postGuarded(url, { allowPrivateTargets: false, lookup: resolvesToLoopback }, options)).rejects.toThrow(TargetRefused);
    await expect(postGuarded(url, { allowPrivateTargets: false, lookup: resolvesToLoopback }, options)).rejects.toThrow(
      'resolves to 127.0.0.1, a private or reserved address',
    );
    expect(receiver.requests).toHaveLength(0);
  });

  it('connects to the checked address when private targets are allowed, keeping the host name', async () => {
    const url = `http://hooks.example.test:${receiver.port}/hook`;
    const answer = await postGuarded(url, { allowPrivateTargets: true, lookup: resolvesToLoopback }, options);
    expect(answer).toEqual({ statusCode: 200, responseExcerpt: 'ok' });
    expect(receiver.requests[0]?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });

  it.each(['ftp://example.com/hook', 'http://user:secret@example.com/hook', 'http://127.0.0.1/hook', 'http://[fe80::1]/hook'])(
    'refuses %s',
    async (url) => {
      await expect(postGuarded(url, { allowPrivateTargets: false }, options)).rejects.toThrow(TargetRefused);
    },
  );
});
