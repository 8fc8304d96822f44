import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { createFetchUrlTool } from './fetch-url-tool.js';

function textOf(result: { content: { type: string; text?: string }[] }): string {
  return result.content.map((part) => part.text ?? '').join('\n');
}

describeEachEngine('fetch_url keep: kept pages become research documents', (engine) => {
  let server: RealServer;
  let docs: http.Server;
  let port: number;
  let owner: MissionControl;
  let agentClient: MissionControl;
  const fetchedAt = Date.parse('2026-11-30T09:15:00.000Z');
  // docs.test stands for a trusted intranet host: it resolves to the local peer on loopback.
  const options = {
    allowedPrivateHosts: ['docs.test'],
    now: () => fetchedAt,
    lookup: ((_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as never,
  };

  beforeAll(async () => {
    docs = http.createServer((request, response) => {
      if (request.url === '/guide') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return response.end('<html><head><title>Queue guide</title></head><body><p>Drain the queue before a deploy.</p></body></html>');
      }
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('missing');
    });
    await new Promise<void>((resolve) => docs.listen(0, '127.0.0.1', resolve));
    port = (docs.address() as AddressInfo).port;
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    const { apiKey } = await server.createAgentWithKey();
    agentClient = new MissionControl({ baseUrl: server.url, apiKey });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => docs?.close(() => resolve()));
  });

  it('keeps a fetched page as a research document with its source URL and fetch time', async () => {
    const tool = createFetchUrlTool(options, agentClient);
    expect(Object.keys(tool.inputSchema)).toEqual(['url', 'keep', 'title']);
    const url = `http://docs.test:${port}/guide`;
    const result = await tool.run({ url, keep: true });
    expect(result.isError).toBeUndefined();
    const id = /Kept as research document (\S+) "Queue guide"/.exec(textOf(result))?.[1];
    expect(id).toBeDefined();

    const document = await owner.documents.get(id ?? '');
    expect(document.type).toBe('research');
    expect(document.title).toBe('Queue guide');
    expect(document.author.kind).toBe('agent');
    expect(document.content).toBe(
      `---\nsource: ${url}\nfetched: 2026-11-30T09:15:00.000Z\n---\n\n# Queue guide\n\nDrain the queue before a deploy.\n`,
    );

    const titled = await tool.run({ url, keep: true, title: 'How we drain queues' });
    const titledId = /Kept as research document (\S+) "How we drain queues"/.exec(textOf(titled))?.[1];
    expect((await owner.documents.get(titledId ?? '')).content).toContain(`source: ${url}\n`);
  });

  it('keeps nothing without keep, for a failed page, or without a client', async () => {
    const before = await owner.documents.list({ type: 'research' }).toArray(100);
    const tool = createFetchUrlTool(options, agentClient);
    expect(textOf(await tool.run({ url: `http://docs.test:${port}/guide` }))).not.toContain('Kept as');
    const missing = await tool.run({ url: `http://docs.test:${port}/gone`, keep: true });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).not.toContain('Kept as');
    expect(Object.keys(createFetchUrlTool(options).inputSchema)).toEqual(['url']);
    expect(await owner.documents.list({ type: 'research' }).toArray(100)).toHaveLength(before.length);
  });
});
