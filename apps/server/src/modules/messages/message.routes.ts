import {
  errorBodySchema,
  idParamsSchema,
  listMessagesQuerySchema,
  messageSchema,
  pageSchema,
  postMessageSchema,
  taskMessagesParamsSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MessageService } from './message.service.js';

const tags = ['messages'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const messageRoutes: FastifyPluginAsyncZod<{ messages: MessageService }> = async (app, { messages }) => {
  app.get(
    '/tasks/:taskId/messages',
    {
      schema: {
        tags,
        summary: "A task's thread, oldest first (order=desc for newest first)",
        params: taskMessagesParamsSchema,
        querystring: listMessagesQuerySchema,
        response: { 200: pageSchema(messageSchema), ...errors },
      },
    },
    async (request) => messages.listMessages(request.principal, request.params.taskId, request.query),
  );

  app.post(
    '/tasks/:taskId/messages',
    {
      schema: {
        tags,
        summary: "Post on a task's thread; @name mentions and replies notify the people concerned",
        params: taskMessagesParamsSchema,
        body: postMessageSchema,
        response: { 201: messageSchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await messages.postMessage(request.principal, request.params.taskId, request.body)),
  );

  app.get(
    '/messages/:id',
    { schema: { tags, summary: 'Get a message by id', params: idParamsSchema, response: { 200: messageSchema, ...errors } } },
    async (request) => messages.getMessage(request.principal, request.params.id),
  );
};
