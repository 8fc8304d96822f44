import { z } from 'zod';
import { idParamsSchema } from '../common.js';
import {
  createWebhookSchema,
  listWebhookDeliveriesQuerySchema,
  replayDeadDeliveriesResultSchema,
  updateWebhookSchema,
  webhookDeliveryPageSchema,
  webhookDeliveryParamsSchema,
  webhookDeliverySchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '../integrations.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'integrations';
const theWebhook = { 200: { description: 'The webhook endpoint', schema: webhookSchema } } as const;
const managers = 'Owners and admins manage webhooks; other callers get 403.';

export const createWebhook = defineEndpoint({
  operationId: 'createWebhook',
  method: 'POST',
  path: '/api/v1/webhooks',
  tag,
  auth: 'user',
  summary: 'Register an outbound webhook endpoint',
  description: `Events of the workspace from now on are POSTed to \`url\` following the Standard Webhooks specification (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature: v1,<base64 HMAC-SHA256>\`), with the body \`{ type, timestamp, data }\` where \`data\` is the event. \`events\` lists the event types to send (\`["*"]\` for all) and \`filter\` is an optional CEL expression over \`event\`. The answer shows the signing secret (\`whsec_…\`) this once. A URL that resolves to a private, loopback or link-local address answers 400 WEBHOOK_TARGET_REFUSED unless the server sets MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS. ${managers} Appends \`webhook-created\`.`,
  body: createWebhookSchema,
  responses: { 201: { description: 'The webhook with its signing secret, shown once', schema: webhookWithSecretSchema } },
  errors: ['FORBIDDEN', 'WEBHOOK_TARGET_REFUSED', 'WEBHOOK_FILTER_INVALID'],
});

export const listWebhooks = defineEndpoint({
  operationId: 'listWebhooks',
  method: 'GET',
  path: '/api/v1/webhooks',
  tag,
  auth: 'user',
  summary: "The workspace's webhook endpoints",
  description: `Every endpoint, newest first, without secrets. ${managers}`,
  responses: { 200: { description: 'The webhook endpoints', schema: z.object({ data: z.array(webhookSchema) }) } },
  errors: ['FORBIDDEN'],
});

export const getWebhook = defineEndpoint({
  operationId: 'getWebhook',
  method: 'GET',
  path: '/api/v1/webhooks/{id}',
  tag,
  auth: 'user',
  summary: 'Get one webhook endpoint',
  description: `Shows whether it is enabled, since when it fails, and why the platform disabled it. ${managers}`,
  params: idParamsSchema,
  responses: theWebhook,
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND'],
});

export const updateWebhook = defineEndpoint({
  operationId: 'updateWebhook',
  method: 'PATCH',
  path: '/api/v1/webhooks/{id}',
  tag,
  auth: 'user',
  summary: 'Change a webhook endpoint',
  description: `Fields left out keep their value. Enabling a disabled endpoint resumes from the current event (what it missed is not sent; dead deliveries can be replayed). Changing the URL checks it like creation does. ${managers} Appends \`webhook-updated\`.`,
  params: idParamsSchema,
  body: updateWebhookSchema,
  responses: theWebhook,
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND', 'WEBHOOK_TARGET_REFUSED', 'WEBHOOK_FILTER_INVALID'],
});

export const deleteWebhook = defineEndpoint({
  operationId: 'deleteWebhook',
  method: 'DELETE',
  path: '/api/v1/webhooks/{id}',
  tag,
  auth: 'user',
  summary: 'Delete a webhook endpoint and its deliveries',
  description: `Deliveries not yet sent are dropped. ${managers} Appends \`webhook-deleted\`.`,
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND'],
});

export const rotateWebhookSecret = defineEndpoint({
  operationId: 'rotateWebhookSecret',
  method: 'POST',
  path: '/api/v1/webhooks/{id}/rotate-secret',
  tag,
  auth: 'user',
  summary: 'Give a webhook endpoint a new signing secret',
  description: `The answer shows the new secret once. For 24 hours every delivery carries two signatures (\`webhook-signature: v1,<new> v1,<old>\`), so the receiver can switch at its own pace; after that only the new secret signs. Rotating again during the overlap drops the oldest secret at once. ${managers} Appends \`webhook-secret-rotated\`.`,
  params: idParamsSchema,
  responses: { 200: { description: 'The webhook with its new secret, shown once', schema: webhookWithSecretSchema } },
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND'],
});

export const testWebhook = defineEndpoint({
  operationId: 'testWebhook',
  method: 'POST',
  path: '/api/v1/webhooks/{id}/test',
  tag,
  auth: 'user',
  summary: 'Send a ping to a webhook endpoint',
  description: `Queues a delivery of type \`ping\` (body \`{ type: "ping", timestamp, data: { webhookId } }\`) ahead of the endpoint's queue, retried like any other; follow it in the deliveries list. A disabled endpoint answers 409 WEBHOOK_DISABLED. ${managers}`,
  params: idParamsSchema,
  responses: { 202: { description: 'The queued ping delivery', schema: webhookDeliverySchema } },
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND', 'WEBHOOK_DISABLED'],
});

export const listWebhookDeliveries = defineEndpoint({
  operationId: 'listWebhookDeliveries',
  method: 'GET',
  path: '/api/v1/webhooks/{id}/deliveries',
  tag,
  auth: 'user',
  summary: "A webhook endpoint's deliveries with every attempt",
  description: `Newest first. \`status\` keeps one state: \`pending\` (not tried yet), \`failed\` (retry scheduled), \`succeeded\` or \`dead\` (the dead-letter queue). Each delivery lists its attempts with time, status code, response excerpt and duration. ${managers}`,
  params: idParamsSchema,
  query: listWebhookDeliveriesQuerySchema,
  responses: { 200: { description: 'A page of deliveries', schema: webhookDeliveryPageSchema } },
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND'],
});

export const replayWebhookDelivery = defineEndpoint({
  operationId: 'replayWebhookDelivery',
  method: 'POST',
  path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
  tag,
  auth: 'user',
  summary: 'Send one delivery again',
  description: `Queues the delivery again with the same \`webhook-id\` and body and a fresh set of attempts, whatever its state (a delivery already queued is left as it is). A disabled endpoint answers 409 WEBHOOK_DISABLED: enable it first. ${managers}`,
  params: webhookDeliveryParamsSchema,
  responses: { 202: { description: 'The delivery, queued', schema: webhookDeliverySchema } },
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND', 'WEBHOOK_DISABLED'],
});

export const replayDeadWebhookDeliveries = defineEndpoint({
  operationId: 'replayDeadWebhookDeliveries',
  method: 'POST',
  path: '/api/v1/webhooks/{id}/replay-dead',
  tag,
  auth: 'user',
  summary: 'Send every dead delivery of an endpoint again',
  description: `Empties the endpoint's dead-letter queue into its queue, oldest first, and answers how many. A disabled endpoint answers 409 WEBHOOK_DISABLED: enable it first. ${managers}`,
  params: idParamsSchema,
  responses: { 202: { description: 'How many deliveries were queued again', schema: replayDeadDeliveriesResultSchema } },
  errors: ['FORBIDDEN', 'WEBHOOK_NOT_FOUND', 'WEBHOOK_DISABLED'],
});
