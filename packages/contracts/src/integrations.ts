import { z } from 'zod';
import { eventTypeSchema } from './activities.js';
import {
  idSchema,
  isStorableText,
  pageQuerySchema,
  pageSchema,
  principalReferenceSchema,
  textSchema,
  timestampSchema,
  unstorableTextMessage,
} from './common.js';
import { deliveryAttemptSchema, webhookDeliveryStatusSchema } from './deliveries.js';

/** An event type a webhook receives, or `*` for every one. */
export const webhookEventSelectorSchema = z.union([eventTypeSchema, z.literal('*')]);

const webhookUrlSchema = z
  .url({ protocol: /^https?$/, message: 'url must be an http:// or https:// URL' })
  .max(2_000)
  .refine(isStorableText, { message: unstorableTextMessage })
  .describe('Where deliveries are POSTed; private and loopback addresses are refused unless the server allows them');

const celExpressionSchema = textSchema().trim().min(1).max(2_000);

/** An outbound webhook endpoint as the API shows it; the signing secret is never part of it. */
export const webhookSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    url: textSchema(),
    events: z.array(textSchema()).describe('Event types delivered, or ["*"] for all'),
    filter: textSchema().nullable().describe('A CEL expression over `event`; only events for which it is true are delivered'),
    description: textSchema(),
    enabled: z.boolean(),
    disabledReason: z
      .string()
      .nullable()
      .describe('Why the platform disabled it (410 Gone, or 5 days of failures); null when enabled or disabled by hand'),
    failingSince: timestampSchema.nullable().describe('When deliveries started failing without a success since; null when healthy'),
    previousSecretExpiresAt: timestampSchema
      .nullable()
      .describe('After a rotation, until when the previous secret signs alongside the new one'),
    createdBy: principalReferenceSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof webhookSchema>;

/** The answer to creating a webhook or rotating its secret: the one time the secret is shown. */
export const webhookWithSecretSchema = webhookSchema
  .extend({
    secret: textSchema().describe('The signing secret (whsec_…), shown this once: store it in the receiver now'),
  })
  .meta({ id: 'WebhookWithSecret' });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const createWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  events: z.array(webhookEventSelectorSchema).min(1).max(100).default(['*']),
  filter: celExpressionSchema.optional().describe('A CEL expression over `event`, such as `event.data.to == "done"`'),
  description: textSchema().trim().max(500).default(''),
  enabled: z.boolean().default(true),
});
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z.strictObject({
  url: webhookUrlSchema.optional(),
  events: z.array(webhookEventSelectorSchema).min(1).max(100).optional(),
  filter: celExpressionSchema.nullable().optional().describe('null removes the filter'),
  description: textSchema().trim().max(500).optional(),
  enabled: z
    .boolean()
    .optional()
    .describe('true resumes from the current event; what was missed can be replayed from the dead-letter queue'),
});
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export const webhookDeliverySchema = z
  .object({
    id: idSchema.describe('Also the webhook-id header: the same on every retry and replay'),
    webhookId: idSchema,
    eventType: textSchema().describe('The type of the event carried, or ping'),
    eventSeq: z.number().int().nullable().describe('The sequence of the event carried; null for a ping'),
    status: webhookDeliveryStatusSchema,
    attemptCount: z.number().int(),
    nextAttemptAt: timestampSchema.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: textSchema().nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    attempts: z.array(deliveryAttemptSchema).describe('Every attempt, oldest first'),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = pageSchema(webhookDeliverySchema);

export const listWebhookDeliveriesQuerySchema = pageQuerySchema.extend({
  status: webhookDeliveryStatusSchema.optional(),
});
export type ListWebhookDeliveriesQuery = z.infer<typeof listWebhookDeliveriesQuerySchema>;

export const webhookDeliveryParamsSchema = z.object({ id: idSchema, deliveryId: idSchema });

export const replayDeadDeliveriesResultSchema = z.object({
  replayed: z.number().int().describe('How many dead deliveries were queued again'),
});

/** What an inbound hook does with the payload it receives. */
export const inboundHookActionSchema = z
  .enum(['create-task', 'post-message', 'start-workflow'])
  .describe(
    'create-task: fields title, description, priority, requiredCapabilities, dueAt; post-message: task, content, type; start-workflow: workflow, input',
  );
export type InboundHookAction = z.infer<typeof inboundHookActionSchema>;

/** Per field of the action, a CEL expression over `payload` (the JSON body) and `headers`. */
export const inboundHookTemplateSchema = z
  .record(textSchema().regex(/^[a-zA-Z][a-zA-Z0-9]{0,63}$/), celExpressionSchema)
  .refine((template) => Object.keys(template).length <= 20, { message: 'a template maps at most 20 fields' })
  .describe('Field name → CEL expression, such as { "title": "\'Build failed: \' + payload.pipeline" }');

export const inboundHookSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    name: textSchema(),
    action: inboundHookActionSchema,
    template: z.record(textSchema(), textSchema()),
    enabled: z.boolean(),
    path: textSchema().describe('Where outside tools POST: /api/v1/hooks/{id}'),
    createdBy: principalReferenceSchema,
    lastReceivedAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'InboundHook' });
export type InboundHook = z.infer<typeof inboundHookSchema>;

export const inboundHookWithSecretSchema = inboundHookSchema
  .extend({
    secret: textSchema().describe('The hook secret (mchook_…), shown this once: send it as a bearer token or sign the body with it'),
  })
  .meta({ id: 'InboundHookWithSecret' });
export type InboundHookWithSecret = z.infer<typeof inboundHookWithSecretSchema>;

export const createInboundHookSchema = z.strictObject({
  name: textSchema().trim().min(1).max(100),
  action: inboundHookActionSchema,
  template: inboundHookTemplateSchema,
  enabled: z.boolean().default(true),
});
export type CreateInboundHookInput = z.infer<typeof createInboundHookSchema>;

export const updateInboundHookSchema = z.strictObject({
  name: textSchema().trim().min(1).max(100).optional(),
  template: inboundHookTemplateSchema.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateInboundHookInput = z.infer<typeof updateInboundHookSchema>;

export const inboundHookParamsSchema = z.object({ hookId: idSchema });

/** Any JSON object an outside tool sends to a hook. */
export const inboundHookPayloadSchema = z.record(textSchema(), z.unknown()).describe('Any JSON object; the template reads it as `payload`');

export const inboundHookResultSchema = z
  .object({
    action: inboundHookActionSchema,
    taskId: idSchema.nullable(),
    taskKey: textSchema().nullable(),
    messageId: idSchema.nullable(),
  })
  .meta({ id: 'InboundHookResult' });
export type InboundHookResult = z.infer<typeof inboundHookResultSchema>;
