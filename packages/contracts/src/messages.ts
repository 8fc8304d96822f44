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
