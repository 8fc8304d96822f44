import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { DocumentShareService } from './document-share.service.js';
import { renderSharedDocumentPage, renderShareNotFoundPage, sharePageHeaders } from './share-page.js';

/** `/share/{token}` at the public URL (MISSION_PUBLIC_URL), or a path on this server without one. */
export function buildShareUrl(publicUrl: string | undefined, token: string): string {
  return `${publicUrl ?? ''}/share/${encodeURIComponent(token)}`;
}

export async function documentShareRoutes(
  app: FastifyInstance,
  { shares, publicUrl }: { shares: DocumentShareService; publicUrl: string | undefined },
): Promise<void> {
  registerEndpoint(app, endpoints.createDocumentShare, async (request) => {
    const created = await shares.createShare(request.principal, request.params.id, request.body);
    return { id: created.id, token: created.token, url: buildShareUrl(publicUrl, created.token), share: created.share };
  });
  registerEndpoint(app, endpoints.listDocumentShares, async (request) => shares.listShares(request.principal, request.params.id));
  registerEndpoint(app, endpoints.revokeDocumentShare, async (request) => {
    await shares.revokeShare(request.principal, request.params.id, request.params.shareId);
  });
}

const sharePageParamsSchema = z.object({ token: z.string().max(200) });

/**
 * `GET /share/{token}`: a page for people, not part of the API (no sign-in, HTML only). Every
 * answer that is not the document, a malformed token included, is the same 404 page.
 */
export async function sharePageRoutes(app: FastifyInstance, { shares }: { shares: DocumentShareService }): Promise<void> {
  app.get('/share/:token', async (request, reply) => {
    const params = sharePageParamsSchema.safeParse(request.params);
    const document = params.success ? await shares.viewSharedDocument(params.data.token) : undefined;
    reply.headers(sharePageHeaders).type('text/html; charset=utf-8');
    if (!document) return reply.code(404).send(renderShareNotFoundPage());
    return reply.send(renderSharedDocumentPage(document));
  });
}
