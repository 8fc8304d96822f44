import type {
  CreateDocumentShareInput,
  CreatedDocumentShare,
  Document,
  DocumentShare,
  PrincipalReference,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import { generateSecretToken, hashSecretToken } from '../../auth/secrets.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { DocumentService } from '../documents/document.service.js';
import { createWorkspacePeople } from '../messages/workspace-people.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  type DocumentShareRow,
  findDocumentShare,
  insertDocumentShare,
  listSharesOfDocument,
  recordDocumentShareView,
  revokeDocumentShareRow,
} from './document-share.repository.js';

export interface DocumentShareServiceDependencies {
  agents: AgentService;
  workspaces: WorkspaceService;
  documents: DocumentService;
}

/** Tokens start with this, so a leaked one is recognisable (secret scanners) and log lines redact it (`mc_…`). */
export const shareTokenPrefix = 'mc_share_';
/** How much of the token the list shows: the prefix and 6 random characters, 36 bits, too few to guess the rest from. */
const shownTokenLength = shareTokenPrefix.length + 6;
const dayMs = 24 * 60 * 60 * 1_000;
const maxLifetimeMs = 365 * dayMs;

export type DocumentShareService = ReturnType<typeof createDocumentShareService>;

export function createDocumentShareService(context: ServiceContext, dependencies: DocumentShareServiceDependencies) {
  const { db, clock } = context;
  const { documents, agents, workspaces } = dependencies;
  const people = createWorkspacePeople(dependencies);

  /** Names of the people and agents who made these links, by "kind:id". */
  async function loadCreatorNames(principal: Principal, creators: readonly PrincipalReference[]): Promise<Map<string, string>> {
    const agentIds = [...new Set(creators.filter((creator) => creator.kind === 'agent').map((creator) => creator.id))];
    const [foundAgents, members] = await Promise.all([
      agentIds.length > 0 ? agents.findAgents(principal, agentIds) : Promise.resolve([]),
      creators.some((creator) => creator.kind === 'user') ? workspaces.listMembers(principal) : Promise.resolve([]),
    ]);
    return new Map([
      ...foundAgents.map((agent) => [`agent:${agent.id}`, agent.name] as const),
      ...members.map((member) => [`user:${member.user.id}`, member.user.name] as const),
    ]);
  }

  function toDocumentShare(row: DocumentShareRow, names: Map<string, string>): DocumentShare {
    return {
      id: row.id,
      documentId: row.document_id,
      tokenPrefix: row.token_prefix,
      createdBy: { kind: row.created_by_kind, id: row.created_by_id },
      createdByName: names.get(`${row.created_by_kind}:${row.created_by_id}`) ?? 'someone who left',
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      viewCount: Number(row.view_count),
      lastViewedAt: row.last_viewed_at,
    };
  }

  function resolveExpiry(input: CreateDocumentShareInput, now: Date): string | null {
    if (input.expiresInDays !== undefined) return new Date(now.getTime() + input.expiresInDays * dayMs).toISOString();
    if (input.expiresAt === undefined) return null;
    const expiresAt = new Date(input.expiresAt);
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() - now.getTime() > maxLifetimeMs) {
      throw new AppError(
        'VALIDATION_FAILED',
        'expiresAt must be in the future and at most 365 days away. Pick another date, or send expiresInDays.',
        {
          issues: [{ path: ['expiresAt'], message: 'Out of range' }],
        },
      );
    }
    return expiresAt.toISOString();
  }

  return {
    /** Makes a link; the token is in this answer only. */
    async createShare(
      principal: Principal,
      documentId: string,
      input: CreateDocumentShareInput,
    ): Promise<Omit<CreatedDocumentShare, 'url'>> {
      assertCan(principal, 'work:write');
      const document = await documents.getDocument(principal, documentId);
      const actor = toPrincipalReference(principal);
      const actorName = await people.describeActor(principal);
      const names = await loadCreatorNames(principal, [actor]);
      const now = clock.now();
      const token = generateSecretToken(shareTokenPrefix);
      const row: DocumentShareRow = {
        id: createId(),
        workspace_id: principal.workspaceId,
        document_id: document.id,
        token_hash: hashSecretToken(token),
        token_prefix: token.slice(0, shownTokenLength),
        created_by_kind: actor.kind,
        created_by_id: actor.id,
        created_at: now.toISOString(),
        expires_at: resolveExpiry(input, now),
        revoked_at: null,
        view_count: 0,
        last_viewed_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await insertDocumentShare(trx, row);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'document-shared',
          actor,
          taskId: document.taskId,
          summary: `${actorName} made a read-only link to "${document.title}"`,
          data: { documentId: document.id, shareId: row.id, title: document.title, expiresAt: row.expires_at },
          at: now,
        });
      });
      return { id: row.id, token, share: toDocumentShare(row, names) };
    },

    async listShares(principal: Principal, documentId: string): Promise<{ data: DocumentShare[] }> {
      assertCan(principal, 'workspace:read');
      const document = await documents.getDocument(principal, documentId);
      const rows = await listSharesOfDocument(db, principal.workspaceId, document.id);
      const names = await loadCreatorNames(
        principal,
        rows.map((row) => ({ kind: row.created_by_kind, id: row.created_by_id })),
      );
      return { data: rows.map((row) => toDocumentShare(row, names)) };
    },

    async revokeShare(principal: Principal, documentId: string, shareId: string): Promise<void> {
      assertCan(principal, 'work:write');
      const document = await documents.getDocument(principal, documentId);
      const actorName = await people.describeActor(principal);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const share = await findDocumentShare(trx, principal.workspaceId, document.id, shareId);
        if (!share) {
          throw new AppError(
            'DOCUMENT_SHARE_NOT_FOUND',
            `Document ${documentId} has no link ${shareId}. List its links with GET /api/v1/documents/${documentId}/shares.`,
          );
        }
        if (!(await revokeDocumentShareRow(trx, share.id, now.toISOString()))) return;
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'document-share-revoked',
          actor: toPrincipalReference(principal),
          taskId: document.taskId,
          summary: `${actorName} revoked a read-only link to "${document.title}"`,
          data: { documentId: document.id, shareId: share.id, title: document.title },
          at: now,
        });
      });
    },

    /**
     * The document behind a token, counting the view; undefined for a token that is unknown,
     * revoked or expired, or whose document is gone. The token is the credential: no sign-in.
     */
    async viewSharedDocument(token: string): Promise<Document | undefined> {
      if (!token.startsWith(shareTokenPrefix)) return undefined;
      const share = await recordDocumentShareView(db, hashSecretToken(token), clock.now().toISOString());
      if (!share) return undefined;
      try {
        return await documents.getDocument(systemPrincipal(share.workspace_id), share.document_id);
      } catch (error) {
        if (error instanceof AppError && error.code === 'DOCUMENT_NOT_FOUND') return undefined;
        throw error;
      }
    },
  };
}
