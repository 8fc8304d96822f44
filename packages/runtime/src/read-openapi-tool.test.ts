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

// The same document as petStore, written as people write YAML: unquoted versions, block strings, flow maps.
const petStoreYaml = `openapi: 3.1.0
info:
  title: Pet Store
  version: 2.0.0
servers:
  - url: https://pets.example.com/v2
paths:
  /pets:
    get:
      operationId: listPets
      summary: List every pet
    post:
      operationId: createPet
      description: |
        Add a pet
        with more words
    parameters: []
  /pets/{id}:
    delete: { operationId: deletePet, deprecated: true }
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {}
        name: {}
        tag: {}
    Error: {}
`;
const swaggerYaml = 'swagger: 2.0\ninfo: { title: Old API, version: 1.0 }\npaths:\n  /items:\n    get: { summary: List items }\n';
const brokenYaml = 'openapi: 3.1.0\npaths:\n  /pets:\n    get: [unclosed\n  bad: indentation: here\n';

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
      const yamlAnswers: Record<string, [string, string]> = {
        '/openapi.yaml': ['text/yaml', petStoreYaml],
        '/spec': ['application/yaml', petStoreYaml],
        '/x-spec': ['application/x-yaml; charset=utf-8', petStoreYaml],
        '/files/spec.yml': ['text/plain', petStoreYaml],
        '/swagger': ['text/plain', swaggerYaml],
        '/broken.yaml': ['application/yaml', brokenYaml],
        '/notes.yaml': ['text/yaml', '- just\n- a list\n'],
      };
      const yaml = yamlAnswers[request.url ?? ''];
      if (yaml) {
        response.writeHead(200, { 'content-type': yaml[0] });
        return response.end(yaml[1]);
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

  it('reads YAML by its content type, by a .yaml or .yml URL, or when the body is not JSON, with the same summary as JSON', async () => {
    const fromJson = textOf(await tool.run({ url: `http://docs.test:${port}/openapi.json` }))
      .split('\n')
      .slice(1)
      .join('\n');
    for (const path of ['/openapi.yaml', '/spec', '/x-spec', '/files/spec.yml']) {
      const result = await tool.run({ url: `http://docs.test:${port}${path}` });
      expect(result.isError, path).toBeUndefined();
      expect(textOf(result)).toBe(`http://docs.test:${port}${path}\n${fromJson}`);
    }
    // Sent as text/plain, not JSON: read as YAML, with its unquoted numbers taken as the versions they are.
    const swagger = await tool.run({ url: `http://docs.test:${port}/swagger` });
    expect(swagger.isError).toBeUndefined();
    expect(textOf(swagger)).toContain('Old API 1 (Swagger 2)');
    expect(textOf(swagger)).toContain('- GET /items: List items');
  });

  it('says what is wrong with malformed YAML, YAML or JSON that is not OpenAPI, and a missing document', async () => {
    const broken = await tool.run({ url: `http://docs.test:${port}/broken.yaml` });
    expect(broken.isError).toBe(true);
    expect(textOf(broken)).toMatch(
      /^error: read_openapi: http:\/\/docs\.test:\d+\/broken\.yaml is neither JSON nor valid YAML \(.+ at line \d+, column \d+:?\); check the URL/,
    );
    const notes = await tool.run({ url: `http://docs.test:${port}/notes.yaml` });
    expect(notes.isError).toBe(true);
    expect(textOf(notes)).toContain('is YAML but not an OpenAPI document');
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
