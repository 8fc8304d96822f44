import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { allEndpoints, buildEndpointPath, type EndpointDefinition } from '@mission-control/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toFastifyPath } from '../../http/register-endpoint.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const run = promisify(execFile);

const documentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  servers: z.array(z.looseObject({ url: z.string() })).length(1),
  paths: z.record(z.string(), z.record(z.string(), z.looseObject({ operationId: z.string(), security: z.array(z.unknown()).optional() }))),
});

const lintReportSchema = z.looseObject({
  totals: z.object({ errors: z.number(), warnings: z.number(), ignored: z.number() }),
  problems: z.array(z.looseObject({ ruleId: z.string(), message: z.string() })),
});

/** A value each path parameter's schema accepts, so a request reaches the route itself. */
function sampleParams(definition: EndpointDefinition): Record<string, string> {
  const candidates = ['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', '1', 'TASK-1'];
  const params: Record<string, string> = {};
  for (const [name, field] of Object.entries(definition.params?.shape ?? {})) {
    const schema = z.object({ [name]: field });
    params[name] = candidates.find((candidate) => schema.safeParse({ [name]: candidate }).success) ?? candidates[0] ?? '';
  }
  return params;
}

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer('sqlite');
});
afterAll(async () => {
  await server.close();
});

describe('the API document', () => {
  it('is generated from the endpoint definitions, with the origin the request came to as its server', async () => {
    const response = await server.request({
      method: 'GET',
      url: '/api/v1/openapi.json',
      token: null,
      headers: { host: 'mission.test:4000' },
    });
    expect(response.statusCode).toBe(200);
    const document = documentSchema.parse(response.json());
    expect(document.servers[0]?.url).toBe('http://mission.test:4000');
    for (const definition of allEndpoints) {
      const operation = document.paths[definition.path]?.[definition.method.toLowerCase()];
      expect(operation?.operationId, `${definition.method} ${definition.path}`).toBe(definition.operationId);
    }
    const operationCount = Object.values(document.paths).reduce((sum, operations) => sum + Object.keys(operations).length, 0);
    expect(operationCount).toBe(allEndpoints.length);

    const reference = await server.request({ method: 'GET', url: '/api/docs/', token: null });
    expect(reference.statusCode).toBe(200);
    expect(reference.body).toContain('swagger');
  });

  it('names MISSION_PUBLIC_URL as the server when it is configured', async () => {
    const configured = await createTestServer('sqlite', { config: { publicUrl: 'https://mission.example.com' } });
    try {
      const response = await configured.request({ method: 'GET', url: '/api/v1/openapi.json', token: null });
      expect(documentSchema.parse(response.json()).servers).toEqual([
        { url: 'https://mission.example.com', description: 'This Mission Control server' },
      ]);
    } finally {
      await configured.close();
    }
  });

  it('passes Redocly’s recommended rules with no error and no warning', async () => {
    // As `npm start` serves it: the default address.
    const response = await server.request({ method: 'GET', url: '/api/v1/openapi.json', token: null, headers: { host: '127.0.0.1:4000' } });
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-openapi-'));
    const file = path.join(directory, 'openapi.json');
    fs.writeFileSync(file, response.body);
    try {
      const cli = path.join(repositoryRoot, 'node_modules/@redocly/cli/bin/cli.js');
      const lint = await run(
        process.execPath,
        [cli, 'lint', file, '--config', path.join(repositoryRoot, 'redocly.yaml'), '--format', 'json'],
        {
          cwd: repositoryRoot,
          maxBuffer: 16 * 1024 * 1024,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      ).catch((error: unknown) => {
        // Redocly exits 1 when it finds errors; the report on stdout says which.
        const stdout = z.object({ stdout: z.string() }).safeParse(error);
        if (stdout.success) return stdout.data;
        throw error;
      });
      const report = lintReportSchema.parse(JSON.parse(lint.stdout));
      expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
      expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the routes and the definitions', () => {
  it('registers a route for every definition, and every API route it registers has a definition', () => {
    for (const definition of allEndpoints) {
      expect(server.app.hasRoute({ method: definition.method, url: toFastifyPath(definition.path) }), definition.operationId).toBe(true);
    }
    const defined = new Set(allEndpoints.map((definition) => `${definition.method} ${toFastifyPath(definition.path)}`));
    const registered = server.registeredRoutes.filter(
      (route) => route.url.startsWith('/api/') && !route.url.startsWith('/api/docs') && !route.url.startsWith('/api/v1/ws/'),
    );
    const undocumented = registered
      .filter((route) => route.method !== 'HEAD' && route.url !== '/api/v1/openapi.json')
      .map((route) => `${route.method} ${route.url}`)
      .filter((route) => !defined.has(route));
    expect(undocumented).toEqual([]);
  });

  it('answers 401 with a Bearer challenge to every non-public operation called without a credential, and never 401 to public ones', async () => {
    for (const definition of allEndpoints) {
      const response = await server.request({
        method: definition.method,
        url: buildEndpointPath(definition.path, sampleParams(definition)),
        token: null,
        ...(definition.method === 'GET' || definition.method === 'DELETE' ? {} : { payload: {} }),
      });
      const label = `${definition.method} ${definition.path}`;
      if (definition.auth === 'own-credential') {
        // The route checks its own credential (a scraper token, a hook secret) and refuses the
        // call itself (or answers 404 for a hook that does not exist).
        expect([401, 404], label).toContain(response.statusCode);
      } else if (definition.auth === 'public') {
        expect(response.statusCode, label).not.toBe(401);
      } else {
        expect(response.statusCode, label).toBe(401);
        expect(response.json().error.code, label).toBe('UNAUTHENTICATED');
        expect(response.headers['www-authenticate'], label).toBe('Bearer realm="Mission Control"');
      }
    }
  });
});
