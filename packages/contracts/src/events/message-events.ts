import { z } from 'zod';
import { idSchema, principalReferenceSchema } from '../common.js';
import { messageTypeSchema } from '../messages.js';
import { notificationReasonSchema } from '../notifications.js';
import { defineEvent, eventTaskKeySchema } from './event-base.js';

export const messagePostedEventSchema = defineEvent(
  'message-posted',
  { id: 'MessagePostedEvent', description: "A message was posted in a task's thread (a comment or a reply)." },
  {
    messageId: idSchema,
    key: eventTaskKeySchema,
    type: messageTypeSchema,
    replyToId: idSchema.nullable(),
    excerpt: z.string().describe('The start of the message, on one line'),
  },
);

export const notificationCreatedEventSchema = defineEvent(
  'notification-created',
  {
    id: 'NotificationCreatedEvent',
    description: 'Someone was notified (assigned, mentioned, replied to, a status change, or a system notice); one event per recipient.',
  },
  { notificationId: idSchema, recipient: principalReferenceSchema, reason: notificationReasonSchema },
);

export const reactionAddedEventSchema = defineEvent(
  'reaction-added',
  { id: 'ReactionAddedEvent', description: 'Someone reacted to a message with an emoji.' },
  { messageId: idSchema, key: eventTaskKeySchema, emoji: z.string() },
);

export const reactionRemovedEventSchema = defineEvent(
  'reaction-removed',
  { id: 'ReactionRemovedEvent', description: 'Someone took back their emoji reaction to a message.' },
  { messageId: idSchema, key: eventTaskKeySchema, emoji: z.string() },
);

export const messageEventSchemas = [
  messagePostedEventSchema,
  notificationCreatedEventSchema,
  reactionAddedEventSchema,
  reactionRemovedEventSchema,
] as const;
