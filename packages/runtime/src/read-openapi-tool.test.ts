import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadOpenApiTool } from './read-openapi-tool.js';

const petStore = {
  openapi: '3.1.0',
  info: { title: 'Pet Store', version: '2.0.0' },
  servers: [{ url: 'https://pets.example.com/v2' }],
  paths: {
    '/pets': {
      get: { operationId: 'listPets', summary: 'List every pet' },
      post: { operationId: 'createPet', description: 'Add a pet\nwith more words' },
      parameters: [],
    },
    '/pets/{id}': { delete: { operationId: 'deletePet', deprecated: true } },
  },
  components: { schemas: { Pet: { type: 'object', required: ['id', 'name'], properties: { id: {}, name: {}, tag: {} } }, Error: {} } },
};

function textOf(result: { content: { type: string; text?: string }[] }): string {
  return result.content.map((part) => part.text ?? '').join('\n');
}

describe('read_openapi', () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/openapi.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify(petStore));
      }
      if (request.url === '/openapi.yaml') {
        response.writeHead(200, { 'content-type': 'text/yaml' });
        return response.end('openapi: 3.1.0\npaths: {}\n');
      }
      if (request.url === '/not-openapi.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end('{"hello":"world"}');
      }
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('missing');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // docs.test stands for a trusted intranet host: it resolves to the test server on loopback.
  const tool = createReadOpenApiTool({
    allowedPrivateHosts: ['docs.test'],
    lookup: ((_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as never,
  });

  it('summarises the endpoints and schemas of an OpenAPI document', async () => {
    const result = await tool.run({ url: `http://docs.test:${port}/openapi.json` });
    expect(result.isError).toBeUndefined();
    const text = textOf(result);
    expect(text).toContain('Pet Store 2.0.0 (OpenAPI 3.1.0)');
    expect(text).toContain('Server: https://pets.example.com/v2');
    expect(text).toContain('Endpoints (3):');
    expect(text).toContain('- GET /pets (listPets): List every pet');
    expect(text).toContain('- POST /pets (createPet): Add a pet\n');
    expect(text).toContain('- DELETE /pets/{id} (deletePet) [deprecated]');
    expect(text).toContain('Schemas (2):\n- Pet: id*, name*, tag\n- Error');
  });

  it('says what is wrong with YAML, JSON that is not OpenAPI, and a missing document', async () => {
    expect(textOf(await tool.run({ url: `http://docs.test:${port}/openapi.yaml` }))).toContain('not JSON (YAML is not read)');
    expect(textOf(await tool.run({ url: `http://docs.test:${port}/not-openapi.json` }))).toContain('not an OpenAPI document');
    const missing = await tool.run({ url: `http://docs.test:${port}/gone.json` });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('got 404');
  });

  it('refuses private addresses through the fetch_url guard', async () => {
    const result = await createReadOpenApiTool().run({ url: `http://127.0.0.1:${port}/openapi.json` });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('refused');
  });
});
