import { z } from 'zod';
import { fileAttachmentListSchema, fileAttachmentSchema, uploadAttachmentBodySchema } from '../attachments.js';
import { idParamsSchema } from '../common.js';
import { taskParamsSchema } from '../tasks.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'attachments';
const theAttachment = { 201: { description: 'The stored attachment', schema: fileAttachmentSchema } } as const;
const uploadRules =
  'Send multipart/form-data with the file in the part named `file`. Its type is sniffed from the content; the type the client claims is ignored. Larger than the configured limit (25 MB by default) answers 413 PAYLOAD_TOO_LARGE and stores nothing. An `attachment-added` event is appended. Viewers cannot upload.';

export const uploadTaskAttachment = defineEndpoint({
  operationId: 'uploadTaskAttachment',
  method: 'POST',
  path: '/api/v1/tasks/{id}/attachments',
  tag,
  auth: 'any',
  summary: 'Attach a file to a task',
  description: uploadRules,
  params: taskParamsSchema,
  body: uploadAttachmentBodySchema,
  bodyMediaType: 'multipart/form-data',
  responses: theAttachment,
  errors: ['FORBIDDEN', 'TASK_NOT_FOUND'],
});

export const uploadMessageAttachment = defineEndpoint({
  operationId: 'uploadMessageAttachment',
  method: 'POST',
  path: '/api/v1/messages/{id}/attachments',
  tag,
  auth: 'any',
  summary: 'Attach a file to a message',
  description: `${uploadRules} The attachment also shows in the list of the message’s task.`,
  params: idParamsSchema,
  body: uploadAttachmentBodySchema,
  bodyMediaType: 'multipart/form-data',
  responses: theAttachment,
  errors: ['FORBIDDEN', 'MESSAGE_NOT_FOUND'],
});

export const listTaskAttachments = defineEndpoint({
  operationId: 'listTaskAttachments',
  method: 'GET',
  path: '/api/v1/tasks/{id}/attachments',
  tag,
  auth: 'any',
  summary: 'List the files attached to a task and its messages, oldest first',
  description: 'Download one with its id.',
  params: taskParamsSchema,
  responses: { 200: { description: 'Every attachment of the task', schema: fileAttachmentListSchema } },
  errors: ['TASK_NOT_FOUND'],
});

export const downloadAttachment = defineEndpoint({
  operationId: 'downloadAttachment',
  method: 'GET',
  path: '/api/v1/attachments/{id}',
  tag,
  auth: 'any',
  summary: 'Download an attachment',
  description:
    'The bytes as uploaded, always as a download (`Content-Disposition: attachment`) with `X-Content-Type-Options: nosniff`. HTML, SVG and other types a browser could run are served as application/octet-stream.',
  params: idParamsSchema,
  responses: {
    200: {
      description: 'The file',
      contentType: 'application/octet-stream',
      schema: z.string().meta({ format: 'binary' }),
    },
  },
  errors: ['ATTACHMENT_NOT_FOUND'],
});

export const deleteAttachment = defineEndpoint({
  operationId: 'deleteAttachment',
  method: 'DELETE',
  path: '/api/v1/attachments/{id}',
  tag,
  auth: 'any',
  summary: 'Delete an attachment',
  description:
    'The uploader, an admin or an owner can delete an attachment; others get 403. Its bytes are deleted too when no other attachment has the same content. Appends an `attachment-removed` event.',
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'ATTACHMENT_NOT_FOUND'],
});
