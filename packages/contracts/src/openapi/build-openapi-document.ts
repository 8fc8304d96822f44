import type { z } from 'zod';
import { bodyIsRequired, type EndpointDefinition, isSessionAuthenticated, type SuccessResponse } from '../endpoints/define-endpoint.js';
import { acceptsIdempotencyKey, endpointErrorsByStatus, isRateLimited } from '../endpoints/endpoint-errors.js';
import { type ErrorCode, errorBodySchema } from '../errors.js';
import { errorCodeDescriptions, statusDescriptions } from './error-descriptions.js';
import { responseHeaderComponents } from './header-components.js';
import { type JsonSchema, SchemaComponents } from './schema-components.js';

/** What the API document says about the API as a whole. */
export interface OpenApiDocumentOptions {
  title: string;
  version: string;
  description: string;
  /** Where the API is reached, such as `http://127.0.0.1:4000` (the server root; paths start with /api). */
  serverUrl: string;
  /** A description of each tag the endpoints use. */
  tags: Readonly<Record<string, string>>;
}

type Operation = JsonSchema;

const jsonMediaType = 'application/json';

function childObject(parent: JsonSchema, key: string): JsonSchema {
  const child = parent[key];
  return typeof child === 'object' && child !== null && !Array.isArray(child) ? { ...child } : {};
}

function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/** The OpenAPI parameters of a params or query object, one per property, with its description. */
function objectParameters(components: SchemaComponents, schema: z.ZodObject, location: 'path' | 'query'): JsonSchema[] {
  const properties = childObject(components.convert(schema, 'input'), 'properties');
  return Object.entries(schema.shape).map(([name, field]) => {
    const { description, ...propertySchema } = childObject(properties, name);
    const parameter: JsonSchema = {
      name,
      in: location,
      required: location === 'path' || !isOptional(field as z.ZodType),
      schema: propertySchema,
    };
    if (typeof description === 'string') parameter.description = description;
    if (propertySchema.type === 'array') Object.assign(parameter, { style: 'form', explode: false });
    return parameter;
  });
}

function headerParameters(components: SchemaComponents, definition: EndpointDefinition): JsonSchema[] {
  const parameters: JsonSchema[] = Object.entries(definition.headers ?? {}).map(([name, header]) => ({
    name: name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`),
    in: 'header',
    required: header.required ?? false,
    description: header.description,
    schema: components.convert(header.schema, 'input'),
  }));
  if (acceptsIdempotencyKey(definition)) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  return parameters;
}

function commonHeaders(definition: EndpointDefinition): Record<string, JsonSchema> {
  if (!isRateLimited(definition)) return {};
  return {
    'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
    'X-RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
    'X-RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
  };
}

function successResponse(components: SchemaComponents, definition: EndpointDefinition, response: SuccessResponse): JsonSchema {
  const headers: Record<string, JsonSchema> = commonHeaders(definition);
  for (const name of response.headers ?? []) headers[name] = { $ref: `#/components/headers/${name.replace('-', '')}` };
  if (acceptsIdempotencyKey(definition)) headers['Idempotency-Replayed'] = { $ref: '#/components/headers/IdempotencyReplayed' };
  const content: Record<string, JsonSchema> = {};
  if (response.schema) content[response.contentType ?? jsonMediaType] = { schema: components.convert(response.schema, 'output') };
  for (const [mediaType, schema] of Object.entries(response.alternatives ?? {})) {
    content[mediaType] = { schema: components.convert(schema, 'output') };
  }
  return {
    description: response.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  };
}

function errorResponse(definition: EndpointDefinition, status: number, codes: ErrorCode[]): JsonSchema {
  const headers: Record<string, JsonSchema> = commonHeaders(definition);
  if (status === 401) headers['WWW-Authenticate'] = { $ref: '#/components/headers/WWWAuthenticate' };
  if (status === 429) headers['Retry-After'] = { $ref: '#/components/headers/RetryAfter' };
  const reasons = codes.map((code) => `\`${code}\`: ${errorCodeDescriptions[code]}`).join('\n- ');
  return {
    description: `${statusDescriptions[status] ?? `HTTP ${status}`}\n\n- ${reasons}`,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: {
      [jsonMediaType]: {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ErrorBody' },
            { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string', enum: codes } } } } },
          ],
        },
      },
    },
  };
}

function buildOperation(components: SchemaComponents, definition: EndpointDefinition): Operation {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(definition.responses)) {
    if (response) responses[status] = successResponse(components, definition, response);
  }
  for (const [status, codes] of endpointErrorsByStatus(definition)) responses[String(status)] = errorResponse(definition, status, codes);

  const parameters = [
    ...(definition.params ? objectParameters(components, definition.params, 'path') : []),
    ...(definition.query ? objectParameters(components, definition.query, 'query') : []),
    ...headerParameters(components, definition),
  ];
  const operation: Operation = {
    operationId: definition.operationId,
    tags: [definition.tag],
    summary: definition.summary,
    description: definition.description,
    ...(isSessionAuthenticated(definition) ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    responses,
  };
  if (definition.auth === 'user') operation['x-callers'] = 'people (a session or a user API key)';
  if (definition.auth === 'agent') operation['x-callers'] = 'agents (an agent API key)';
  if (definition.auth === 'own-credential')
    operation['x-callers'] = 'holders of the credential its description names (no session or API key)';
  if (definition.body) {
    operation.requestBody = {
      required: bodyIsRequired(definition),
      content: { [definition.bodyMediaType ?? jsonMediaType]: { schema: components.convert(definition.body, 'input') } },
    };
  }
  return operation;
}

/** Only the header components some response points at. */
function usedHeaderComponents(paths: unknown): Record<string, JsonSchema> {
  const text = JSON.stringify(paths);
  return Object.fromEntries(Object.entries(responseHeaderComponents).filter(([name]) => text.includes(`"#/components/headers/${name}"`)));
}

/** Builds the OpenAPI 3.1 document of the given endpoints: every operation, status, error code and header. */
export function buildOpenApiDocument(endpoints: readonly EndpointDefinition[], options: OpenApiDocumentOptions): JsonSchema {
  const components = new SchemaComponents();
  components.convert(errorBodySchema, 'output');
  // Answers first, so the plain component names go to what the server sends.
  for (const definition of endpoints) {
    for (const response of Object.values(definition.responses)) if (response?.schema) components.convert(response.schema, 'output');
  }
  const paths: Record<string, Record<string, Operation>> = {};
  for (const definition of endpoints) {
    const operations = paths[definition.path] ?? {};
    operations[definition.method.toLowerCase()] = buildOperation(components, definition);
    paths[definition.path] = operations;
  }
  const usedTags = [...new Set(endpoints.map((definition) => definition.tag))].sort();
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      description: options.description,
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'Mission Control', url: `${options.serverUrl}/api/docs` },
    },
    servers: [{ url: options.serverUrl, description: 'This Mission Control server' }],
    security: [{ bearer: [] }],
    tags: usedTags.map((name) => ({ name, description: options.tags[name] ?? name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([left], [right]) => left.localeCompare(right))),
      headers: usedHeaderComponents(paths),
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Any unique text up to 255 printable characters. A repeat with the same key and body within 24 hours answers the first answer again (with `Idempotency-Replayed: true`) instead of doing the work twice.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An access token from POST /api/v1/auth/login, or an API key (`mc_…`) of an agent or a user.',
        },
      },
    },
  };
}
