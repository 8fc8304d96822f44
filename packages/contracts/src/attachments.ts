import { z } from 'zod';
import { idSchema, principalReferenceSchema, timestampSchema } from './common.js';

/** A file stored by Mission Control itself, unlike a message's link attachments (messages.ts), which point elsewhere. */

export const fileAttachmentSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    taskId: idSchema.describe('The task it is attached to (for a message’s attachment, the message’s task)'),
    messageId: idSchema.nullable().describe('The message it is attached to, or null when attached to the task itself'),
    name: z.string().describe('The file name the uploader gave'),
    size: z.number().int().describe('In bytes'),
    type: z.string().describe('The media type sniffed from the content (never the one the client claimed)'),
    sha256: z.string().describe('The SHA-256 of the content, in hex'),
    uploadedBy: principalReferenceSchema,
    createdAt: timestampSchema,
  })
  .meta({ id: 'FileAttachment' });
export type FileAttachment = z.infer<typeof fileAttachmentSchema>;

/** The multipart form of an upload, for the API document: the server reads the file itself, not through this schema. */
export const uploadAttachmentBodySchema = z.object({
  file: z.string().meta({ format: 'binary' }).describe('The file, as a multipart/form-data part named `file`'),
});

export const fileAttachmentListSchema = z.object({ data: z.array(fileAttachmentSchema) }).meta({ id: 'FileAttachmentList' });
