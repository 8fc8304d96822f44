import { z } from 'zod';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

export const attachmentAddedEventSchema = defineEvent(
  'attachment-added',
  { id: 'AttachmentAddedEvent', description: 'A file was attached to a task or to one of its messages.' },
  {
    attachmentId: idSchema,
    messageId: idSchema.nullable(),
    name: z.string(),
    size: z.number().int(),
    type: z.string(),
  },
);

export const attachmentEventSchemas = [attachmentAddedEventSchema] as const;
