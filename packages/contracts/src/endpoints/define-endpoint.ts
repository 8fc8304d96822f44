import type { z } from 'zod';
import type { ErrorCode } from '../errors.js';

/** The HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint: anyone (`public`), a signed-in user or a user's API key (`user`), an
 * agent's API key (`agent`), or either (`any`). `own-credential`: the route checks a credential
 * of its own that is no session or API key (a scraper token, a hook's signing secret), so the
 * session layer lets the call through and key scopes do not apply. Finer rules (roles,
 * ownership) live in services.
 */
export type EndpointAuth = 'public' | 'own-credential' | 'user' | 'agent' | 'any';

/** Whether the session layer authenticates calls to an endpoint (and key scopes apply to it). */
export function isSessionAuthenticated(definition: { readonly auth: EndpointAuth }): boolean {
  return definition.auth !== 'public' && definition.auth !== 'own-credential';
}

/** Response headers an endpoint can set, documented once in the API document's components. */
export type ResponseHeaderName = 'ETag' | 'Cache-Control' | 'Location';

/**
 * The statuses an endpoint answers with a body of its own: the successes, and 503 for the health
 * check, which answers its report (not the error body) when the database is down. Error answers
 * are declared by their codes in `errors`, never here.
 */
export type AnswerStatus = 200 | 201 | 202 | 204 | 302 | 503;

/** One answer an endpoint gives on success (or, for the health check's 503, with its own body). */
export interface SuccessResponse {
  /** What the answer means, for the API document. */
  readonly description: string;
  /** The JSON body; left out for answers without a body (204, 202 with nothing to say). */
  readonly schema?: z.ZodType;
  /** Bodies in other media types the client can ask for with Accept (for example text/markdown). */
  readonly alternatives?: Readonly<Record<string, z.ZodType>>;
  /** Set when the body is not JSON at all (server-sent events). */
  readonly contentType?: string;
  /** Headers this answer sets beyond the ones every answer has. */
  readonly headers?: readonly ResponseHeaderName[];
}

/** A request header an endpoint reads, beyond Authorization and Idempotency-Key. */
export interface RequestHeader {
  readonly description: string;
  readonly required?: boolean;
  readonly schema: z.ZodType;
}

/** One operation of the API: everything the server, the SDK and the API document need to know. */
export interface EndpointDefinition {
  /** A unique camelCase verb-noun name (`listTasks`), the operationId in the API document. */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The full path with `{name}` placeholders, such as `/api/v1/tasks/{id}`. */
  readonly path: string;
  /** The feature it belongs to, which groups it in the API document. */
  readonly tag: string;
  /** One line: what it does. */
  readonly summary: string;
  /** What a caller needs to know beyond the summary: rules, side effects, what to do on errors. */
  readonly description: string;
  readonly auth: EndpointAuth;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /**
   * How the body is sent when it is not JSON (a multipart file upload). The server then does not
   * validate `body`; it documents the form for the API document and the SDK.
   */
  readonly bodyMediaType?: 'multipart/form-data';
  /** Request headers by lower-case name. */
  readonly headers?: Readonly<Record<string, RequestHeader>>;
  /** Every success status it can answer, with what it carries. */
  readonly responses: Readonly<Partial<Record<AnswerStatus, SuccessResponse>>>;
  /**
   * The error codes particular to this operation. Codes every operation of its kind can answer
   * (validation, authentication, rate limits, idempotency) are added by `endpointErrorCodes`.
   */
  readonly errors: readonly ErrorCode[];
  /**
   * Set to false on an authenticated POST whose answer cannot be replayed (a stream): the server
   * then ignores Idempotency-Key and the SDK never sends one nor retries it.
   */
  readonly idempotent?: false;
  /**
   * The top-level field of the success answer that holds a secret shown only once (a new API
   * key's `secret`). The server never stores that answer for Idempotency-Key replays: a repeat
   * answers 409 IDEMPOTENCY_SECRET_NOT_REPLAYABLE, with the answer less this field in `details`.
   * List that code in `errors`.
   */
  readonly oneTimeSecretField?: string;
  /** Other top-level fields that carry the same secret (a link with the token in it): left out of a stored answer with it. */
  readonly oneTimeSecretCopies?: readonly string[];
}

