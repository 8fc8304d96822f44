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

export const attachmentRemovedEventSchema = defineEvent(
  'attachment-removed',
  {
    id: 'AttachmentRemovedEvent',
    description: 'An attached file was deleted; its bytes go when no other attachment has the same content.',
  },
  { attachmentId: idSchema, messageId: idSchema.nullable(), name: z.string() },
);

export const attachmentEventSchemas = [attachmentAddedEventSchema, attachmentRemovedEventSchema] as const;
