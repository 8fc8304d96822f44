import { z } from 'zod';
import { idParamsSchema } from '../common.js';
import {
  createInboundHookSchema,
  inboundHookParamsSchema,
  inboundHookPayloadSchema,
  inboundHookResultSchema,
  inboundHookSchema,
  inboundHookWithSecretSchema,
  updateInboundHookSchema,
} from '../integrations.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'integrations';
const managers = 'Owners and admins manage inbound hooks; other callers get 403.';
const theHook = { 200: { description: 'The inbound hook', schema: inboundHookSchema } } as const;

export const receiveInboundHook = defineEndpoint({
  operationId: 'receiveInboundHook',
  method: 'POST',
  path: '/api/v1/hooks/{hookId}',
  tag,
  auth: 'own-credential',
  summary: 'Call an inbound hook from an outside tool',
  description:
    "For Zapier, Make, CI and anything that can send JSON. Authenticate with the hook's secret in one of three ways: `Authorization: Bearer <secret>`; `X-Mission-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; or Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) signed with the secret. A missing or wrong credential answers 401 INBOUND_HOOK_SIGNATURE_INVALID and does nothing. The hook's template (CEL expressions over `payload` and `headers`) turns the body into the fields of its action: create a task, post a message in a task's thread, or start a workflow (409 WORKFLOWS_UNAVAILABLE where this server has no workflows). Fields that come out invalid answer 422 INBOUND_HOOK_PAYLOAD_UNMAPPABLE with the field and the reason. The action is done in the name of the person who created the hook. Appends `inbound-hook-received` besides the action's own events.",
  params: inboundHookParamsSchema,
  body: inboundHookPayloadSchema,
  headers: {
    'x-mission-signature': {
      description: 'sha256=<hex HMAC-SHA256 of the raw body with the hook secret>, when not using a bearer token',
      schema: z.string().max(200).optional(),
    },
  },
  responses: { 201: { description: 'What the hook did', schema: inboundHookResultSchema } },
  errors: [
    'INBOUND_HOOK_NOT_FOUND',
    'INBOUND_HOOK_SIGNATURE_INVALID',
    'INBOUND_HOOK_DISABLED',
    'INBOUND_HOOK_PAYLOAD_UNMAPPABLE',
    'WORKFLOWS_UNAVAILABLE',
    'TASK_NOT_FOUND',
  ],
});

export const createInboundHook = defineEndpoint({
  operationId: 'createInboundHook',
  method: 'POST',
  path: '/api/v1/inbound-hooks',
  tag,
  auth: 'user',
  summary: 'Create an inbound hook',
  description: `The template maps the payload to the action's fields with CEL, such as \`{ "title": "'Build ' + payload.build + ' failed'", "priority": "'high'" }\` for create-task (title is required) or \`{ "task": "payload.task", "content": "payload.text" }\` for post-message (both required). Every expression is checked now: one that does not parse answers 400 INBOUND_HOOK_TEMPLATE_INVALID. The answer shows the secret once and the path to call. ${managers} Appends \`inbound-hook-created\`.`,
  body: createInboundHookSchema,
  responses: { 201: { description: 'The hook with its secret, shown once', schema: inboundHookWithSecretSchema } },
  errors: ['FORBIDDEN', 'INBOUND_HOOK_TEMPLATE_INVALID'],
});

export const listInboundHooks = defineEndpoint({
  operationId: 'listInboundHooks',
  method: 'GET',
  path: '/api/v1/inbound-hooks',
  tag,
  auth: 'user',
  summary: "The workspace's inbound hooks",
  description: `Newest first, without secrets. ${managers}`,
  responses: { 200: { description: 'The inbound hooks', schema: z.object({ data: z.array(inboundHookSchema) }) } },
  errors: ['FORBIDDEN'],
});

export const getInboundHook = defineEndpoint({
  operationId: 'getInboundHook',
  method: 'GET',
  path: '/api/v1/inbound-hooks/{id}',
  tag,
  auth: 'user',
  summary: 'Get one inbound hook',
  description: `Without its secret. ${managers}`,
  params: idParamsSchema,
  responses: theHook,
  errors: ['FORBIDDEN', 'INBOUND_HOOK_NOT_FOUND'],
});

export const updateInboundHook = defineEndpoint({
  operationId: 'updateInboundHook',
  method: 'PATCH',
  path: '/api/v1/inbound-hooks/{id}',
  tag,
  auth: 'user',
  summary: 'Change an inbound hook',
  description: `Fields left out keep their value; a disabled hook answers 409 INBOUND_HOOK_DISABLED to its callers. ${managers} Appends \`inbound-hook-updated\`.`,
  params: idParamsSchema,
  body: updateInboundHookSchema,
  responses: theHook,
  errors: ['FORBIDDEN', 'INBOUND_HOOK_NOT_FOUND', 'INBOUND_HOOK_TEMPLATE_INVALID'],
});

export const rotateInboundHookSecret = defineEndpoint({
  operationId: 'rotateInboundHookSecret',
  method: 'POST',
  path: '/api/v1/inbound-hooks/{id}/rotate-secret',
  tag,
  auth: 'user',
  summary: 'Give an inbound hook a new secret',
  description: `The old secret stops working at once; the answer shows the new one once. ${managers} Appends \`inbound-hook-updated\`.`,
  params: idParamsSchema,
  responses: { 200: { description: 'The hook with its new secret, shown once', schema: inboundHookWithSecretSchema } },
  errors: ['FORBIDDEN', 'INBOUND_HOOK_NOT_FOUND'],
});

export const deleteInboundHook = defineEndpoint({
  operationId: 'deleteInboundHook',
  method: 'DELETE',
  path: '/api/v1/inbound-hooks/{id}',
  tag,
  auth: 'user',
  summary: 'Delete an inbound hook',
  description: `Calls to it answer 404 from now on. ${managers} Appends \`inbound-hook-deleted\`.`,
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'INBOUND_HOOK_NOT_FOUND'],
});
