import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { RetentionService } from './retention.service.js';

/** How long the workspace keeps messages and run transcripts: everyone reads it, owners and admins change it. */
export async function retentionRoutes(app: FastifyInstance, { retention }: { retention: RetentionService }): Promise<void> {
  registerEndpoint(app, endpoints.getRetentionSettings, async (request) => retention.getRetentionSettings(request.principal));
  registerEndpoint(app, endpoints.updateRetentionSettings, async (request) =>
    retention.updateRetentionSettings(request.principal, request.body),
  );
}
