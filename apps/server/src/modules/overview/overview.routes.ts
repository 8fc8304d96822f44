import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { OverviewService } from './overview.service.js';

export async function overviewRoutes(app: FastifyInstance, { overview }: { overview: OverviewService }): Promise<void> {
  registerEndpoint(app, endpoints.getOverview, async (request) => overview.getOverview(request.principal, request.query));
}
