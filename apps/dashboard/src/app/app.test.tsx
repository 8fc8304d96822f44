import { MissionControl, MissionControlError } from '@mission-control/sdk';
import { describe, expect, it } from 'vitest';
import { describeError, isMissingEndpoint } from '../lib/describe-error';
import { createFakeFetch } from '../test/render-with-app';
import { shouldRetryQuery } from './app';

/** The error the SDK throws for this answer, so the rules are checked against real errors. */
async function errorFor(status: number, body: unknown): Promise<unknown> {
  const fake = createFakeFetch({ 'GET /auth/me': () => ({ status, body }) });
  const client = new MissionControl({ baseUrl: 'http://dashboard.test', fetch: fake.fetch, apiKey: 'mc_test', retry: { retries: 0 } });
  return client.auth.me().catch((error: unknown) => error);
}

describe('the query retry rule', () => {
  it('never asks again after a 4xx, a rate limit or an answer it cannot read', async () => {
    const notFound = await errorFor(404, { error: { code: 'TASK_NOT_FOUND', message: 'No task TASK-9.' } });
    const limited = await errorFor(429, { error: { code: 'RATE_LIMITED', message: 'Slow down.' } });
    const unreadable = await errorFor(200, { kind: 'nobody' });
    expect(unreadable).toMatchObject({ code: 'INVALID_RESPONSE' });
    for (const error of [notFound, limited, unreadable]) expect(shouldRetryQuery(0, error)).toBe(false);
  });

  it('leaves what the SDK already retried (no connection, timeouts, 503) to the SDK', async () => {
    const unavailable = await errorFor(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'Starting up.' } });
    expect(shouldRetryQuery(0, unavailable)).toBe(false);
    expect(shouldRetryQuery(0, new MissionControlError('NETWORK_ERROR', 'offline'))).toBe(false);
    expect(shouldRetryQuery(0, new MissionControlError('TIMEOUT', 'slow'))).toBe(false);
  });

  it('tries a 500 or a proxy 502 twice more, and nothing that is not an SDK error', async () => {
    const broken = await errorFor(500, { error: { code: 'INTERNAL_ERROR', message: 'Something broke.' } });
    const badGateway = await errorFor(502, '<html>Bad gateway</html>');
    expect(badGateway).toMatchObject({ code: 'UNEXPECTED_STATUS', status: 502 });
    for (const error of [broken, badGateway]) {
      expect([0, 1, 2].map((count) => shouldRetryQuery(count, error))).toEqual([true, true, false]);
    }
    expect(shouldRetryQuery(0, new TypeError('undefined is not a function'))).toBe(false);
  });
});

describe('describing errors', () => {
  it("passes on the server's message and says the SDK's own failures in plain words", async () => {
    const refused = await errorFor(409, { error: { code: 'LAST_OWNER', message: 'Make someone else an owner first.' } });
    expect(describeError(refused)).toBe('Make someone else an owner first.');
    expect(describeError(new MissionControlError('NETWORK_ERROR', 'Could not reach http://x'))).toBe(
      'Cannot reach the server. Check the connection and try again.',
    );
    expect(describeError('weird')).toBe('Something went wrong.');
  });

  it('tells an endpoint this server does not have from other failures', async () => {
    expect(isMissingEndpoint(await errorFor(404, { error: { code: 'ROUTE_NOT_FOUND', message: 'No such route.' } }))).toBe(true);
    expect(isMissingEndpoint(await errorFor(404, { error: { code: 'TASK_NOT_FOUND', message: 'No task.' } }))).toBe(false);
  });
});
