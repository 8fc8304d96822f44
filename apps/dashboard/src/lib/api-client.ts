import type { z } from 'zod';
import { ApiError } from './api-error';

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

export interface RequestOptions<Schema extends z.ZodType> {
  /** Parses the response body; every answer from the network goes through a contracts schema. */
  schema?: Schema;
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export interface ApiClientDependencies {
  /** A valid access token, refreshed when needed; null when signed out. */
  accessToken(): Promise<string | null>;
  /** Forces a refresh after a 401; null when the session is gone. */
  refresh(): Promise<{ accessToken: string } | null>;
  /** Called when the session cannot be recovered: the app sends the user to the login page. */
  onSessionLost(): void;
  fetch?: typeof fetch;
  baseUrl?: string;
}

export function buildQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) parameters.set(name, value.join(','));
    } else parameters.set(name, String(value));
  }
  const text = parameters.toString();
  return text ? `?${text}` : '';
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** fetch with the bearer token, one retry after a refresh on 401, JSON in and out, and zod-parsed answers. */
export function createApiClient(dependencies: ApiClientDependencies) {
  const fetchImplementation = dependencies.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const baseUrl = dependencies.baseUrl ?? '/api/v1';

  async function send(method: string, path: string, options: RequestOptions<z.ZodType>, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      return await fetchImplementation(`${baseUrl}${path}${buildQueryString(options.query)}`, {
        method,
        headers,
        body,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the server. Check the connection and try again.');
    }
  }

  async function request<Schema extends z.ZodType>(
    method: string,
    path: string,
    options: RequestOptions<Schema> = {},
  ): Promise<z.output<Schema>> {
    let response = await send(method, path, options, await dependencies.accessToken());
    if (response.status === 401) {
      const refreshed = await dependencies.refresh();
      if (!refreshed) {
        dependencies.onSessionLost();
        throw ApiError.fromBody(401, await readJson(response));
      }
      response = await send(method, path, options, refreshed.accessToken);
      if (response.status === 401) dependencies.onSessionLost();
    }
    const body = await readJson(response);
    if (!response.ok) throw ApiError.fromBody(response.status, body);
    if (!options.schema) return undefined as z.output<Schema>;
    const parsed = options.schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(
        response.status,
        'UNEXPECTED_RESPONSE',
        `The server's answer to ${method} ${path} did not match the contract.`,
        parsed.error.issues,
      );
    }
    return parsed.data;
  }

  return {
    request,
    get: <Schema extends z.ZodType>(path: string, options?: RequestOptions<Schema>) => request('GET', path, options),
    post: <Schema extends z.ZodType>(path: string, options?: RequestOptions<Schema>) => request('POST', path, options),
    put: <Schema extends z.ZodType>(path: string, options?: RequestOptions<Schema>) => request('PUT', path, options),
    patch: <Schema extends z.ZodType>(path: string, options?: RequestOptions<Schema>) => request('PATCH', path, options),
    delete: <Schema extends z.ZodType>(path: string, options?: RequestOptions<Schema>) => request('DELETE', path, options),
  };
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
