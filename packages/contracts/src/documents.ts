import { z } from 'zod';
import {
  idSchema,
  markdownSchema,
  pageQuerySchema,
  principalReferenceSchema,
  taskReferenceSchema,
  textSchema,
  timestampSchema,
} from './common.js';

export const documentTypeSchema = z.enum(['deliverable', 'research', 'protocol']);
export type DocumentType = z.infer<typeof documentTypeSchema>;

export const documentSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    taskId: idSchema.nullable(),
    title: z.string(),
    content: z.string(),
    type: documentTypeSchema,
    author: principalReferenceSchema.describe('Who wrote the current version'),
    version: z.number().int(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Document' });
export type Document = z.infer<typeof documentSchema>;

export const documentSummarySchema = documentSchema.omit({ content: true }).meta({ id: 'DocumentSummary' });
export type DocumentSummary = z.infer<typeof documentSummarySchema>;

export const documentVersionSchema = z
  .object({
    documentId: idSchema,
    version: z.number().int(),
    title: z.string(),
    content: z.string(),
    type: documentTypeSchema,
    author: principalReferenceSchema,
    createdAt: timestampSchema,
  })
  .meta({ id: 'DocumentVersion' });
export type DocumentVersion = z.infer<typeof documentVersionSchema>;

export const documentVersionSummarySchema = documentVersionSchema.omit({ content: true }).meta({ id: 'DocumentVersionSummary' });
export type DocumentVersionSummary = z.infer<typeof documentVersionSummarySchema>;

const titleSchema = textSchema().trim().min(1).max(300);

export const createDocumentSchema = z.strictObject({
  title: titleSchema,
  content: markdownSchema.default(''),
  type: documentTypeSchema.default('deliverable'),
  taskId: taskReferenceSchema.nullable().optional(),
  templateId: textSchema()
    .min(1)
    .max(64)
    .optional()
    .describe('Starts from a template (GET /api/v1/document-templates): its type, and its content unless `content` is given'),
});
export type CreateDocumentInput = z.infer<typeof createDocumentSchema>;

export const updateDocumentSchema = z.strictObject({
  title: titleSchema.optional(),
  content: markdownSchema.optional(),
  type: documentTypeSchema.optional(),
  taskId: taskReferenceSchema.nullable().optional(),
  baseVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version you edited; a newer one on the server answers 409 instead of overwriting it'),
});
export type UpdateDocumentInput = z.infer<typeof updateDocumentSchema>;

/** A full update (PUT): every editable field, the ones left out taking their create defaults. */
export const replaceDocumentSchema = z.strictObject({
  title: titleSchema,
  content: markdownSchema.default(''),
  type: documentTypeSchema.default('deliverable'),
  taskId: taskReferenceSchema.nullable().default(null).describe('The task it belongs to (id or key); null or left out to link none'),
  baseVersion: updateDocumentSchema.shape.baseVersion,
});
export type ReplaceDocumentInput = z.infer<typeof replaceDocumentSchema>;

export const listDocumentsQuerySchema = pageQuerySchema.extend({
  type: documentTypeSchema.optional(),
  taskId: taskReferenceSchema.optional(),
  q: textSchema().trim().min(1).max(200).optional(),
});
export type ListDocumentsQuery = z.infer<typeof listDocumentsQuerySchema>;

/** Versions are listed newest first; the cursor is a version number. */
export const listDocumentVersionsQuerySchema = pageQuerySchema;
export type ListDocumentVersionsQuery = z.infer<typeof listDocumentVersionsQuerySchema>;

export const restoreDocumentVersionSchema = z.strictObject({
  baseVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version you looked at; a newer one on the server answers 409 instead of overwriting it'),
});
export type RestoreDocumentVersionInput = z.infer<typeof restoreDocumentVersionSchema>;

export const documentVersionParamsSchema = z.object({
  id: idSchema,
  // Capped at the integer column's range so a huge number is a 400, not a database error.
  version: z.coerce.number<number | string>().int().min(1).max(2_147_483_647),
});

export const documentTemplateSchema = z
  .object({
    id: z.string().describe('`prd`, `research-note`, `runbook` and `standup` are built in; others are the workspace’s own'),
    name: z.string(),
    description: z.string(),
    type: documentTypeSchema,
    content: z.string(),
    builtIn: z.boolean(),
  })
  .meta({ id: 'DocumentTemplate' });
export type DocumentTemplate = z.infer<typeof documentTemplateSchema>;

export const createDocumentTemplateSchema = z.strictObject({
  name: titleSchema,
  description: textSchema().trim().max(500).default(''),
  type: documentTypeSchema.default('deliverable'),
  content: markdownSchema,
});
export type CreateDocumentTemplateInput = z.infer<typeof createDocumentTemplateSchema>;
