import { timingSafeEqual } from 'node:crypto';
import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/auth.service.js';
import { assertKeyAddress, refuseSigningKey } from '../../auth/authenticate.js';
import { AppError } from '../../http/app-error.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { Metrics } from './metrics-registry.js';

export interface MetricsRouteOptions {
  metrics: Metrics;
  auth: Pick<AuthService, 'authenticate'>;
  /** MISSION_METRICS_TOKEN: what a scraper sends instead of a person's credential. */
  metricsToken: string | undefined;
}

function matchesToken(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Counts every answered request by its route template, on the root app so every route is seen. */
export function countRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
}

async function assertMayScrape(request: FastifyRequest, options: MetricsRouteOptions): Promise<void> {
  const header = request.headers.authorization;
  const credential = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  if (!credential) {
    throw new AppError('UNAUTHENTICATED', 'Send Authorization: Bearer with MISSION_METRICS_TOKEN, or an owner’s or admin’s token.');
  }
  if (options.metricsToken && matchesToken(credential, options.metricsToken)) return;
  const principal = await options.auth.authenticate(credential, request.ip);
  assertKeyAddress(principal, request.ip);
  refuseSigningKey(principal, '/metrics', 'Use MISSION_METRICS_TOKEN.');
  if (principal.role !== 'owner' && principal.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only owners and admins read /metrics; a scraper uses MISSION_METRICS_TOKEN.');
  }
}

export async function metricsRoutes(app: FastifyInstance, options: MetricsRouteOptions): Promise<void> {
  registerEndpoint(app, endpoints.getMetrics, async (request, reply) => {
    await assertMayScrape(request, options);
    const text = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
