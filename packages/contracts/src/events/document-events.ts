import { z } from 'zod';
import { idSchema } from '../common.js';
import { documentTypeSchema } from '../documents.js';
import { changedFieldsSchema, defineEvent } from './event-base.js';

export const documentCreatedEventSchema = defineEvent(
  'document-created',
  { id: 'DocumentCreatedEvent', description: 'A document was written (version 1).' },
  { documentId: idSchema, title: z.string(), type: documentTypeSchema, version: z.number().int() },
);

export const documentVersionedEventSchema = defineEvent(
  'document-versioned',
  { id: 'DocumentVersionedEvent', description: 'A document got a new version: edited, relinked to a task, or an older version restored.' },
  {
    documentId: idSchema,
    title: z.string(),
    version: z.number().int(),
    fields: changedFieldsSchema,
    restoredFrom: z.number().int().optional().describe('The version restored, when it was a restore'),
  },
);

export const documentDeletedEventSchema = defineEvent(
  'document-deleted',
  { id: 'DocumentDeletedEvent', description: 'A document was deleted.' },
  { documentId: idSchema, title: z.string(), version: z.number().int().describe('Its last version') },
);

export const documentSharedEventSchema = defineEvent(
  'document-shared',
  { id: 'DocumentSharedEvent', description: 'A read-only link to a document was made (its token is never in the event).' },
  {
    documentId: idSchema,
    shareId: idSchema,
    title: z.string(),
    expiresAt: z.string().nullable().describe('When the link stops working; null when it works until revoked'),
  },
);

export const documentShareRevokedEventSchema = defineEvent(
  'document-share-revoked',
  { id: 'DocumentShareRevokedEvent', description: 'A read-only link to a document was revoked; it answers 404 since.' },
  { documentId: idSchema, shareId: idSchema, title: z.string() },
);

export const documentEventSchemas = [
  documentCreatedEventSchema,
  documentVersionedEventSchema,
  documentDeletedEventSchema,
  documentSharedEventSchema,
  documentShareRevokedEventSchema,
] as const;
