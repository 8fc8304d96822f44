import {
  acceptsIdempotencyKey,
  bodyIsRequired,
  type EndpointBody,
  type EndpointDefinition,
  type EndpointParams,
  type EndpointQuery,
  type EndpointReturn,
  optionalBody,
  primarySuccessStatus,
} from '@mission-control/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { z } from 'zod';
import { AppError } from './app-error.js';

interface EndpointRouteTypes<Definition extends EndpointDefinition> {
  Params: EndpointParams<Definition>;
  Querystring: EndpointQuery<Definition>;
  Body: EndpointBody<Definition>;
}

/** The request a handler receives: params, query and body parsed by the endpoint's schemas. */
export type EndpointRequest<Definition extends EndpointDefinition> = FastifyRequest<EndpointRouteTypes<Definition>>;

/**
 * A route handler: it returns the success body (sent with the endpoint's first success status),
 * or the reply itself when it chose the status or sent the answer on its own.
 */
export type EndpointHandler<Definition extends EndpointDefinition> = (
  request: EndpointRequest<Definition>,
  reply: FastifyReply,
) => Promise<EndpointReturn<Definition> | FastifyReply | NoBody>;

/** What a handler of an endpoint without a body (204) returns: it simply ends. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets a 204 handler end without `return undefined`.
type NoBody = void;

/** `/api/v1/tasks/{id}` → `/api/v1/tasks/:id`. */
export function toFastifyPath(path: string): string {
  return path.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, ':$1');
}

/** Definitions carry full paths; a context registered with a prefix (`/api/v1`) adds it again. */
function pathWithinPrefix(app: FastifyInstance, path: string): string {
  if (!app.prefix) return path;
  if (!path.startsWith(`${app.prefix}/`)) throw new Error(`${path} cannot be registered under the prefix ${app.prefix}`);
  return path.slice(app.prefix.length);
}

const callerNames = { user: 'people (a session or a user API key)', agent: 'agents (an agent API key)' } as const;

function requireCaller(definition: EndpointDefinition) {
  const kind = definition.auth;
  if (kind === 'public' || kind === 'own-credential') return undefined;
  return async (request: FastifyRequest) => {
    if (!request.principal) throw new Error(`${definition.operationId} is registered outside the authenticated context`);
    if (kind !== 'any' && request.principal.kind !== kind) {
      throw new AppError(
        'FORBIDDEN',
        `${definition.summary} is for ${callerNames[kind]}; this credential belongs to ${request.principal.kind === 'user' ? 'a person' : 'an agent'}.`,
      );
    }
  };
}

function routeSchema(definition: EndpointDefinition): FastifySchema {
  const response: Record<number, z.ZodType> = {};
  for (const [status, answer] of Object.entries(definition.responses)) {
    response[Number(status)] = answer?.schema && !answer.alternatives && !answer.contentType ? answer.schema : z.unknown();
  }
  const schema: FastifySchema = { response };
  if (definition.params) schema.params = definition.params;
  // An endpoint without query parameters refuses any, as the strict query schemas refuse unknown ones.
  schema.querystring = definition.query ?? z.strictObject({});
  // A multipart body is read by the handler as a stream, so there is nothing parsed to validate.
  if (definition.body && !definition.bodyMediaType)
    schema.body = bodyIsRequired(definition) ? definition.body : optionalBody(definition.body);
  if (definition.headers) {
    // Loose: the other headers (Authorization, Idempotency-Key) pass through untouched.
    const shape = Object.fromEntries(Object.entries(definition.headers).map(([name, header]) => [name, header.schema]));
    schema.headers = z.looseObject(shape);
  }
  return schema;
}

/**
 * Registers a route from its contracts definition: method, path, input schemas, response
 * schemas and who may call it all come from the definition, so the API document, the SDK and the
 * server cannot disagree. Register public endpoints in the public context, the others where the
 * authenticate hook runs.
 */
export function registerEndpoint<Definition extends EndpointDefinition>(
  app: FastifyInstance,
  definition: Definition,
  handler: EndpointHandler<Definition>,
  options: {
    /**
     * Runs after the caller check and before the request's transaction opens (an Idempotency-Key
     * opens one): for work that waits on the network, which must not hold the database meanwhile.
     */
    beforeTransaction?: (request: FastifyRequest) => Promise<void>;
  } = {},
): void {
  const successStatus = primarySuccessStatus(definition);
  const callerCheck = requireCaller(definition);
  app.route<EndpointRouteTypes<Definition>>({
    method: definition.method,
    url: pathWithinPrefix(app, toFastifyPath(definition.path)),
    schema: routeSchema(definition),
    config: {
      acceptsIdempotencyKey: acceptsIdempotencyKey(definition),
      ...(definition.oneTimeSecretField ? { oneTimeSecretField: definition.oneTimeSecretField } : {}),
      ...(definition.oneTimeSecretCopies ? { oneTimeSecretCopies: definition.oneTimeSecretCopies } : {}),
    },
    ...(callerCheck || options.beforeTransaction
      ? { preValidation: [callerCheck, options.beforeTransaction].filter((hook) => hook !== undefined) }
      : {}),
    handler: async (request, reply) => {
      const result = await handler(request, reply);
      if (result === reply || reply.sent) return reply;
      return successStatus === 204 ? reply.status(204).send() : reply.status(successStatus).send(result);
    },
  });
}
