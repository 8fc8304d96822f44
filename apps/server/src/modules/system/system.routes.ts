import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../http/app-error.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import { renderStatusPage } from './status-page.js';
import type { SystemService } from './system.service.js';

export async function systemRoutes(app: FastifyInstance, { system }: { system: SystemService }): Promise<void> {
  registerEndpoint(app, endpoints.getSystemMetrics, async (request) => system.getSystemMetrics(request.principal, request.query));
}

export interface StatusRouteOptions {
  system: Pick<SystemService, 'getStatus'>;
  /** MISSION_STATUS_PAGE: off answers 404 on both routes. */
  enabled: boolean;
}

function assertEnabled(enabled: boolean): void {
  if (!enabled) {
    throw new AppError(
      'STATUS_PAGE_DISABLED',
      'This server has no public status page. Its operator can turn it on with MISSION_STATUS_PAGE=1.',
    );
  }
}

/** The public status: JSON under /api/v1, HTML at /status (register each in the matching prefix). */
export async function statusApiRoutes(app: FastifyInstance, { system, enabled }: StatusRouteOptions): Promise<void> {
  registerEndpoint(app, endpoints.getStatus, async (_request, reply) => {
    assertEnabled(enabled);
    reply.header('cache-control', 'public, max-age=30');
    return system.getStatus();
  });
}

export async function statusPageRoutes(app: FastifyInstance, { system, enabled }: StatusRouteOptions): Promise<void> {
  registerEndpoint(app, endpoints.getStatusPage, async (_request, reply) => {
    assertEnabled(enabled);
    const page = renderStatusPage(await system.getStatus());
    return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=30').send(page);
  });
}
