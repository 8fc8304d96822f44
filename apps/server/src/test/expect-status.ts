import { expect } from 'vitest';
import type { TestServer } from './test-server.js';

export type RequestMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * A request helper for route tests: sends one request (as the owner, or with a token) and asserts
 * its status, showing the body when it differs; answers the parsed JSON body.
 */
export function expectStatusOf(server: () => TestServer) {
  return async function expectStatus(
    method: RequestMethod,
    url: string,
    status: number,
    payload?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ) {
    const answer = await server().request({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      token,
      ...(headers ? { headers } : {}),
    });
    expect(answer.statusCode, answer.body).toBe(status);
    return answer.json();
  };
}
