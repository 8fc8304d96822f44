import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { TaskService } from './task.service.js';

export async function taskRoutes(app: FastifyInstance, { tasks }: { tasks: TaskService }): Promise<void> {
  registerEndpoint(app, endpoints.listTasks, async (request) => tasks.listTasks(request.principal, request.query));
  registerEndpoint(app, endpoints.createTask, async (request) => tasks.createTask(request.principal, request.body));
  registerEndpoint(app, endpoints.getTask, async (request) => tasks.getTask(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateTask, async (request) => tasks.updateTask(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.replaceTask, async (request) => tasks.updateTask(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.deleteTask, async (request) => {
    await tasks.deleteTask(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.assignTask, async (request) => tasks.assignTask(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.changeTaskStatus, async (request) =>
    tasks.changeTaskStatus(request.principal, request.params.id, request.body),
  );
}
