import {
  createDocumentSchema,
  documentSchema,
  documentSummarySchema,
  documentVersionParamsSchema,
  documentVersionSchema,
  documentVersionSummarySchema,
  errorBodySchema,
  idParamsSchema,
  listDocumentsQuerySchema,
  listDocumentVersionsQuerySchema,
  optionalBody,
  pageSchema,
  restoreDocumentVersionSchema,
  updateDocumentSchema,
} from '@mission-control/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentService } from './document.service.js';

const tags = ['documents'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const documentRoutes: FastifyPluginAsyncZod<{ documents: DocumentService }> = async (app, { documents }) => {
  app.get(
    '/documents',
    {
      schema: {
        tags,
        summary: 'List documents, newest first, without their content; filter by type, task or text',
        querystring: listDocumentsQuerySchema,
        response: { 200: pageSchema(documentSummarySchema), ...errors },
      },
    },
    async (request) => documents.listDocuments(request.principal, request.query),
  );

  app.post(
    '/documents',
    {
      schema: {
        tags,
        summary: 'Write a markdown document (version 1), optionally linked to a task',
        body: createDocumentSchema,
        response: { 201: documentSchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await documents.createDocument(request.principal, request.body)),
  );

  app.get(
    '/documents/:id',
    { schema: { tags, summary: 'Get a document with its content', params: idParamsSchema, response: { 200: documentSchema, ...errors } } },
    async (request) => documents.getDocument(request.principal, request.params.id),
  );

  app.patch(
    '/documents/:id',
    {
      schema: {
        tags,
        summary: 'Edit a document; every change makes a new version (send baseVersion to avoid overwriting a newer one)',
        params: idParamsSchema,
        body: updateDocumentSchema,
        response: { 200: documentSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => documents.updateDocument(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/documents/:id',
    {
      schema: {
        tags,
        summary: 'Delete a document and all its versions',
        params: idParamsSchema,
        response: { 204: z.undefined(), ...errors },
      },
    },
    async (request, reply) => {
      await documents.deleteDocument(request.principal, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/documents/:id/versions',
    {
      schema: {
        tags,
        summary: "A document's versions, newest first, without their content",
        params: idParamsSchema,
        querystring: listDocumentVersionsQuerySchema,
        response: { 200: pageSchema(documentVersionSummarySchema), ...errors },
      },
    },
    async (request) => documents.listDocumentVersions(request.principal, request.params.id, request.query),
  );

  app.get(
    '/documents/:id/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version of a document, with its content',
        params: documentVersionParamsSchema,
        response: { 200: documentVersionSchema, ...errors },
      },
    },
    async (request) => documents.getDocumentVersion(request.principal, request.params.id, request.params.version),
  );

  app.post(
    '/documents/:id/versions/:version/restore',
    {
      schema: {
        tags,
        summary: 'Make a new version with the title, content and type of an earlier one',
        params: documentVersionParamsSchema,
        body: optionalBody(restoreDocumentVersionSchema),
        response: { 200: documentSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => documents.restoreDocumentVersion(request.principal, request.params.id, request.params.version, request.body),
  );
};
