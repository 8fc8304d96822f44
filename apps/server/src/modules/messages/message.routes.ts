import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { MessageService } from './message.service.js';

export async function messageRoutes(app: FastifyInstance, { messages }: { messages: MessageService }): Promise<void> {
  registerEndpoint(app, endpoints.listMessages, async (request) =>
    messages.listMessages(request.principal, request.params.taskId, request.query),
  );
  registerEndpoint(app, endpoints.postMessage, async (request) =>
    messages.postMessage(request.principal, request.params.taskId, request.body),
  );
  registerEndpoint(app, endpoints.getMessage, async (request) => messages.getMessage(request.principal, request.params.id));
  registerEndpoint(app, endpoints.addMessageReaction, async (request) =>
    messages.addReaction(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.removeMessageReaction, async (request) =>
    messages.removeReaction(request.principal, request.params.id, request.params.emoji),
  );
  registerEndpoint(app, endpoints.removeMessageReactionByBody, async (request) =>
    messages.removeReaction(request.principal, request.params.id, request.body.emoji),
  );
}
