import { z } from 'zod';
import { idSchema, timestampSchema } from '../common.js';
import { changedFieldsSchema, defineEvent } from './event-base.js';

const webhookIdShape = { webhookId: idSchema };

export const webhookCreatedEventSchema = defineEvent(
  'webhook-created',
  { id: 'WebhookCreatedEvent', description: 'An outbound webhook endpoint was registered; it receives events from this one on.' },
  {
    ...webhookIdShape,
    host: z.string().describe('The host of the endpoint URL (the full URL is not repeated in the feed)'),
    events: z.array(z.string()).describe('The event types it receives, or ["*"]'),
  },
);

export const webhookUpdatedEventSchema = defineEvent(
  'webhook-updated',
  { id: 'WebhookUpdatedEvent', description: 'A webhook endpoint was changed (URL, events, filter, description or enabled).' },
  { ...webhookIdShape, changes: changedFieldsSchema },
);

export const webhookDeletedEventSchema = defineEvent(
  'webhook-deleted',
  { id: 'WebhookDeletedEvent', description: 'A webhook endpoint was deleted with its deliveries.' },
  webhookIdShape,
);

export const webhookSecretRotatedEventSchema = defineEvent(
  'webhook-secret-rotated',
  {
    id: 'WebhookSecretRotatedEvent',
    description: 'A webhook endpoint got a new signing secret; the previous one keeps signing alongside until the time given.',
  },
  { ...webhookIdShape, previousSecretExpiresAt: timestampSchema },
);

export const webhookDisabledEventSchema = defineEvent(
  'webhook-disabled',
  {
    id: 'WebhookDisabledEvent',
    description:
      'The platform disabled a webhook endpoint: it answered 410 Gone, or every delivery failed for 5 days. Its owners were notified; enabling it again resumes from the current event.',
  },
  {
    ...webhookIdShape,
    reason: z.enum(['gone', 'failing']).describe('gone: the endpoint answered 410; failing: nothing succeeded for 5 days'),
  },
);

export const webhookDeliveryDeadEventSchema = defineEvent(
  'webhook-delivery-dead',
  {
    id: 'WebhookDeliveryDeadEvent',
    description:
      'A webhook delivery used up its attempts (or its endpoint went away) and moved to the dead-letter queue; it can be replayed.',
  },
  {
    ...webhookIdShape,
    deliveryId: idSchema,
    eventType: z.string().describe('The type of the event the delivery carried (or ping)'),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable().describe('The HTTP status of the last attempt; null when no answer came'),
  },
);

const inboundHookIdShape = { hookId: idSchema };

export const inboundHookCreatedEventSchema = defineEvent(
  'inbound-hook-created',
  { id: 'InboundHookCreatedEvent', description: 'An inbound hook was created: outside tools can now call it with its secret.' },
  { ...inboundHookIdShape, name: z.string(), action: z.string() },
);

export const inboundHookUpdatedEventSchema = defineEvent(
  'inbound-hook-updated',
  { id: 'InboundHookUpdatedEvent', description: 'An inbound hook was changed (name, template, enabled) or got a new secret.' },
  { ...inboundHookIdShape, changes: changedFieldsSchema },
);

export const inboundHookDeletedEventSchema = defineEvent(
  'inbound-hook-deleted',
  { id: 'InboundHookDeletedEvent', description: 'An inbound hook was deleted; calls to it answer 404 from now on.' },
  inboundHookIdShape,
);

export const inboundHookReceivedEventSchema = defineEvent(
  'inbound-hook-received',
  { id: 'InboundHookReceivedEvent', description: 'An inbound hook was called with a valid secret and carried out its action.' },
  {
    ...inboundHookIdShape,
    action: z.string(),
    messageId: idSchema.optional().describe('The message it posted, for post-message'),
  },
);

export const notificationChannelsUpdatedEventSchema = defineEvent(
  'notification-channels-updated',
  { id: 'NotificationChannelsUpdatedEvent', description: "The workspace's Slack or Discord incoming-webhook URL was set or removed." },
  { changes: changedFieldsSchema },
);

export const integrationEventSchemas = [
  webhookCreatedEventSchema,
  webhookUpdatedEventSchema,
  webhookDeletedEventSchema,
  webhookSecretRotatedEventSchema,
  webhookDisabledEventSchema,
  webhookDeliveryDeadEventSchema,
  inboundHookCreatedEventSchema,
  inboundHookUpdatedEventSchema,
  inboundHookDeletedEventSchema,
  inboundHookReceivedEventSchema,
  notificationChannelsUpdatedEventSchema,
] as const;
