import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRefusedAddress } from './address-policy.js';
import { createUrlFetcher, FetchUrlRefused } from './fetch-url.js';
import { createFetchUrlTool } from './fetch-url-tool.js';
import { htmlToText } from './html-to-text.js';

describe('isRefusedAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:7f00:1',
    '::ffff:127.0.0.1',
    '0:0:0:0:0:ffff:a9fe:a9fe',
    'ff02::1',
  ])('refuses %s', (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(isRefusedAddress(address)).toBe(false);
  });
});

describe('fetch_url', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      hits += 1;
      if (request.url === '/to-loopback') {
        response.writeHead(302, { location: `http://127.0.0.1:${port}/secret` });
        return response.end();
      }
      if (request.url === '/to-localhost-name') {
        response.writeHead(301, { location: `http://localhost:${port}/secret` });
        return response.end();
      }
      if (request.url === '/hop') {
        response.writeHead(302, { location: '/page' });
        return response.end();
      }
      if (request.url === '/big') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        return response.end('x'.repeat(5_000));
      }
      if (request.url === '/image') {
        response.writeHead(200, { 'content-type': 'image/png' });
        return response.end(Buffer.alloc(10));
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        '<html><head><title>Docs &amp; more</title><style>p{}</style></head><body><nav>menu</nav><h1>Guide</h1><p>Hello <b>world</b>.</p><script>alert(1)</script><ul><li>one</li><li>two</li></ul></body></html>',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // docs.test stands for a trusted intranet host: it resolves to the test server on loopback.
  const trustedOptions = {
    allowedPrivateHosts: ['docs.test'],
    lookup: ((_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as never,
  };

  it.each([
    ['http://127.0.0.1/', 'private or reserved'],
    ['http://[::ffff:7f00:1]/', 'private or reserved'],
    ['http://169.254.169.254/latest/meta-data/', 'private or reserved'],
    ['file:///etc/passwd', 'only http and https'],
    ['http://localhost/', 'local host name'],
    ['http://[::1]:8080/', 'private or reserved'],
    ['http://user:secret@example.com/', 'credentials'],
  ])('refuses %s before connecting', async (url, reason) => {
    const before = hits;
    await expect(createUrlFetcher()(url)).rejects.toThrow(reason);
    expect(hits).toBe(before);
  });

  it('refuses a host whose DNS answer is a private address', async () => {
    const fetchUrl = createUrlFetcher({ lookup: trustedOptions.lookup });
    await expect(fetchUrl(`http://innocent.example:${port}/`)).rejects.toThrow(/resolves to 127\.0\.0\.1/);
  });

  it('refuses a redirect to loopback, by address and by name', async () => {
    const fetchUrl = createUrlFetcher(trustedOptions);
    await expect(fetchUrl(`http://docs.test:${port}/to-loopback`)).rejects.toBeInstanceOf(FetchUrlRefused);
    await expect(fetchUrl(`http://docs.test:${port}/to-localhost-name`)).rejects.toThrow('local host name');
  });

  it('follows a redirect on an allowed host and reduces HTML to text', async () => {
    const page = await createUrlFetcher(trustedOptions)(`http://docs.test:${port}/hop`);
    expect(page.url).toBe(`http://docs.test:${port}/page`);
    expect(page.title).toBe('Docs & more');
    expect(page.text).toContain('# Guide');
    expect(page.text).toContain('Hello world.');
    expect(page.text).toContain('- one');
    expect(page.text).not.toContain('alert');
    expect(page.text).not.toContain('menu');
  });

  it('cuts a response at the byte cap and refuses binary content', async () => {
    const fetchUrl = createUrlFetcher({ ...trustedOptions, maxBytes: 1_000 });
    const page = await fetchUrl(`http://docs.test:${port}/big`);
    expect(page.text.length).toBe(1_000);
    expect(page.truncated).toBe(true);
    await expect(fetchUrl(`http://docs.test:${port}/image`)).rejects.toThrow('image/png');
  });

  it('answers a repeated URL from the cache until the entry is old', async () => {
    let now = 0;
    const fetchUrl = createUrlFetcher({ ...trustedOptions, cacheTtlMs: 1_000, now: () => now });
    const before = hits;
    await fetchUrl(`http://docs.test:${port}/page`);
    await fetchUrl(`http://docs.test:${port}/page`);
    expect(hits).toBe(before + 1);
    now = 2_000;
    await fetchUrl(`http://docs.test:${port}/page`);
    expect(hits).toBe(before + 2);
  });

  it('answers refusals to the model as tool errors', async () => {
    const result = await createFetchUrlTool().run({ url: 'http://[::ffff:7f00:1]/' });
    expect(result.isError).toBe(true);
    expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('refused') });
  });

  it('keeps link targets and decodes entities', () => {
    expect(htmlToText('<p>See <a href="https://example.com/x">the spec</a> &#8212; &lt;ok&gt;</p>').text).toBe(
      'See the spec (https://example.com/x) — <ok>',
    );
  });
});
