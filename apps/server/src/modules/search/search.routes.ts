import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { SearchService } from './search.service.js';

/** GET /api/v1/search. */
export async function searchRoutes(app: FastifyInstance, { search }: { search: SearchService }): Promise<void> {
  registerEndpoint(app, endpoints.searchWorkspace, async (request) => search.searchWorkspace(request.principal, request.query));
}
