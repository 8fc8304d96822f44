import {
  acceptsIdempotencyKey,
  buildEndpointPath,
  type EndpointDefinition,
  type EndpointInput,
  type EndpointResult,
  type HttpMethod,
  type SuccessResponse,
} from '@mission-control/contracts';
import { z } from 'zod';
import { isMissionControlError, MissionControlError, readErrorResponse } from './errors.js';
import {
  canSignRequests,
  createRequestSigner,
  isApiKey,
  serializeForm,
  signatureHeaderNames,
  toSignatureHeaders,
} from './request-signing.js';
import { readServerSentEvents } from './server-sent-events.js';

/** The fetch function the SDK calls; the global one by default. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** How failed calls are retried: exponential backoff with full jitter. */
export interface RetryOptions {
  /** Retries after the first attempt (0 turns retrying off). */
  retries: number;
  /** The backoff of the first retry, before jitter. */
  minDelayMs: number;
  /** The longest wait between two attempts, including a server's Retry-After. */
  maxDelayMs: number;
}

/** Three retries, from about a quarter second up to ten seconds apart. */
export const defaultRetryOptions: RetryOptions = { retries: 3, minDelayMs: 250, maxDelayMs: 10_000 };

/** How the transport reaches the server. */
export interface TransportOptions {
  baseUrl: string;
  fetch: FetchFunction;
  retry: RetryOptions;
  timeoutMs: number;
  /** The credential to send, read before every attempt (it may be refreshed in between). */
  credential: () => string | undefined | Promise<string | undefined>;
  /**
   * Called once when an answer is 401; when it resolves true (the credential was renewed), the
   * request is sent once more with the new credential.
   */
  onUnauthorized?: (() => Promise<boolean>) | undefined;
}

/** A parsed answer with the response headers that carry meaning (ETag, Idempotency-Replayed). */
export interface TransportResponse<Value> {
  value: Value;
  status: number;
  headers: Headers;
}

/** Per-call options beside an endpoint's input. */
export interface CallOptions {
  /** Extra request headers (If-Match, a chosen Idempotency-Key). */
  headers?: Record<string, string> | undefined;
  /** Aborts the call (and its retries). */
  signal?: AbortSignal | undefined;
}

/** What `call` takes for an endpoint: its path parameters, query and body, plus per-call options. */
export type EndpointCall<Definition extends EndpointDefinition> = EndpointInput<Definition> & CallOptions;

/** The call's arguments: the input may be left out when the endpoint needs none. */
export type EndpointCallArguments<Definition extends EndpointDefinition> =
  object extends EndpointInput<Definition> ? [input?: EndpointCall<Definition>] : [input: EndpointCall<Definition>];

interface OutgoingRequest {
  label: string;
  method: HttpMethod;
  url: string;
  body: unknown;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  /** Whether sending it again is safe (POSTs only under an Idempotency-Key). */
  repeatable: boolean;
  /** Statuses the endpoint answers with its own body rather than the error body (the health check's 503). */
  answers: readonly number[];
  /** Whether the answer is a stream read for as long as it lasts (the timeout then covers only its start). */
  streaming: boolean;
}

const eventStreamMediaType = 'text/event-stream';

/** Waits, unless the signal aborts first. */
function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter: a random wait up to min·2^attempt, capped. */
export function computeBackoffDelay(attempt: number, options: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** A random key for one operation, reused across its retries. */
export function createIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

function isRetryableError(error: MissionControlError): boolean {
  if (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT') return true;
  if (error.status === 429 || error.status === 503) return true;
  // The first attempt with this key is still running on the server: asking again later gets its answer.
  return error.code === 'IDEMPOTENCY_KEY_IN_USE';
}

function appendQuery(url: URL, query: Readonly<Record<string, unknown>> | undefined): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) url.searchParams.set(name, value.join(','));
    } else url.searchParams.set(name, String(value));
  }
}

/** Sends requests to the API: auth header, JSON, retries, error mapping and schema parsing. */
export class HttpTransport {
  readonly baseUrl: string;
  private readonly options: TransportOptions;
  private readonly signRequest = createRequestSigner();

