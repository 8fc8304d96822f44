import { z } from 'zod';
import { idSchema, principalReferenceSchema, timestampSchema } from './common.js';

/** The most a share link may live, in days. */
export const maxShareDays = 365;

/** A read-only link to a document; the token itself is shown once, when it is made. */
export const documentShareSchema = z
  .object({
    id: idSchema,
    documentId: idSchema,
    tokenPrefix: z.string().describe('The first characters of the token, to tell links apart (the token itself is never stored)'),
    createdBy: principalReferenceSchema,
    createdByName: z.string().describe('The name of the person or agent who made the link'),
    createdAt: timestampSchema,
    expiresAt: timestampSchema.nullable().describe('After this the link answers 404; null when it never expires'),
    revokedAt: timestampSchema.nullable().describe('When the link was revoked; it answers 404 since'),
    viewCount: z.number().int().describe('How many times the shared page was opened'),
    lastViewedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'DocumentShare' });
export type DocumentShare = z.infer<typeof documentShareSchema>;

export const createdDocumentShareSchema = z
  .object({
    id: idSchema,
    token: z.string().describe('The secret of the link, shown only in this answer'),
    url: z.string().describe('The page anyone with the link can read, at MISSION_PUBLIC_URL'),
    share: documentShareSchema,
  })
  .meta({ id: 'CreatedDocumentShare' });
export type CreatedDocumentShare = z.infer<typeof createdDocumentShareSchema>;

export const createDocumentShareSchema = z
  .strictObject({
    expiresAt: timestampSchema.optional().describe('When the link stops working; in the future, at most 365 days away'),
    expiresInDays: z.number().int().min(1).max(maxShareDays).optional().describe('Or: how many days from now the link works'),
  })
  .refine((input) => input.expiresAt === undefined || input.expiresInDays === undefined, {
    message: 'Give expiresAt or expiresInDays, not both',
    path: ['expiresInDays'],
  });
export type CreateDocumentShareInput = z.infer<typeof createDocumentShareSchema>;

export const documentShareParamsSchema = z.object({ id: idSchema, shareId: idSchema });

export const documentShareListSchema = z.object({ data: z.array(documentShareSchema) }).meta({ id: 'DocumentShareList' });
