import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { RunnerService } from './runner.service.js';

/** Runners: registration, heartbeat, list, get, delete. */
export async function runnerRoutes(app: FastifyInstance, { runners }: { runners: RunnerService }): Promise<void> {
  registerEndpoint(app, endpoints.registerRunner, async (request, reply) => {
    const { runner, created } = await runners.registerRunner(request.principal, request.body);
    return reply.status(created ? 201 : 200).send(runner);
  });
  registerEndpoint(app, endpoints.heartbeatRunner, async (request) =>
    runners.heartbeatRunner(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listRunners, async (request) => runners.listRunners(request.principal, request.query));
  registerEndpoint(app, endpoints.getRunner, async (request) => runners.getRunner(request.principal, request.params.id));
  registerEndpoint(app, endpoints.deleteRunner, async (request) => {
    await runners.deleteRunner(request.principal, request.params.id);
  });
}
