import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { DocumentService } from './document.service.js';

export async function documentRoutes(app: FastifyInstance, { documents }: { documents: DocumentService }): Promise<void> {
  registerEndpoint(app, endpoints.listDocuments, async (request) => documents.listDocuments(request.principal, request.query));
  registerEndpoint(app, endpoints.createDocument, async (request) => documents.createDocument(request.principal, request.body));
  registerEndpoint(app, endpoints.getDocument, async (request) => documents.getDocument(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateDocument, async (request) =>
    documents.updateDocument(request.principal, request.params.id, request.body),
  );
  // A full update is a revision with every field given: the schema filled the left-out ones with their defaults.
  registerEndpoint(app, endpoints.replaceDocument, async (request) =>
    documents.updateDocument(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteDocument, async (request) => {
    await documents.deleteDocument(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.listDocumentVersions, async (request) =>
    documents.listDocumentVersions(request.principal, request.params.id, request.query),
  );
  registerEndpoint(app, endpoints.getDocumentVersion, async (request) =>
    documents.getDocumentVersion(request.principal, request.params.id, request.params.version),
  );
  registerEndpoint(app, endpoints.restoreDocumentVersion, async (request) =>
    documents.restoreDocumentVersion(request.principal, request.params.id, request.params.version, request.body),
  );
}
