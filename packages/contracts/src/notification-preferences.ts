import { z } from 'zod';
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

/**
 * What a notification is about, for preferences. Each notification has one; it follows from its
 * reason unless the writer names it (a review request is a `status` notification of kind `review-requested`).
 */
export const notificationKindSchema = z.enum([
  'mention',
  'reply',
  'assignment',
  'status',
  'review-requested',
  'escalation',
  'budget',
  'approval',
  'run-failed',
  'integration',
  'system',
]);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** The kind a notification has when its writer did not name one: it follows from the reason. */
export function notificationKindOfReason(reason: 'assigned' | 'mentioned' | 'reply' | 'status' | 'system'): NotificationKind {
  const kinds = { assigned: 'assignment', mentioned: 'mention', reply: 'reply', status: 'status', system: 'system' } as const;
  return kinds[reason];
}

/** Where a notification can reach its recipient. In-app is always kept: it is the inbox. */
export const notificationChannelSchema = z.enum(['in-app', 'email', 'slack', 'discord']);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

/** The channels beyond the inbox, which go through the durable sender. */
export const externalNotificationChannelSchema = z.enum(['email', 'slack', 'discord']);
export type ExternalNotificationChannel = z.infer<typeof externalNotificationChannelSchema>;

export const notificationPrioritySchema = z
  .enum(['urgent', 'normal'])
  .describe('urgent: sent at once, even in quiet hours; normal: may wait for the digest or the end of quiet hours');
export type NotificationPriority = z.infer<typeof notificationPrioritySchema>;

/** What one kind of notification does. */
export const notificationKindPreferenceSchema = z
  .strictObject({
    channels: z.array(notificationChannelSchema).max(4).describe('Where it goes besides the inbox'),
    priority: notificationPrioritySchema,
    muted: z.boolean().default(false).describe('true: this kind is not even kept in the inbox (an agent that wants only its own work)'),
  })
  .meta({ id: 'NotificationKindPreference' });
export type NotificationKindPreference = z.infer<typeof notificationKindPreferenceSchema>;

const clockTimeSchema = textSchema().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'use a 24-hour time such as 22:00' });

/** A time zone the server knows (IANA names such as Europe/Berlin). */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'use an IANA time zone such as Europe/Berlin or UTC' },
  );

export const quietHoursSchema = z
  .strictObject({
    start: clockTimeSchema.describe('When quiet hours begin, in the time zone'),
    end: clockTimeSchema.describe('When they end; earlier than start means the next day'),
  })
  .meta({ id: 'QuietHours' });
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const digestSettingsSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('off') }),
    z.strictObject({ mode: z.literal('interval'), everyMinutes: z.number().int().min(5).max(1_440) }),
    z.strictObject({ mode: z.literal('daily'), at: clockTimeSchema.describe('When the daily digest goes, in the time zone') }),
  ])
  .describe('Batches normal-priority notifications into one email or message per channel')
  .meta({ id: 'DigestSettings' });
export type DigestSettings = z.infer<typeof digestSettingsSchema>;

// Every kind by name, so the API document lists them as properties.
const everyKindShape = Object.fromEntries(notificationKindSchema.options.map((kind) => [kind, notificationKindPreferenceSchema])) as Record<
  NotificationKind,
  typeof notificationKindPreferenceSchema
>;

const maskedUrlSchema = textSchema().nullable().describe('The URL with its secret part hidden; null when none is set');

/** A person's or an agent's notification preferences, complete (defaults filled in). */
export const notificationPreferencesSchema = z
  .object({
    recipient: principalReferenceSchema,
    timeZone: textSchema(),
    quietHours: quietHoursSchema.nullable(),
    digest: digestSettingsSchema,
    kinds: z.object(everyKindShape),
    email: z.object({
      address: textSchema().nullable().describe("Where email goes: the address set here, else a person's account email"),
      available: z.boolean().describe('Whether the server can send email (MISSION_SMTP_URL is set)'),
    }),
    slack: z.object({ webhookUrl: maskedUrlSchema, usesWorkspaceChannel: z.boolean() }),
    discord: z.object({ webhookUrl: maskedUrlSchema, usesWorkspaceChannel: z.boolean() }),
    updatedAt: timestampSchema.nullable().describe('null while only defaults apply'),
  })
  .meta({ id: 'NotificationPreferences' });
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

const incomingWebhookUrlSchema = z
  .url({ protocol: /^https?$/, message: 'use the https:// incoming-webhook URL Slack or Discord gave you' })
  .max(2_000)
  .refine(isStorableText, { message: unstorableTextMessage });

/** A change to preferences: fields left out keep their value; null removes a URL or an address. */
export const updateNotificationPreferencesSchema = z.strictObject({
  timeZone: timeZoneSchema.optional(),
  quietHours: quietHoursSchema.nullable().optional(),
  digest: digestSettingsSchema.optional(),
  kinds: z.partialRecord(notificationKindSchema, notificationKindPreferenceSchema).optional(),
  emailAddress: z.email().max(320).nullable().optional(),
  slackWebhookUrl: incomingWebhookUrlSchema.nullable().optional(),
  discordWebhookUrl: incomingWebhookUrlSchema.nullable().optional(),
});
export type UpdateNotificationPreferencesInput = z.infer<typeof updateNotificationPreferencesSchema>;

/** The workspace's shared channels: used for people who chose Slack or Discord without a URL of their own. */
export const notificationChannelsSchema = z
  .object({
    slack: z.object({ webhookUrl: maskedUrlSchema }),
    discord: z.object({ webhookUrl: maskedUrlSchema }),
    email: z.object({ available: z.boolean(), from: textSchema().nullable() }),
    updatedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'NotificationChannels' });
export type NotificationChannels = z.infer<typeof notificationChannelsSchema>;

export const updateNotificationChannelsSchema = z.strictObject({
  slackWebhookUrl: incomingWebhookUrlSchema.nullable().optional(),
  discordWebhookUrl: incomingWebhookUrlSchema.nullable().optional(),
});
export type UpdateNotificationChannelsInput = z.infer<typeof updateNotificationChannelsSchema>;

/** One email, Slack or Discord message to the caller, with every attempt the sender made. */
export const notificationDeliverySchema = z
  .object({
    id: idSchema,
    channel: externalNotificationChannelSchema,
    eventType: textSchema().describe('notification.<kind> for one notification, notification.digest for a batch'),
    status: webhookDeliveryStatusSchema,
    attemptCount: z.number().int(),
    nextAttemptAt: timestampSchema.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: textSchema().nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    attempts: z.array(deliveryAttemptSchema),
  })
  .meta({ id: 'NotificationDelivery' });
export type NotificationDelivery = z.infer<typeof notificationDeliverySchema>;

export const notificationDeliveryPageSchema = pageSchema(notificationDeliverySchema);

export const listNotificationDeliveriesQuerySchema = pageQuerySchema.extend({
  status: webhookDeliveryStatusSchema.optional(),
});
export type ListNotificationDeliveriesQuery = z.infer<typeof listNotificationDeliveriesQuerySchema>;
