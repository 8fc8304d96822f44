import {
  type createDocumentSchema,
  type Document,
  type DocumentSummary,
  type DocumentType,
  type DocumentVersion,
  type DocumentVersionSummary,
  documentSchema,
  documentSummarySchema,
  documentVersionSchema,
  documentVersionSummarySchema,
  pageSchema,
  type updateDocumentSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of `documents.list`. */
export interface ListDocumentsOptions {
  type?: DocumentType;
  /** Documents of this task (id or key). */
  taskId?: string;
  /** Text to find. */
  q?: string;
  /** Items per page (1–200). */
  limit?: number;
}

const path = (documentId: string) => `/documents/${encodeURIComponent(documentId)}`;

/** Versioned markdown documents (`/documents`). */
export class DocumentsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.documents`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists documents without their content: `for await` over all, or `.page()`. */
  list(options: ListDocumentsOptions = {}): PageIterator<DocumentSummary> {
    return new PageIterator((cursor) =>
      this.context.transport.request({
        method: 'GET',
        path: '/documents',
        query: { ...options, cursor },
        schema: pageSchema(documentSummarySchema),
      }),
    );
  }

  /** Creates a document (version 1). */
  create(input: z.input<typeof createDocumentSchema>): Promise<Document> {
    return this.context.transport.request({ method: 'POST', path: '/documents', body: input, schema: documentSchema });
  }

  /** Fetches a document with its content. */
  get(documentId: string): Promise<Document> {
    return this.context.transport.request({ method: 'GET', path: path(documentId), schema: documentSchema });
  }

  /** Writes a new version; pass baseVersion to get 409 instead of overwriting someone else's edit. */
  update(documentId: string, input: z.input<typeof updateDocumentSchema>): Promise<Document> {
    return this.context.transport.request({ method: 'PATCH', path: path(documentId), body: input, schema: documentSchema });
  }

  /** Deletes a document with its versions. */
  async delete(documentId: string): Promise<void> {
    await this.context.transport.request({ method: 'DELETE', path: path(documentId), schema: z.undefined(), allowNoContent: true });
  }

  /** Lists a document's versions, newest first. */
  listVersions(documentId: string, options: { limit?: number } = {}): PageIterator<DocumentVersionSummary> {
    return new PageIterator((cursor) =>
      this.context.transport.request({
        method: 'GET',
        path: `${path(documentId)}/versions`,
        query: { ...options, cursor },
        schema: pageSchema(documentVersionSummarySchema),
      }),
    );
  }

  /** Fetches one version of a document with its content. */
  getVersion(documentId: string, version: number): Promise<DocumentVersion> {
    return this.context.transport.request({
      method: 'GET',
      path: `${path(documentId)}/versions/${version}`,
      schema: documentVersionSchema,
    });
  }

  /** Makes an old version current again, as a new version. */
  restoreVersion(documentId: string, version: number, options: { baseVersion?: number } = {}): Promise<Document> {
    return this.context.transport.request({
      method: 'POST',
      path: `${path(documentId)}/versions/${version}/restore`,
      body: options,
      schema: documentSchema,
    });
  }
}
