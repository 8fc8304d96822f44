import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { HeartbeatService } from './heartbeat.service.js';

export async function heartbeatRoutes(app: FastifyInstance, { heartbeats }: { heartbeats: HeartbeatService }): Promise<void> {
  registerEndpoint(app, endpoints.sendHeartbeat, async (request) =>
    heartbeats.heartbeat(request.principal, request.params.id, request.body),
  );
}