/** Declares an endpoint; the literal types are kept so callers and handlers are typed from it. */
export function defineEndpoint<const Definition extends EndpointDefinition>(definition: Definition): Definition {
  return definition;
}

type SchemaInput<Schema> = Schema extends z.ZodType ? z.input<Schema> : never;
type SchemaOutput<Schema> = Schema extends z.ZodType ? z.output<Schema> : never;

/** The parsed path parameters a handler receives. */
export type EndpointParams<Definition extends EndpointDefinition> = SchemaOutput<Definition['params']>;
/** The parsed query a handler receives. */
export type EndpointQuery<Definition extends EndpointDefinition> = SchemaOutput<Definition['query']>;
/** The parsed body a handler receives. */
export type EndpointBody<Definition extends EndpointDefinition> = SchemaOutput<Definition['body']>;

type SuccessValue<Response> = Response extends { schema: z.ZodType } ? z.output<Response['schema']> : undefined;
type SuccessInput<Response> = Response extends { schema: z.ZodType } ? z.input<Response['schema']> : undefined;

/** What a successful call answers: the parsed body of any of its success statuses (undefined for 204). */
export type EndpointResult<Definition extends EndpointDefinition> = {
  [Status in keyof Definition['responses']]: SuccessValue<Definition['responses'][Status]>;
}[keyof Definition['responses']];

/** What a handler may return for the success body (before the response schema shapes it). */
export type EndpointReturn<Definition extends EndpointDefinition> = {
  [Status in keyof Definition['responses']]: SuccessInput<Definition['responses'][Status]>;
}[keyof Definition['responses']];

type ParamsPart<Definition extends EndpointDefinition> = Definition['params'] extends z.ZodType
  ? { params: SchemaInput<Definition['params']> }
  : { params?: undefined };
type QueryPart<Definition extends EndpointDefinition> = Definition['query'] extends z.ZodType
  ? { query?: SchemaInput<Definition['query']> }
  : { query?: undefined };
type BodyPart<Definition extends EndpointDefinition> = Definition['body'] extends z.ZodType
  ? undefined extends SchemaInput<Definition['body']>
    ? { body?: SchemaInput<Definition['body']> }
    : { body: SchemaInput<Definition['body']> }
  : { body?: undefined };

/** What a client passes to call an endpoint: path parameters, query and body as the schemas take them. */
export type EndpointInput<Definition extends EndpointDefinition> = ParamsPart<Definition> & QueryPart<Definition> & BodyPart<Definition>;

/** The success status a handler's plain return value is sent with: the first the endpoint declares. */
export function primarySuccessStatus(definition: EndpointDefinition): number {
  const statuses = Object.keys(definition.responses).map(Number);
  const first = statuses.sort((left, right) => left - right)[0];
  if (first === undefined) throw new Error(`${definition.operationId} declares no success response`);
  return first;
}

/** Fills `{name}` placeholders with encoded values: `/api/v1/tasks/{id}` + `{ id: 'TASK-7' }` → `/api/v1/tasks/TASK-7`. */
export function buildEndpointPath(path: string, params: Readonly<Record<string, unknown>> | undefined): string {
  return path.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`The path ${path} needs the parameter "${name}".`);
    return encodeURIComponent(String(value));
  });
}

/** Whether a body schema has a field the caller must send (so the API document marks the body required). */
export function bodyIsRequired(definition: EndpointDefinition): boolean {
  const body = definition.body;
  if (!body) return false;
  return !body.safeParse(undefined).success && !body.safeParse({}).success;
}
