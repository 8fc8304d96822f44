import {
  assignTaskSchema,
  changeTaskStatusSchema,
  createTaskSchema,
  errorBodySchema,
  listTasksQuerySchema,
  pageSchema,
  taskParamsSchema,
  taskSchema,
  updateTaskSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TaskService } from './task.service.js';

const tags = ['tasks'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const taskRoutes: FastifyPluginAsyncZod<{ tasks: TaskService }> = async (app, { tasks }) => {
  app.get(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'List tasks, newest first, filtered by status, priority, assignee, parent or text',
        querystring: listTasksQuerySchema,
        response: { 200: pageSchema(taskSchema), ...errors },
      },
    },
    async (request) => tasks.listTasks(request.principal, request.query),
  );

  app.post(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'Create a task (in the inbox, or assigned when assignees are given)',
        body: createTaskSchema,
        response: { 201: taskSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await tasks.createTask(request.principal, request.body)),
  );

  app.get(
    '/tasks/:id',
    { schema: { tags, summary: 'Get a task by id or key (TASK-7)', params: taskParamsSchema, response: { 200: taskSchema, ...errors } } },
    async (request) => tasks.getTask(request.principal, request.params.id),
  );

  app.patch(
    '/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Edit a task (status and assignees have their own endpoints)',
        params: taskParamsSchema,
        body: updateTaskSchema,
        response: { 200: taskSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => tasks.updateTask(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/tasks/:id',
    { schema: { tags, summary: 'Delete a task and its thread', params: taskParamsSchema, response: { 204: z.undefined(), ...errors } } },
    async (request, reply) => {
      await tasks.deleteTask(request.principal, request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/tasks/:id/assign',
    {
      schema: {
        tags,
        summary: 'Set the assignees of a task',
        params: taskParamsSchema,
        body: assignTaskSchema,
        response: { 200: taskSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => tasks.assignTask(request.principal, request.params.id, request.body),
  );

  app.post(
    '/tasks/:id/status',
    {
      schema: {
        tags,
        summary: 'Move a task to another status (transitions are validated)',
        params: taskParamsSchema,
        body: changeTaskStatusSchema,
        response: { 200: taskSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => tasks.changeTaskStatus(request.principal, request.params.id, request.body),
  );
};
