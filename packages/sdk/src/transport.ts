import type { z } from 'zod';
import { MissionControlError, readErrorResponse } from './errors.js';

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

/** The HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query parameter value; arrays are sent comma separated, undefined and null are left out. */
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

/** One API call as the resources describe it. */
export interface RequestOptions<Schema extends z.ZodType> {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue> | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  /** The schema the answer must match; its parsed value is returned. */
  schema: Schema;
  /** Set to false for calls that must never be sent twice (rotating a refresh token). */
  retry?: boolean;
  /** Answer `undefined` instead of failing on 204 No Content. */
  allowNoContent?: boolean;
  signal?: AbortSignal | undefined;
}

/** How the transport reaches the server. */
export interface TransportOptions {
  baseUrl: string;
  fetch: FetchFunction;
  retry: RetryOptions;
  timeoutMs: number;
  credential: () => string | undefined;
}

/** A parsed answer with the response headers that carry meaning (ETag, Idempotency-Replayed). */
export interface TransportResponse<Value> {
  value: Value;
  status: number;
  headers: Headers;
}

/** Methods safe to send again as they are; POST is made safe by the Idempotency-Key the SDK sets. */
const repeatableMethods = new Set<HttpMethod>(['GET', 'PUT', 'DELETE', 'POST']);

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

function isRetryableError(error: MissionControlError, method: HttpMethod): boolean {
  if (!repeatableMethods.has(method)) return false;
  if (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT') return true;
  if (error.status === 429 || error.status === 503) return true;
  // The first attempt with this key is still running on the server: asking again later gets its answer.
  return error.code === 'IDEMPOTENCY_KEY_IN_USE';
}

/** Sends requests to the API: auth header, JSON, retries, error mapping and schema parsing. */
export class HttpTransport {
  readonly baseUrl: string;
  private readonly options: TransportOptions;

  /** Creates a transport for one base URL (the server root; `/api/v1` is added here). */
  constructor(options: TransportOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl;
  }

  /** Builds the absolute URL of an API path with its query string. */
  buildUrl(path: string, query?: Record<string, QueryValue>): string {
    const url = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      url.searchParams.set(name, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url.toString();
  }

  /** Sends a request and returns the parsed answer; throws MissionControlError on failure. */
  async request<Schema extends z.ZodType>(request: RequestOptions<Schema>): Promise<z.output<Schema>> {
    return (await this.requestWithHeaders(request)).value;
  }

  /** Like request, and also returns the status and headers of the answer. */
  async requestWithHeaders<Schema extends z.ZodType>(request: RequestOptions<Schema>): Promise<TransportResponse<z.output<Schema>>> {
    const response = await this.send(request);
    return { value: await this.parse(response, request), status: response.status, headers: response.headers };
  }

  /** Sends a request expecting text (for example WORKING.md as markdown). */
  async requestText(request: Omit<RequestOptions<z.ZodType>, 'schema'>): Promise<string> {
    const response = await this.send(request);
    return response.text();
  }

  private async send(request: Omit<RequestOptions<z.ZodType>, 'schema'>): Promise<Response> {
    const url = this.buildUrl(request.path, request.query);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    const credential = this.options.credential();
    if (credential) headers.authorization = `Bearer ${credential}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    // One key per operation, the same on every retry, so the server runs it once.
    if (request.method === 'POST' && !headers['idempotency-key']) headers['idempotency-key'] = createIdempotencyKey();

    const retry = request.retry === false ? { ...this.options.retry, retries: 0 } : this.options.retry;
    for (let attempt = 0; ; attempt += 1) {
      let error: MissionControlError;
      try {
        const response = await this.fetchOnce(url, { method: request.method, headers, body }, request.signal);
        if (response.ok) return response;
        error = await readErrorResponse(response);
      } catch (caught) {
        if (request.signal?.aborted) throw caught;
        error = caught instanceof MissionControlError ? caught : this.networkError(caught);
      }
      if (attempt >= retry.retries || !isRetryableError(error, request.method)) throw error;
      const backoff = computeBackoffDelay(attempt, retry);
      const asked = error.retryAfterSeconds === undefined ? 0 : error.retryAfterSeconds * 1_000;
      // A server asking for a longer pause than we are willing to wait gets the error back now.
      if (asked > retry.maxDelayMs) throw error;
      await sleep(Math.max(asked, backoff), request.signal);
    }
  }

  private async fetchOnce(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await this.options.fetch(url, { ...init, signal: combined });
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new MissionControlError('TIMEOUT', `No answer from ${this.baseUrl} within ${this.options.timeoutMs} ms.`, { cause: error });
      }
      throw error;
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

  private async parse<Schema extends z.ZodType>(response: Response, request: RequestOptions<Schema>): Promise<z.output<Schema>> {
    const text = await response.text();
    if (response.status === 204 || text === '') {
      if (request.allowNoContent) return request.schema.parse(undefined);
      throw new MissionControlError('INVALID_RESPONSE', `${request.method} ${request.path} answered without a body.`, {
        status: response.status,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new MissionControlError('INVALID_RESPONSE', `${request.method} ${request.path} answered something other than JSON.`, {
        status: response.status,
        cause,
      });
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      throw new MissionControlError(
        'INVALID_RESPONSE',
        `${request.method} ${request.path} answered a shape this SDK does not expect; the server and SDK versions may differ.`,
        { status: response.status, details: parsed.error.issues },
      );
    }
    return parsed.data;
  }
}
