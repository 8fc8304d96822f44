import rateLimit, { type errorResponseBuilderContext } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { AppError } from './app-error.js';

/** Counters live for one minute: limits are configured per minute. */
const windowMs = 60_000;

export const defaultRateLimitNamespace = 'mission-rate-limit:';

export interface RateLimitStoreOptions {
  /** Redis shares the counters between instances; without it each instance counts in memory. */
  redis: Redis | undefined;
  /** Prefix of the counter keys in Redis. */
  namespace: string;
}

/**
 * Opens the Redis connection the rate limits count in, when one is configured, and closes it with
 * the app. Requests must not hang on a Redis outage, so commands fail fast.
 */
export function connectRateLimitStore(app: FastifyInstance, redisUrl: string | undefined): Redis | undefined {
  if (!redisUrl) return undefined;
  const redis = new Redis(redisUrl, { connectTimeout: 2_000, maxRetriesPerRequest: 1 });
  let reported = false;
  redis.on('error', (error: Error) => {
    // Once per outage: ioredis keeps retrying and would repeat the same error every few seconds.
    if (reported) return;
    reported = true;
    app.log.warn({ err: error }, 'Redis for rate limits is unreachable: requests are let through uncounted until it is back');
  });
  redis.on('ready', () => {
    reported = false;
  });
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}

function rateLimitedError(context: Pick<errorResponseBuilderContext, 'ttl' | 'max'>, what: string): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1_000));
  return new AppError(
    'RATE_LIMITED',
    `Too many ${what}: the limit is ${context.max} per minute. Retry in ${retryAfterSeconds} s (the Retry-After header says the same).`,
    { limit: context.max, retryAfterSeconds },
  );
}

function principalKey(request: FastifyRequest): string {
  // A key with a limit of its own is counted alone, apart from its owner's other credentials.
  const apiKey = request.principal?.apiKey;
  if (apiKey?.rateLimitPerMinute) return `api-key:${apiKey.id}`;
  // Counted per caller, not per address: many agents may share one host, one agent may roam.
  return request.principal ? `${request.principal.kind}:${request.principal.id}` : `ip:${request.ip}`;
}

/**
 * Limits each authenticated principal (agent:<id> or user:<id>) to `max` requests a minute in
 * this context; an API key with its own `rateLimitPerMinute` is counted alone, to that limit. Call it on the protected context after the authenticate hook and before the
 * idempotency hooks: the check runs as the first preHandler, so the principal is known and a
 * refused request never claims an Idempotency-Key.
 */
export async function registerPrincipalRateLimit(app: FastifyInstance, options: RateLimitStoreOptions & { max: number }): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    max: (request) => request.principal?.apiKey?.rateLimitPerMinute ?? options.max,
    timeWindow: windowMs,
    keyGenerator: principalKey,
    redis: options.redis,
    nameSpace: `${options.namespace}principal:`,
    // A Redis outage lets requests through rather than taking the whole API down with it.
    skipOnError: true,
    errorResponseBuilder: (request, context) =>
      rateLimitedError(context, request.principal?.apiKey?.rateLimitPerMinute ? 'requests with this API key' : 'requests from you'),
  });
  app.addHook('preHandler', app.rateLimit());
}

/**
 * Limits every route of this context to `max` requests a minute per IP address: for sign-in and
 * token refresh, where there is no principal yet and guessing passwords must stay slow.
 */
export async function registerAddressRateLimit(
  app: FastifyInstance,
  options: RateLimitStoreOptions & { max: number; what?: string },
): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: windowMs,
    redis: options.redis,
    nameSpace: `${options.namespace}address:`,
    skipOnError: true,
    errorResponseBuilder: (_request, context) => rateLimitedError(context, options.what ?? 'sign-in attempts from your address'),
  });
}

/** Counts the requests of an address that fail authentication (see createAuthenticationFailureLimit). */
export interface AuthenticationFailureLimit {
  /** Counts one failed request of its address; past the limit, sets Retry-After and answers the error to throw instead. */
  countFailure(request: FastifyRequest, reply: FastifyReply): Promise<AppError | undefined>;
}

/**
 * Limits, per IP address, the requests of this context that fail authentication (no credential,
 * an unknown key, a forged token) to `max` a minute: past it they answer 429 instead of 401, so
 * guessing keys or flooding with bad ones stays slow. Requests that authenticate are not counted
 * nor refused, so one bad client behind a shared address does not lock the others out. Call it
 * after registerPrincipalRateLimit on the same context (it counts in the same store).
 */
export function createAuthenticationFailureLimit(app: FastifyInstance, options: { max: number }): AuthenticationFailureLimit {
  const limit = app.createRateLimit({
    max: options.max,
    timeWindow: windowMs,
    keyGenerator: (request) => `unauthenticated:${request.ip}`,
  });
  return {
    async countFailure(request, reply) {
      const state = await limit(request);
      if (state.isAllowed || !state.isExceeded) return undefined;
      const error = rateLimitedError({ ttl: state.ttl, max: state.max }, 'requests without a valid credential from your address');
      reply.header('retry-after', Math.max(1, state.ttlInSeconds));
      return error;
    },
  };
}

/** An organisation's shared limit on requests a minute (organization.service.ts reads it). */
export interface OrganizationRequestLimit {
  organizationId: string;
  name: string;
  requestsPerMinute: number;
}

/**
 * Counts every request of an organisation's people and agents together, against the limit its
 * owners set, beside each caller's own limit: past it, 429 for everyone in it until the minute
 * turns. Call it after registerPrincipalRateLimit (it counts in the same store) and before the
 * idempotency hooks.
 */
export function registerOrganizationRateLimit(
  app: FastifyInstance,
  options: { findLimit(workspaceId: string): Promise<OrganizationRequestLimit | null> },
): void {
  const limits = new WeakMap<FastifyRequest, OrganizationRequestLimit>();
  const count = app.createRateLimit({
    timeWindow: windowMs,
    max: (request) => limits.get(request)?.requestsPerMinute ?? Number.MAX_SAFE_INTEGER,
    keyGenerator: (request) => `organization:${limits.get(request)?.organizationId ?? 'none'}`,
  });
  app.addHook('preHandler', async (request, reply) => {
    if (!request.principal) return;
    const limit = await options.findLimit(request.principal.workspaceId);
    if (!limit) return;
    limits.set(request, limit);
    const state = await count(request);
    if (state.isAllowed || !state.isExceeded) return;
    reply.header('retry-after', Math.max(1, state.ttlInSeconds));
    throw rateLimitedError(
      { ttl: state.ttl, max: limit.requestsPerMinute },
      `requests from ${limit.name}, all its people and agents together`,
    );
  });
}
