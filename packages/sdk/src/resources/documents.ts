import {
  type CreatedDocumentShare,
  type Document,
  type DocumentShare,
  type DocumentSummary,
  type DocumentTemplate,
  type DocumentVersion,
  type DocumentVersionSummary,
  endpoints,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters and page size of `documents.list`: the query of listDocuments without the cursor. */
export type ListDocumentsOptions = Omit<z.input<typeof endpoints.listDocuments.query>, 'cursor'>;

/** Page size of `documents.listVersions`. */
export type ListDocumentVersionsOptions = Omit<z.input<typeof endpoints.listDocumentVersions.query>, 'cursor'>;

/** Options of `documents.restoreVersion`. */
export type RestoreDocumentVersionOptions = z.input<typeof endpoints.restoreDocumentVersion.body>;

/** Versioned markdown documents. */
export class DocumentsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.documents`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists documents without their content: `for await` over all, or `.page()`. */
  list(options: ListDocumentsOptions = {}): PageIterator<DocumentSummary> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listDocuments, { query: { ...options, cursor } }));
  }

  /** Creates a document (version 1). */
  create(input: z.input<typeof endpoints.createDocument.body>): Promise<Document> {
    return this.context.transport.call(endpoints.createDocument, { body: input });
  }

  /** Fetches a document with its content. */
  get(documentId: string): Promise<Document> {
    return this.context.transport.call(endpoints.getDocument, { params: { id: documentId } });
  }

  /** Writes a new version; pass baseVersion to get 409 instead of overwriting someone else's edit. */
  update(documentId: string, input: z.input<typeof endpoints.updateDocument.body>): Promise<Document> {
    return this.context.transport.call(endpoints.updateDocument, { params: { id: documentId }, body: input });
  }

  /** Replaces every editable field as a new version (left-out fields take their defaults); baseVersion guards as in update. */
  replace(documentId: string, input: z.input<typeof endpoints.replaceDocument.body>): Promise<Document> {
    return this.context.transport.call(endpoints.replaceDocument, { params: { id: documentId }, body: input });
  }

  /** Deletes a document with its versions. */
  async delete(documentId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteDocument, { params: { id: documentId } });
  }

  /** Lists a document's versions, newest first. */
  listVersions(documentId: string, options: ListDocumentVersionsOptions = {}): PageIterator<DocumentVersionSummary> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listDocumentVersions, { params: { id: documentId }, query: { ...options, cursor } }),
    );
  }

  /** Fetches one version of a document with its content. */
  getVersion(documentId: string, version: number): Promise<DocumentVersion> {
    return this.context.transport.call(endpoints.getDocumentVersion, { params: { id: documentId, version } });
  }

  /** Makes an old version current again, as a new version. */
  restoreVersion(documentId: string, version: number, options: RestoreDocumentVersionOptions = {}): Promise<Document> {
    return this.context.transport.call(endpoints.restoreDocumentVersion, { params: { id: documentId, version }, body: options });
  }

  /** Lists the document templates: the built-in ones, then the workspace's own. */
  async listTemplates(): Promise<DocumentTemplate[]> {
    return (await this.context.transport.call(endpoints.listDocumentTemplates)).data;
  }

  /** Adds a document template to the workspace; pass its id as `templateId` to `create`. */
  createTemplate(input: z.input<typeof endpoints.createDocumentTemplate.body>): Promise<DocumentTemplate> {
    return this.context.transport.call(endpoints.createDocumentTemplate, { body: input });
  }

  /** Makes a read-only link to a document (`/share/{token}`, no sign-in); the token is in this answer only. */
  share(documentId: string, input: z.input<typeof endpoints.createDocumentShare.body> = {}): Promise<CreatedDocumentShare> {
    return this.context.transport.call(endpoints.createDocumentShare, { params: { id: documentId }, body: input });
  }

  /** Lists a document's links with their views, newest first (never their tokens). */
  async listShares(documentId: string): Promise<DocumentShare[]> {
    return (await this.context.transport.call(endpoints.listDocumentShares, { params: { id: documentId } })).data;
  }

  /** Revokes a link: it answers 404 from now on. */
  async revokeShare(documentId: string, shareId: string): Promise<void> {
    await this.context.transport.call(endpoints.revokeDocumentShare, { params: { id: documentId, shareId } });
  }
}
