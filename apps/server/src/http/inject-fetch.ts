import type { FastifyInstance } from 'fastify';

/** The origin in-process callers use; the requests never leave the process. */
export const inProcessOrigin = 'http://mission-control.internal';

function headerValue(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * A fetch that answers through app.inject: built-in agents call the API through the same routes,
 * authentication, permissions, rate limits and idempotency keys as any other client, without a
 * network hop and without knowing which address the server listens on.
 */
export function createInjectFetch(app: FastifyInstance) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const payload = typeof init.body === 'string' ? init.body : undefined;
    const method =
      init.method === 'POST' || init.method === 'PUT' || init.method === 'PATCH' || init.method === 'DELETE' ? init.method : 'GET';
    const answer = await app.inject({
      method,
      url: `${url.pathname}${url.search}`,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      const text = headerValue(value);
      if (text !== undefined) responseHeaders.set(name, text);
    }
    const empty = answer.statusCode === 204 || answer.statusCode === 304 || answer.rawPayload.length === 0;
    // Fastify's payload is a Buffer over a plain ArrayBuffer; DOM's BodyInit only names that narrower type.
    return new Response(empty ? null : (answer.rawPayload as Uint8Array<ArrayBuffer>), {
      status: answer.statusCode,
      headers: responseHeaders,
    });
  };
}
