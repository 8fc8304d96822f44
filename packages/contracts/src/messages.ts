import { z } from 'zod';
import {
  idSchema,
  isStorableText,
  pageQuerySchema,
  principalReferenceSchema,
  taskReferenceSchema,
  textSchema,
  timestampSchema,
  unstorableTextMessage,
} from './common.js';

export const messageTypeSchema = z.enum(['comment', 'status_update', 'question', 'answer']);
export type MessageType = z.infer<typeof messageTypeSchema>;

export const attachmentSchema = z
  .object({
    name: textSchema().trim().min(1).max(255),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2_048)
      .refine(isStorableText, { message: unstorableTextMessage }),
    contentType: textSchema().max(255).optional(),
    sizeBytes: z.number().int().min(0).optional(),
  })
  .strict()
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

const emojiCharacters = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component})+$/u;
const pictograph = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** One emoji (a pictograph, a flag, or a joined sequence such as 👩‍💻); words and plain digits are refused. */
export const emojiSchema = z
  .string()
  .min(1)
  .max(32)
  .refine((value) => emojiCharacters.test(value) && pictograph.test(value), {
    message: 'Send one emoji such as 👍, not words or text',
  })
  .describe('One emoji, such as 👍');

export const messageReactionSchema = z
  .object({
    emoji: z.string(),
    count: z.number().int().min(1),
    by: z.array(principalReferenceSchema).describe('Who reacted, first reaction first'),
  })
  .meta({ id: 'MessageReaction' });
export type MessageReaction = z.infer<typeof messageReactionSchema>;

export const addReactionSchema = z.strictObject({ emoji: emojiSchema });
export type AddReactionInput = z.infer<typeof addReactionSchema>;

export const messageReactionParamsSchema = z.object({ id: idSchema, emoji: emojiSchema });

export const messageSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    taskId: idSchema,
    author: principalReferenceSchema,
    content: z.string(),
    type: messageTypeSchema,
    replyToId: idSchema.nullable(),
    attachments: z.array(attachmentSchema),
    reactions: z.array(messageReactionSchema).describe('Each emoji once, with how many reacted and who, in the order first used'),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof messageSchema>;

export const postMessageSchema = z.strictObject({
  content: textSchema().trim().min(1).max(50_000),
  type: messageTypeSchema.default('comment'),
  replyToId: idSchema.nullable().optional(),
  attachments: z.array(attachmentSchema).max(20).default([]),
  leaseToken: textSchema()
    .min(1)
    .max(128)
    .optional()
    .describe('Marks the message as progress on a task you claimed: checked like a status change, and renews the lease'),
});
export type PostMessageInput = z.infer<typeof postMessageSchema>;

export const listMessagesQuerySchema = pageQuerySchema.extend({
  order: z.enum(['asc', 'desc']).default('asc').describe('Oldest first by default, like a thread'),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

export const taskMessagesParamsSchema = z.object({ taskId: taskReferenceSchema });