  /** Creates a transport for one server root (endpoint paths start with /api). */
  constructor(options: TransportOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl;
  }

  /** The absolute URL of an endpoint with its path parameters and query filled in. */
  endpointUrl(endpoint: EndpointDefinition, input: { params?: unknown; query?: unknown }): string {
    const params = isRecord(input.params) ? input.params : undefined;
    const url = new URL(`${this.baseUrl}${buildEndpointPath(endpoint.path, params)}`);
    appendQuery(url, isRecord(input.query) ? input.query : undefined);
    return url.toString();
  }

  /** Calls an endpoint by its contracts definition and returns its parsed answer; throws MissionControlError on failure. */
  async call<Definition extends EndpointDefinition>(
    endpoint: Definition,
    ...input: EndpointCallArguments<Definition>
  ): Promise<EndpointResult<Definition>> {
    return (await this.callWithResponse(endpoint, ...input)).value;
  }

  /** Like call, and also returns the status and headers of the answer (ETag, Idempotency-Replayed). */
  async callWithResponse<Definition extends EndpointDefinition>(
    endpoint: Definition,
    ...[input]: EndpointCallArguments<Definition>
  ): Promise<TransportResponse<EndpointResult<Definition>>> {
    if (answersEventStream(endpoint)) {
      throw new TypeError(`${endpoint.operationId} answers server-sent events: read it with callForEvents.`);
    }
    const response = await this.send(this.outgoing(endpoint, input ?? {}, 'application/json'));
    const value = await this.parseAnswer(endpoint, response);
    return { value, status: response.status, headers: response.headers };
  }

  /** Calls an endpoint whose body is multipart/form-data (a file upload) and returns its parsed answer. */
  async callWithForm<Definition extends EndpointDefinition>(
    endpoint: Definition,
    form: FormData,
    input: Omit<EndpointCall<Definition>, 'body'>,
  ): Promise<EndpointResult<Definition>> {
    const response = await this.send(this.outgoing(endpoint, { ...input, body: form }, 'application/json'));
    return this.parseAnswer(endpoint, response);
  }

  /** Calls an endpoint that answers bytes (a download) and returns them with the answer's headers. */
  async callForBytes<Definition extends EndpointDefinition>(
    endpoint: Definition,
    ...[input]: EndpointCallArguments<Definition>
  ): Promise<TransportResponse<Blob>> {
    const response = await this.send(this.outgoing(endpoint, input ?? {}, '*/*'));
    return { value: await response.blob(), status: response.status, headers: response.headers };
  }

  /** Calls an endpoint that can answer another media type (WORKING.md as text/markdown) and returns the text. */
  async callForText<Definition extends EndpointDefinition>(
    endpoint: Definition,
    accept: string,
    ...[input]: EndpointCallArguments<Definition>
  ): Promise<string> {
    const response = await this.send(this.outgoing(endpoint, input ?? {}, accept));
    return response.text();
  }

