import { documentShareSchema, idSchema, maxShareDays } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool } from './agent-tools.js';
import { runTool, toolResult } from './results.js';
import { additiveTool, destructiveTool, readOnlyTool } from './tool-annotations.js';

/** share_document, list_document_shares, revoke_document_share: read-only links to a document for people without an account. */
export function createDocumentShareTools(client: MissionControl): AgentTool[] {
  // The server answers the link relative to its root when MISSION_PUBLIC_URL is not set.
  const absoluteUrl = (url: string) => new URL(url, `${client.baseUrl}/`).href;
  return [
    defineAgentTool({
      name: 'share_document',
      title: 'Share a document',
      description:
        'Make a read-only link to a document that anyone with the link can open without signing in (for a customer or another team). ' +
        `expiresInDays (1 to ${maxShareDays}) limits how long it works; left out, it works until revoked. ` +
        'Returns the URL, shown only in this answer: pass it on at once. Revoke it with revoke_document_share.',
      inputSchema: {
        documentId: idSchema,
        expiresInDays: z.number().int().min(1).max(maxShareDays).optional().describe('How many days the link works'),
      },
      outputSchema: { url: z.string().describe('The link, shown only in this answer'), share: documentShareSchema },
      annotations: additiveTool,
      run: ({ documentId, expiresInDays }) =>
        runTool(async () => {
          const created = await client.documents.share(documentId, expiresInDays === undefined ? {} : { expiresInDays });
          const expiry = created.share.expiresAt ? `expires ${created.share.expiresAt}` : 'never expires';
          return toolResult(
            `Share ${created.id} (${expiry}): ${absoluteUrl(created.url)}`,
            {
              shareId: created.id,
              url: absoluteUrl(created.url),
              expiresAt: created.share.expiresAt,
            },
            { url: absoluteUrl(created.url), share: created.share },
          );
        }),
    }),

    defineAgentTool({
      name: 'list_document_shares',
      title: 'List a document’s share links',
      description:
        'List the read-only links of a document, newest first, revoked and expired ones included: who made each, when it expires, how often it was opened. ' +
        'The URLs themselves are not shown again, only the first characters of their token.',
      inputSchema: { documentId: idSchema },
      outputSchema: { shares: z.array(documentShareSchema) },
      annotations: readOnlyTool,
      run: ({ documentId }) =>
        runTool(async () => {
          const shares = await client.documents.listShares(documentId);
          if (shares.length === 0)
            return toolResult('The document has no share links. Make one with share_document.', undefined, { shares });
          const lines = shares.map((share) => {
            const state = share.revokedAt ? `revoked ${share.revokedAt}` : share.expiresAt ? `expires ${share.expiresAt}` : 'never expires';
            return `- ${share.id} (${share.tokenPrefix}…) by ${share.createdByName} at ${share.createdAt}, ${state}, ${share.viewCount} view(s)`;
          });
          return toolResult(`${shares.length} share link(s):\n${lines.join('\n')}`, undefined, { shares });
        }),
    }),

    defineAgentTool({
      name: 'revoke_document_share',
      title: 'Revoke a share link',
      description:
        'Revoke a read-only link to a document (the shareId comes from share_document or list_document_shares): it stops working at once.',
      inputSchema: { documentId: idSchema, shareId: idSchema },
      outputSchema: { documentId: idSchema, revokedShareId: idSchema },
      annotations: destructiveTool,
      run: ({ documentId, shareId }) =>
        runTool(async () => {
          await client.documents.revokeShare(documentId, shareId);
          return toolResult(`Revoked share ${shareId}: the link answers 404 from now on.`, undefined, {
            documentId,
            revokedShareId: shareId,
          });
        }),
    }),
  ];
}
