import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { RoutineService } from './routine.service.js';

export async function routineRoutes(app: FastifyInstance, { routines }: { routines: RoutineService }): Promise<void> {
  registerEndpoint(app, endpoints.createRoutine, async (request) => routines.createRoutine(request.principal, request.body));
  registerEndpoint(app, endpoints.listRoutines, async (request) => routines.listRoutines(request.principal));
  registerEndpoint(app, endpoints.updateRoutine, async (request) =>
    routines.updateRoutine(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteRoutine, async (request) => {
    await routines.deleteRoutine(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.triggerRoutine, async (request) => routines.triggerRoutine(request.principal, request.params.id));
}