  /**
   * Calls an endpoint that answers server-sent events and yields each event's data, parsed by the
   * endpoint's schema, as it arrives. The request is sent when iteration starts; refusals before
   * the stream (409, 404, …) throw MissionControlError as with call; stopping early closes it.
   */
  async *callForEvents<Definition extends EndpointDefinition>(
    endpoint: Definition,
    ...[input]: EndpointCallArguments<Definition>
  ): AsyncGenerator<EndpointResult<Definition>, void, undefined> {
    const request: OutgoingRequest = { ...this.outgoing(endpoint, input ?? {}, eventStreamMediaType), streaming: true };
    const response = await this.send(request);
    const schema = successResponseFor(endpoint, response.status)?.schema;
    const contentType = response.headers.get('content-type') ?? '';
    if (!schema || !response.body || !contentType.toLowerCase().startsWith(eventStreamMediaType)) {
      await response.body?.cancel().catch(() => undefined);
      throw new MissionControlError(
        'INVALID_RESPONSE',
        `${request.label} answered HTTP ${response.status} ${contentType || 'without a content type'} instead of server-sent events; the server and SDK versions may differ.`,
        { status: response.status },
      );
    }
    try {
      for await (const event of readServerSentEvents(response.body, request.signal)) {
        let json: unknown;
        try {
          json = JSON.parse(event.data);
        } catch (cause) {
          throw new MissionControlError('INVALID_RESPONSE', `${request.label} sent an event whose data is not JSON.`, {
            status: response.status,
            cause,
          });
        }
        yield parseWith<EndpointResult<Definition>>(schema, json, request.label, response.status);
      }
    } catch (error) {
      if (isMissionControlError(error) || request.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new MissionControlError('NETWORK_ERROR', `The answer of ${request.label} broke off (${reason}); send the request again.`, {
        cause: error,
      });
    }
  }

  private outgoing(
    endpoint: EndpointDefinition,
    input: CallOptions & { params?: unknown; query?: unknown; body?: unknown },
    accept: string,
  ): OutgoingRequest {
    const headers: Record<string, string> = { accept, ...input.headers };
    const idempotent = acceptsIdempotencyKey(endpoint);
    // One key per operation, the same on every retry, so the server runs it once.
    if (idempotent && !headers['idempotency-key']) headers['idempotency-key'] = createIdempotencyKey();
    return {
      label: `${endpoint.method} ${endpoint.path}`,
      method: endpoint.method,
      url: this.endpointUrl(endpoint, input),
      body: input.body ?? (endpoint.body && endpoint.method !== 'GET' ? {} : undefined),
      headers,
      signal: input.signal,
      // PATCH may apply twice (an edit relative to what is there); a POST is safe only under its key.
      repeatable: endpoint.method === 'POST' ? idempotent : endpoint.method !== 'PATCH',
      answers: Object.keys(endpoint.responses).map(Number),
      streaming: false,
    };
  }

  private async send(request: OutgoingRequest): Promise<Response> {
    const headers = { ...request.headers };
    let body: string | FormData | ArrayBuffer | undefined;
    // fetch sets the multipart content type itself, with the boundary it chose.
    if (request.body instanceof FormData) body = request.body;
    else if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const retry = request.repeatable ? this.options.retry : { ...this.options.retry, retries: 0 };
    let renewed = false;
    for (let attempt = 0; ; attempt += 1) {
      let error: MissionControlError;
      // An API key sent unsigned because Web Crypto is missing, so a refusal can say why.
      let unsignable = false;
      try {
        const credential = await this.options.credential();
        if (credential) headers.authorization = `Bearer ${credential}`;
        else delete headers.authorization;
        // The server remembers every signature it accepts, so a resend needs a new one.
        for (const name of signatureHeaderNames) delete headers[name];
        // Every API key signs, since only the server knows which keys require it (it ignores the rest).
        if (credential && isApiKey(credential)) {
          unsignable = !canSignRequests();
          if (!unsignable) body = await this.signAttempt(request, credential, headers, body);
        }
        const response = await this.fetchOnce(request, { method: request.method, headers, body });
        if (response.ok || request.answers.includes(response.status)) return response;
        error = await readErrorResponse(response);
      } catch (caught) {
        if (request.signal?.aborted) throw caught;
        error = caught instanceof MissionControlError ? caught : this.networkError(caught);
      }
      if (unsignable && error.code === 'SIGNATURE_INVALID') throw explainUnsignedRefusal(error);
      // A 401 is answered before any work is done, so sending it again with a renewed credential is safe.
      if (error.status === 401 && !renewed && this.options.onUnauthorized) {
        renewed = true;
        if (await this.options.onUnauthorized()) {
          attempt -= 1;
          continue;
        }
      }
      if (attempt >= retry.retries || !isRetryableError(error)) throw error;
      const backoff = computeBackoffDelay(attempt, retry);
      const asked = error.retryAfterSeconds === undefined ? 0 : error.retryAfterSeconds * 1_000;
      // A server asking for a longer pause than we are willing to wait gets the error back now.
      if (asked > retry.maxDelayMs) throw error;
      await sleep(Math.max(asked, backoff), request.signal);
    }
  }

  /**
   * Adds the signature headers to one attempt and answers the body to send: a form becomes the
   * bytes it serialises to (with their content type), so what was hashed is exactly what is sent.
   */
  private async signAttempt(
    request: OutgoingRequest,
    credential: string,
    headers: Record<string, string>,
    body: string | FormData | ArrayBuffer | undefined,
  ): Promise<string | ArrayBuffer | undefined> {
    let bytes = body;
    if (bytes instanceof FormData) {
      const form = await serializeForm(bytes);
      headers['content-type'] = form.contentType;
      bytes = form.body;
    }
    const signature = await this.signRequest(credential, { method: request.method, url: request.url, body: bytes });
    Object.assign(headers, toSignatureHeaders(signature));
    return bytes;
  }

  private async fetchOnce(request: OutgoingRequest, init: RequestInit): Promise<Response> {
    const { signal } = request;
    const deadline = startDeadline(this.options.timeoutMs, request.streaming);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    try {
      return await this.options.fetch(request.url, { ...init, signal: combined });
    } catch (error) {
      if (deadline.signal.aborted && !signal?.aborted) {
        throw new MissionControlError('TIMEOUT', `No answer from ${this.baseUrl} within ${this.options.timeoutMs} ms.`, { cause: error });
      }
      throw error;
    } finally {
      deadline.stopIfStreaming();
    }
  }

  private networkError(cause: unknown): MissionControlError {
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    return new MissionControlError(
      'NETWORK_ERROR',
      `Could not reach Mission Control at ${this.baseUrl} (${reason}). Check the URL and that the server is running.`,
      { cause },
    );
  }

  private async parseAnswer<Definition extends EndpointDefinition>(
    endpoint: Definition,
    response: Response,
  ): Promise<EndpointResult<Definition>> {
    const label = `${endpoint.method} ${endpoint.path}`;
    const answer = successResponseFor(endpoint, response.status);
    if (!answer) {
      throw new MissionControlError(
        'INVALID_RESPONSE',
        `${label} answered HTTP ${response.status}, which it never should; the server and SDK versions may differ.`,
        {
          status: response.status,
        },
      );
    }
    const text = await response.text();
    if (!answer.schema) return parseWith(z.undefined(), undefined, label, response.status);
    if (text === '') {
      throw new MissionControlError('INVALID_RESPONSE', `${label} answered without a body.`, { status: response.status });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new MissionControlError('INVALID_RESPONSE', `${label} answered something other than JSON.`, { status: response.status, cause });
    }
    return parseWith(answer.schema, json, label, response.status);
  }
}

/**
 * The time an attempt may take. A plain answer must arrive whole within it (the body is read
 * under the same signal); a stream must only begin within it, then lasts as long as it has
 * something to say.
 */
function startDeadline(milliseconds: number, streaming: boolean): { signal: AbortSignal; stopIfStreaming: () => void } {
  if (!streaming) return { signal: AbortSignal.timeout(milliseconds), stopIfStreaming: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The answer did not begin in time.', 'TimeoutError')), milliseconds);
  return { signal: controller.signal, stopIfStreaming: () => clearTimeout(timer) };
}

/** The server's refusal of an unsigned request, saying why this SDK could not sign it. */
function explainUnsignedRefusal(error: MissionControlError): MissionControlError {
  return new MissionControlError(
    error.code,
    `${error.message} This SDK signs by itself with Web Crypto, which is missing here (browsers offer it only on https or localhost pages).`,
    { status: error.status, details: error.details, cause: error },
  );
}

/** Whether an endpoint's success answer is a stream of server-sent events. */
function answersEventStream(endpoint: EndpointDefinition): boolean {
  return Object.values<SuccessResponse | undefined>(endpoint.responses).some((answer) => answer?.contentType === eventStreamMediaType);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function successResponseFor(endpoint: EndpointDefinition, status: number): SuccessResponse | undefined {
  const responses: Readonly<Record<number, SuccessResponse | undefined>> = endpoint.responses;
  return responses[status];
}

// The endpoint's success schemas are what EndpointResult is computed from, so the parsed value has that type.
function parseWith<Value>(schema: z.ZodType, json: unknown, label: string, status: number): Value {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new MissionControlError(
      'INVALID_RESPONSE',
      `${label} answered a shape this SDK does not expect; the server and SDK versions may differ.`,
      { status, details: parsed.error.issues },
    );
  }
  return parsed.data as Value;
}
