import { describe, expect, it } from 'vitest';
import { allEndpoints, bodyIsRequired, endpointErrorCodes, endpoints, isSessionAuthenticated } from '../endpoints/index.js';
import { errorStatusByCode } from '../errors.js';
import { buildOpenApiDocument } from './build-openapi-document.js';

const document = buildOpenApiDocument(allEndpoints, {
  title: 'Mission Control API',
  version: '0.0.0-test',
  description: 'test',
  serverUrl: 'http://127.0.0.1:4000',
  tags: {},
});

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  security?: unknown[];
  parameters?: { name?: string; in?: string; required?: boolean; $ref?: string }[];
  requestBody?: { required: boolean };
  responses: Record<string, { content?: Record<string, { schema: { allOf?: { properties?: unknown }[] } }> }>;
}

function operationOf(path: string, method: string): Operation {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const operation = paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no ${method} ${path} in the document`);
  return operation;
}

describe('endpoint definitions', () => {
  it('are keyed by their unique operationId', () => {
    for (const [key, definition] of Object.entries(endpoints)) expect(definition.operationId).toBe(key);
    const ids = allEndpoints.map((definition) => definition.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const routes = allEndpoints.map((definition) => `${definition.method} ${definition.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('declare their path parameters exactly', () => {
    for (const definition of allEndpoints) {
      const placeholders = [...definition.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect(Object.keys(definition.params?.shape ?? {}).sort(), definition.operationId).toEqual(placeholders);
    }
  });
});

describe('the API document', () => {
  it('has every endpoint with its operationId, summary, description, parameters and body', () => {
    for (const definition of allEndpoints) {
      const operation = operationOf(definition.path, definition.method);
      expect(operation.operationId).toBe(definition.operationId);
      expect(operation.summary).toBe(definition.summary);
      expect(operation.description.length, definition.operationId).toBeGreaterThan(10);
      const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
      expect(pathParameters.sort()).toEqual(Object.keys(definition.params?.shape ?? {}).sort());
      const queryParameters = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name);
      expect(queryParameters.sort()).toEqual(Object.keys(definition.query?.shape ?? {}).sort());
      if (definition.body) expect(operation.requestBody?.required, definition.operationId).toBe(bodyIsRequired(definition));
      else expect(operation.requestBody).toBeUndefined();
      expect(operation.security === undefined, definition.operationId).toBe(isSessionAuthenticated(definition));
    }
  });

  it('documents every success status and every error code under the status it is answered with', () => {
    for (const definition of allEndpoints) {
      const operation = operationOf(definition.path, definition.method);
      for (const status of Object.keys(definition.responses))
        expect(operation.responses[status], `${definition.operationId} ${status}`).toBeDefined();
      for (const code of endpointErrorCodes(definition)) {
        const response = operation.responses[String(errorStatusByCode[code])];
        expect(response, `${definition.operationId} ${code}`).toBeDefined();
        expect(JSON.stringify(response?.content), `${definition.operationId} ${code}`).toContain(`"${code}"`);
      }
    }
  });

  it('marks a body required only when it has a required field', () => {
    expect(bodyIsRequired(endpoints.createTask)).toBe(true);
    expect(bodyIsRequired(endpoints.updateTask)).toBe(false);
    expect(bodyIsRequired(endpoints.claimTask)).toBe(false);
  });

  it('documents 401 and 429 on authenticated endpoints, and the Idempotency-Key on their POSTs', () => {
    const create = operationOf('/api/v1/tasks', 'POST');
    expect(create.responses['401']).toBeDefined();
    expect(create.responses['429']).toBeDefined();
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    const list = operationOf('/api/v1/tasks', 'GET');
    expect(list.parameters?.some((parameter) => parameter.$ref)).toBe(false);
  });

  it('puts named schemas into components, with a separate request form when it differs', () => {
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    expect(schemas.Task).toBeDefined();
    expect(schemas.ErrorBody).toBeDefined();
    expect(schemas.PrincipalReference).toBeDefined();
    expect(JSON.stringify(document)).not.toContain('#/$defs/');
  });
});
