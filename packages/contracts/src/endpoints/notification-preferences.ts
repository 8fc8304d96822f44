import {
  listNotificationDeliveriesQuerySchema,
  notificationChannelsSchema,
  notificationDeliveryPageSchema,
  notificationPreferencesSchema,
  updateNotificationChannelsSchema,
  updateNotificationPreferencesSchema,
} from '../notification-preferences.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'notifications';

export const getNotificationPreferences = defineEndpoint({
  operationId: 'getNotificationPreferences',
  method: 'GET',
  path: '/api/v1/notification-preferences',
  tag,
  auth: 'any',
  summary: 'Your notification preferences',
  description:
    'Per kind of notification (mention, assignment, review requested, escalation, budget, approval, run failed, …): the channels it goes to besides the inbox and its priority; quiet hours in a time zone; and the digest that batches normal-priority notifications. People and agents each have their own; defaults apply until they are changed (inbox only). Slack and Discord URLs are shown masked.',
  responses: { 200: { description: 'The preferences, defaults filled in', schema: notificationPreferencesSchema } },
  errors: [],
});

export const updateNotificationPreferences = defineEndpoint({
  operationId: 'updateNotificationPreferences',
  method: 'PUT',
  path: '/api/v1/notification-preferences',
  tag,
  auth: 'any',
  summary: 'Change your notification preferences',
  description:
    'Fields left out keep their value, so a masked URL never has to be sent back; `kinds` changes only the kinds it names; null removes an address or a URL. Urgent notifications go out at once, even in quiet hours; normal ones wait for the end of quiet hours and, with a digest, go out together in one email or message per channel. Slack and Discord URLs are stored encrypted and checked like webhook targets (400 WEBHOOK_TARGET_REFUSED for a private address unless the server allows it). Email needs MISSION_SMTP_URL on the server: choosing it without answers 409 NOTIFICATION_CHANNEL_UNAVAILABLE.',
  body: updateNotificationPreferencesSchema,
  responses: { 200: { description: 'The preferences as saved', schema: notificationPreferencesSchema } },
  errors: ['WEBHOOK_TARGET_REFUSED', 'NOTIFICATION_CHANNEL_UNAVAILABLE'],
});

export const getNotificationChannels = defineEndpoint({
  operationId: 'getNotificationChannels',
  method: 'GET',
  path: '/api/v1/notification-channels',
  tag,
  auth: 'user',
  summary: "The workspace's shared Slack and Discord channels",
  description:
    'Incoming-webhook URLs (masked) used for everyone who chose Slack or Discord without a URL of their own, and whether the server can send email. Every member can read it.',
  responses: { 200: { description: 'The shared channels', schema: notificationChannelsSchema } },
  errors: [],
});

export const updateNotificationChannels = defineEndpoint({
  operationId: 'updateNotificationChannels',
  method: 'PUT',
  path: '/api/v1/notification-channels',
  tag,
  auth: 'user',
  summary: "Set the workspace's shared Slack and Discord channels",
  description:
    'Fields left out keep their value; null removes a URL. URLs are stored encrypted and checked like webhook targets. Owners and admins only (403 otherwise). Appends `notification-channels-updated`.',
  body: updateNotificationChannelsSchema,
  responses: { 200: { description: 'The shared channels as saved', schema: notificationChannelsSchema } },
  errors: ['FORBIDDEN', 'WEBHOOK_TARGET_REFUSED'],
});

export const listNotificationDeliveries = defineEndpoint({
  operationId: 'listNotificationDeliveries',
  method: 'GET',
  path: '/api/v1/notification-deliveries',
  tag,
  auth: 'any',
  summary: 'The emails and Slack/Discord messages sent to you, with every attempt',
  description:
    'Newest first. They go through the same durable sender as webhooks: `failed` ones are retried on the schedule, `dead` ones used up their attempts. Each lists its attempts with time, status code (SMTP or HTTP), response excerpt and duration.',
  query: listNotificationDeliveriesQuerySchema,
  responses: { 200: { description: 'A page of deliveries', schema: notificationDeliveryPageSchema } },
  errors: [],
});
