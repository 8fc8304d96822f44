import { z } from 'zod';
import { idParamsSchema, pageSchema } from '../common.js';
import {
  createDocumentSchema,
  createDocumentTemplateSchema,
  documentSchema,
  documentSummarySchema,
  documentTemplateSchema,
  documentVersionParamsSchema,
  documentVersionSchema,
  documentVersionSummarySchema,
  listDocumentsQuerySchema,
  listDocumentVersionsQuerySchema,
  replaceDocumentSchema,
  restoreDocumentVersionSchema,
  updateDocumentSchema,
} from '../documents.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'documents';
const theDocument = { 200: { description: 'The document as it is now, with its content', schema: documentSchema } } as const;

export const listDocuments = defineEndpoint({
  operationId: 'listDocuments',
  method: 'GET',
  path: '/api/v1/documents',
  tag,
  auth: 'any',
  summary: 'List documents, newest first, without their content',
  description:
    'Filter by type, by task (id or key) or by text in the title or content. Fetch a document to read its content. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listDocumentsQuerySchema,
  responses: { 200: { description: 'A page of documents without their content', schema: pageSchema(documentSummarySchema) } },
  errors: ['TASK_NOT_FOUND'],
});

export const createDocument = defineEndpoint({
  operationId: 'createDocument',
  method: 'POST',
  path: '/api/v1/documents',
  tag,
  auth: 'any',
  summary: 'Write a markdown document',
  description:
    'The document starts at version 1 and may be linked to a task by id or key. People named with `@name` in the content are notified; a `document-created` event is appended. Viewers cannot write documents.',
  body: createDocumentSchema,
  responses: { 201: { description: 'The new document (version 1)', schema: documentSchema } },
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND', 'DOCUMENT_TEMPLATE_NOT_FOUND'],
});

export const getDocument = defineEndpoint({
  operationId: 'getDocument',
  method: 'GET',
  path: '/api/v1/documents/{id}',
  tag,
  auth: 'any',
  summary: 'Get a document with its content',
  description: 'The current version. Earlier versions are listed under the document’s versions.',
  params: idParamsSchema,
  responses: theDocument,
  errors: ['DOCUMENT_NOT_FOUND'],
});

export const updateDocument = defineEndpoint({
  operationId: 'updateDocument',
  method: 'PATCH',
  path: '/api/v1/documents/{id}',
  tag,
  auth: 'any',
  summary: 'Edit some fields of a document, as a new version',
  description:
    'Changes only the fields sent (title, content, type, task); an edit that changes something makes a new version, one that changes nothing makes none. Send the `baseVersion` you edited: when someone saved a newer version meanwhile the answer is 409 DOCUMENT_VERSION_CONFLICT with `details.currentVersion`, so fetch the document, merge and send again. People newly mentioned in the content are notified.',
  params: idParamsSchema,
  body: updateDocumentSchema,
  responses: theDocument,
  errors: ['FORBIDDEN', 'DOCUMENT_NOT_FOUND', 'TASK_NOT_FOUND', 'DOCUMENT_VERSION_CONFLICT'],
});

export const replaceDocument = defineEndpoint({
  operationId: 'replaceDocument',
  method: 'PUT',
  path: '/api/v1/documents/{id}',
  tag,
  auth: 'any',
  summary: 'Replace the editable fields of a document, as a new version',
  description:
    'A full update: every editable field takes the value sent, and a field left out takes its default (empty content, type deliverable, no task). When that changes something it makes a new version. Send the `baseVersion` you edited: when someone saved a newer version meanwhile the answer is 409 DOCUMENT_VERSION_CONFLICT with `details.currentVersion`, so fetch the document, merge and send again.',
  params: idParamsSchema,
  body: replaceDocumentSchema,
  responses: theDocument,
  errors: ['FORBIDDEN', 'DOCUMENT_NOT_FOUND', 'TASK_NOT_FOUND', 'DOCUMENT_VERSION_CONFLICT'],
});

export const deleteDocument = defineEndpoint({
  operationId: 'deleteDocument',
  method: 'DELETE',
  path: '/api/v1/documents/{id}',
  tag,
  auth: 'any',
  summary: 'Delete a document and all its versions',
  description: 'The history goes too and cannot be restored; a `document-deleted` event is appended. Viewers cannot delete documents.',
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'DOCUMENT_NOT_FOUND'],
});

export const listDocumentVersions = defineEndpoint({
  operationId: 'listDocumentVersions',
  method: 'GET',
  path: '/api/v1/documents/{id}/versions',
  tag,
  auth: 'any',
  summary: "List a document's versions, newest first, without their content",
  description: 'Every saved version with its author and time. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  params: idParamsSchema,
  query: listDocumentVersionsQuerySchema,
  responses: { 200: { description: 'A page of versions without their content', schema: pageSchema(documentVersionSummarySchema) } },
  errors: ['DOCUMENT_NOT_FOUND'],
});

export const getDocumentVersion = defineEndpoint({
  operationId: 'getDocumentVersion',
  method: 'GET',
  path: '/api/v1/documents/{id}/versions/{version}',
  tag,
  auth: 'any',
  summary: 'Get one version of a document, with its content',
  description: 'Versions are numbered from 1. List the versions to see which exist.',
  params: documentVersionParamsSchema,
  responses: { 200: { description: 'The version with its content', schema: documentVersionSchema } },
  errors: ['DOCUMENT_NOT_FOUND', 'DOCUMENT_VERSION_NOT_FOUND'],
});

export const restoreDocumentVersion = defineEndpoint({
  operationId: 'restoreDocumentVersion',
  method: 'POST',
  path: '/api/v1/documents/{id}/versions/{version}/restore',
  tag,
  auth: 'any',
  summary: 'Make an earlier version current again, as a new version',
  description:
    'The new version takes the title, content and type of the earlier one; the history is kept. Send the `baseVersion` you looked at to get 409 DOCUMENT_VERSION_CONFLICT instead of overwriting a newer edit.',
  params: documentVersionParamsSchema,
  body: restoreDocumentVersionSchema,
  responses: theDocument,
  errors: ['FORBIDDEN', 'DOCUMENT_NOT_FOUND', 'DOCUMENT_VERSION_NOT_FOUND', 'DOCUMENT_VERSION_CONFLICT'],
});

export const listDocumentTemplates = defineEndpoint({
  operationId: 'listDocumentTemplates',
  method: 'GET',
  path: '/api/v1/document-templates',
  tag,
  auth: 'any',
  summary: 'List document templates',
  description: 'The built-in templates (PRD, research note, runbook, standup) first, then the workspace’s own, oldest first.',
  responses: { 200: { description: 'Every template', schema: z.object({ data: z.array(documentTemplateSchema) }) } },
  errors: [],
});

export const createDocumentTemplate = defineEndpoint({
  operationId: 'createDocumentTemplate',
  method: 'POST',
  path: '/api/v1/document-templates',
  tag,
  auth: 'any',
  summary: 'Add a document template to the workspace',
  description: 'Then `templateId` on POST /api/v1/documents starts a document from it. Viewers cannot add templates.',
  body: createDocumentTemplateSchema,
  responses: { 201: { description: 'The new template', schema: documentTemplateSchema } },
  errors: ['FORBIDDEN'],
});
