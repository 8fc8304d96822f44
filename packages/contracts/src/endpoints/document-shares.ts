import { idParamsSchema, optionalBody } from '../common.js';
import {
  createDocumentShareSchema,
  createdDocumentShareSchema,
  documentShareListSchema,
  documentShareParamsSchema,
} from '../document-shares.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'documents';

export const createDocumentShare = defineEndpoint({
  operationId: 'createDocumentShare',
  method: 'POST',
  path: '/api/v1/documents/{id}/shares',
  tag,
  auth: 'any',
  summary: 'Make a read-only link to a document',
  description:
    'Anyone with the link reads the document at `/share/{token}` without signing in, until it expires or is revoked. The token is shown only in this answer (only its SHA-256 is stored): copy it now. Give `expiresAt` or `expiresInDays` (at most 365 days), or neither for a link that works until revoked. Appends a `document-shared` event. Viewers cannot share.',
  params: idParamsSchema,
  body: optionalBody(createDocumentShareSchema),
  responses: { 201: { description: 'The link, with its token shown once', schema: createdDocumentShareSchema } },
  errors: ['FORBIDDEN', 'DOCUMENT_NOT_FOUND', 'IDEMPOTENCY_SECRET_NOT_REPLAYABLE'],
  oneTimeSecretField: 'token',
  oneTimeSecretCopies: ['url'],
});

export const listDocumentShares = defineEndpoint({
  operationId: 'listDocumentShares',
  method: 'GET',
  path: '/api/v1/documents/{id}/shares',
  tag,
  auth: 'any',
  summary: 'List the links to a document, newest first',
  description: 'Revoked and expired links are listed too, with their views. Tokens are never shown again.',
  params: idParamsSchema,
  responses: { 200: { description: 'Every link to the document', schema: documentShareListSchema } },
  errors: ['DOCUMENT_NOT_FOUND'],
});

export const revokeDocumentShare = defineEndpoint({
  operationId: 'revokeDocumentShare',
  method: 'DELETE',
  path: '/api/v1/documents/{id}/shares/{shareId}',
  tag,
  auth: 'any',
  summary: 'Revoke a link to a document',
  description:
    'The link answers 404 from now on. Revoking a link that is already revoked changes nothing. Appends a `document-share-revoked` event. Viewers cannot revoke.',
  params: documentShareParamsSchema,
  responses: { 204: { description: 'Revoked' } },
  errors: ['FORBIDDEN', 'DOCUMENT_NOT_FOUND', 'DOCUMENT_SHARE_NOT_FOUND'],
});
