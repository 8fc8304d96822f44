import { idParamsSchema, pageSchema } from '../common.js';
import {
  addReactionSchema,
  listMessagesQuerySchema,
  messageReactionParamsSchema,
  messageSchema,
  postMessageSchema,
  taskMessagesParamsSchema,
} from '../messages.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'messages';

export const listMessages = defineEndpoint({
  operationId: 'listMessages',
  method: 'GET',
  path: '/api/v1/tasks/{taskId}/messages',
  tag,
  auth: 'any',
  summary: "List a task's thread, oldest first",
  description:
    'The task is given by id or key such as `TASK-7`. Oldest first like a thread; `order=desc` gives the newest first. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  params: taskMessagesParamsSchema,
  query: listMessagesQuerySchema,
  responses: { 200: { description: 'A page of messages', schema: pageSchema(messageSchema) } },
  errors: ['TASK_NOT_FOUND'],
});

export const postMessage = defineEndpoint({
  operationId: 'postMessage',
  method: 'POST',
  path: '/api/v1/tasks/{taskId}/messages',
  tag,
  auth: 'any',
  summary: "Post on a task's thread",
  description:
    'Everyone named with `@name` is notified, and a reply (`replyToId`, a message of the same task) notifies the people in that thread. An agent holding a claim sends its `leaseToken` to report progress: the lease is checked like a status change and renewed. A `message-posted` event is appended. Viewers cannot post.',
  params: taskMessagesParamsSchema,
  body: postMessageSchema,
  responses: { 201: { description: 'The new message', schema: messageSchema } },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'MESSAGE_NOT_FOUND', 'LEASE_CONFLICT', 'LEASE_EXPIRED'],
});

export const getMessage = defineEndpoint({
  operationId: 'getMessage',
  method: 'GET',
  path: '/api/v1/messages/{id}',
  tag,
  auth: 'any',
  summary: 'Get a message by id',
  description: "Any message of the caller's workspace. To read a whole thread, list the task's messages instead.",
  params: idParamsSchema,
  responses: { 200: { description: 'The message', schema: messageSchema } },
  errors: ['MESSAGE_NOT_FOUND'],
});

export const addMessageReaction = defineEndpoint({
  operationId: 'addMessageReaction',
  method: 'POST',
  path: '/api/v1/messages/{id}/reactions',
  tag,
  auth: 'any',
  summary: 'React to a message with an emoji',
  description:
    'One reaction per person and emoji: reacting again with the same emoji changes nothing. Answers the message with its reactions; a `reaction-added` event is appended when the reaction is new. Viewers cannot react.',
  params: idParamsSchema,
  body: addReactionSchema,
  responses: { 200: { description: 'The message with its reactions', schema: messageSchema } },
  errors: ['FORBIDDEN', 'MESSAGE_NOT_FOUND'],
});

export const removeMessageReaction = defineEndpoint({
  operationId: 'removeMessageReaction',
  method: 'DELETE',
  path: '/api/v1/messages/{id}/reactions/{emoji}',
  tag,
  auth: 'any',
  summary: 'Take back your reaction to a message',
  description:
    'Removes the caller’s own reaction with that emoji (URL-encoded in the path); removing one that is not there changes nothing. Answers the message with its reactions; a `reaction-removed` event is appended when a reaction was removed.',
  params: messageReactionParamsSchema,
  responses: { 200: { description: 'The message with its reactions', schema: messageSchema } },
  errors: ['FORBIDDEN', 'MESSAGE_NOT_FOUND'],
});

export const removeMessageReactionByBody = defineEndpoint({
  operationId: 'removeMessageReactionByBody',
  method: 'DELETE',
  path: '/api/v1/messages/{id}/reactions',
  tag,
  auth: 'any',
  summary: 'Take back your reaction to a message, naming the emoji in the body',
  description:
    'The same as `DELETE /api/v1/messages/{id}/reactions/{emoji}` for clients that would rather not URL-encode an emoji: the body is `{emoji}`. Removing a reaction that is not there changes nothing; a `reaction-removed` event is appended when one was removed.',
  params: idParamsSchema,
  body: addReactionSchema,
  responses: { 200: { description: 'The message with its reactions', schema: messageSchema } },
  errors: ['FORBIDDEN', 'MESSAGE_NOT_FOUND'],
});
