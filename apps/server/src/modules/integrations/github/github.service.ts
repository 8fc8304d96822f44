import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  CreateGithubConnectionInput,
  GithubConnection,
  GithubConnectionWithSecret,
  GithubFile,
  GithubSearchResult,
  GithubSyncResult,
  UpdateGithubConnectionInput,
} from '@mission-control/contracts';
import { z } from 'zod';
import { assertCan } from '../../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../../auth/principal.js';
import { createId } from '../../../core/ids.js';
import type { ServiceContext } from '../../../core/service-context.js';
import { appendEvent, findLatestEventSeq } from '../../../events/event.repository.js';
import { AppError } from '../../../http/app-error.js';
import {
  acquireGithubSyncLease,
  countIssueLinks,
  deleteGithubConnection,
  findGithubConnection,
  findGithubConnectionById,
  findGithubConnectionByRepository,
  findPullRequestByNumber,
  type GithubConnectionRow,
  insertGithubConnection,
  listEnabledGithubConnections,
  listGithubConnections,
  listOpenPullRequests,
  releaseGithubSyncLease,
  updateGithubConnection,
} from './github.repository.js';
import { githubCommentSchema, githubIssueSchema, githubPullSchema } from './github-client.js';
import { createGithubSync, type GithubSyncDependencies, readAssigneeMapping, readCapabilityMapping } from './github-sync.js';

export interface GithubSettings {
  /** MISSION_GITHUB_API_URL: api.github.com, a GitHub Enterprise API, or a local fake in tests. */
  apiUrl: string;
  /** How often the worker polls each connection. */
  pollIntervalMs?: number;
  /** How long a sync lease lasts when its holder dies mid-sync. */
  leaseMs?: number;
}

const fileCharacterLimit = 200_000;
const emptyResult: GithubSyncResult = { notModified: true, imported: 0, updated: 0, comments: 0, merged: 0 };

function equalText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the body carries GitHub's X-Hub-Signature-256 made with the secret (compared in constant time). */
export function isGithubSignatureValid(secret: string, rawBody: string, header: string | undefined): boolean {
  const signature = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '')?.[1];
  if (!signature) return false;
  return equalText(signature.toLowerCase(), createHmac('sha256', secret).update(rawBody).digest('hex'));
}

const issuesPayloadSchema = z.object({ action: z.string(), issue: githubIssueSchema });
const commentPayloadSchema = z.object({ action: z.string(), issue: githubIssueSchema, comment: githubCommentSchema });
const pullPayloadSchema = z.object({ action: z.string(), pull_request: githubPullSchema });

export type GithubService = ReturnType<typeof createGithubService>;

/**
 * GitHub connections: a repository connected with a token, its labelled issues imported as tasks
 * and kept in sync both ways (github-sync.ts), polled by the integrations worker under a lease
 * per connection and told of changes by GitHub's signed webhook; and code search and file reads
 * for agents, made with the connection's token, which never leaves the server.
 */
export function createGithubService(context: ServiceContext, dependencies: GithubSyncDependencies, settings: GithubSettings) {
  const { db, clock } = context;
  const { outbound } = dependencies;
  const sync = createGithubSync(context, dependencies, { apiUrl: settings.apiUrl });
  const pollIntervalMs = settings.pollIntervalMs ?? 60_000;
  const leaseMs = settings.leaseMs ?? 120_000;
  const holder = createId();

  async function toConnection(row: GithubConnectionRow): Promise<GithubConnection> {
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      owner: row.owner,
      repo: row.repo,
      label: row.label,
      capabilityMapping: readCapabilityMapping(row),
      assigneeMapping: readAssigneeMapping(row),
      enabled: row.disabled_at === null,
      webhookPath: `/api/v1/integrations/github/${row.id}/events`,
      sync: {
        lastPolledAt: row.last_polled_at,
        lastChangedAt: row.last_changed_at,
        lastError: row.last_error,
        importedIssues: await countIssueLinks(db, row.id),
        openPullRequests: (await listOpenPullRequests(db, row.id)).length,
      },
      createdBy: { kind: row.created_by_kind, id: row.created_by_id },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function requireConnection(principal: Principal, connectionId: string): Promise<GithubConnectionRow> {
    const row = await findGithubConnection(db, principal.workspaceId, connectionId);
    if (!row) {
      throw new AppError(
        'GITHUB_CONNECTION_NOT_FOUND',
        'No GitHub connection with this id in the workspace. List them with GET /api/v1/integrations/github.',
      );
    }
    return row;
  }

  function requireEnabled(row: GithubConnectionRow): void {
    if (row.disabled_at) {
      throw new AppError('GITHUB_CONNECTION_DISABLED', 'This GitHub connection is disabled. An owner or admin can enable it with PATCH.');
    }
  }

  /** Runs work under the connection's sync lease; answers null when another instance holds it. */
  async function withLease<Result>(connectionId: string, work: () => Promise<Result>): Promise<Result | null> {
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + leaseMs).toISOString();
    if (!(await acquireGithubSyncLease(db, connectionId, holder, now.toISOString(), expiresAt))) return null;
    try {
      return await work();
    } finally {
      await releaseGithubSyncLease(db, connectionId, holder);
    }
  }

  async function recordError(connectionId: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await updateGithubConnection(db, connectionId, { last_error: message.slice(0, 1_000) });
  }

  /** Reads the row again inside the lease: another instance may have moved its cursor or ETags. */
  async function freshRow(connectionId: string): Promise<GithubConnectionRow | null> {
    const row = await findGithubConnectionById(db, connectionId);
    return row && row.disabled_at === null ? row : null;
  }

  async function receiveIssues(row: GithubConnectionRow, payload: unknown): Promise<boolean> {
    const parsed = issuesPayloadSchema.safeParse(payload);
    if (!parsed.success) return false;
    const outcome = await sync.importIssue(row, await sync.actorOf(row), parsed.data.issue);
    return outcome !== 'ignored';
  }

  async function receiveComment(row: GithubConnectionRow, payload: unknown): Promise<boolean> {
    const parsed = commentPayloadSchema.safeParse(payload);
    if (!parsed.success || parsed.data.action !== 'created') return false;
    return sync.bringComment(row, await sync.actorOf(row), parsed.data.comment);
  }

  async function receivePull(row: GithubConnectionRow, payload: unknown): Promise<boolean> {
    const parsed = pullPayloadSchema.safeParse(payload);
    if (!parsed.success || parsed.data.action !== 'closed') return false;
    const pull = await findPullRequestByNumber(db, row.id, parsed.data.pull_request.number);
    if (pull?.state !== 'open') return false;
    return sync.settlePull(row, await sync.actorOf(row), pull, parsed.data.pull_request);
  }

  return {
    async createGithubConnection(principal: Principal, input: CreateGithubConnectionInput): Promise<GithubConnectionWithSecret> {
      assertCan(principal, 'integration:manage');
      if (principal.kind !== 'user')
        throw new AppError('FORBIDDEN', 'A GitHub connection acts in the name of a person: connect it signed in as one.');
      if (await findGithubConnectionByRepository(db, principal.workspaceId, input.owner, input.repo)) {
        throw new AppError(
          'GITHUB_CONNECTION_EXISTS',
          `${input.owner}/${input.repo} is already connected to this workspace. Change that connection with PATCH instead.`,
        );
      }
      const webhookSecret = randomBytes(32).toString('hex');
      const now = clock.now();
      const at = now.toISOString();
      const row = {
        id: createId(),
        workspace_id: principal.workspaceId,
        owner: input.owner,
        repo: input.repo,
        label: input.label,
        capability_mapping: JSON.stringify(input.capabilityMapping),
        assignee_mapping: JSON.stringify(input.assigneeMapping),
        token: outbound.sealSecret(input.token),
        webhook_secret: outbound.sealSecret(webhookSecret),
        disabled_at: null,
        cursor_seq: await findLatestEventSeq(db),
        issues_etag: null,
        comments_etag: null,
        comments_since: null,
        last_polled_at: null,
        last_changed_at: null,
        last_error: null,
        lease_holder: null,
        lease_expires_at: null,
        created_by_kind: principal.kind,
        created_by_id: principal.id,
        created_at: at,
        updated_at: at,
      } satisfies GithubConnectionRow;
      await db.transaction().execute(async (trx) => {
        await insertGithubConnection(trx, row);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'github-connection-created',
          actor: toPrincipalReference(principal),
          summary: `GitHub repository ${input.owner}/${input.repo} connected (label "${input.label}")`,
          data: { connectionId: row.id, owner: input.owner, repo: input.repo, label: input.label },
          at: now,
        });
      });
      return { ...(await toConnection(row)), webhookSecret };
    },

    async listGithubConnections(principal: Principal): Promise<{ data: GithubConnection[] }> {
      assertCan(principal, 'workspace:read');
      const rows = await listGithubConnections(db, principal.workspaceId);
      return { data: await Promise.all(rows.map(toConnection)) };
    },

    async updateGithubConnection(
      principal: Principal,
      connectionId: string,
      input: UpdateGithubConnectionInput,
    ): Promise<GithubConnection> {
      assertCan(principal, 'integration:manage');
      const row = await requireConnection(principal, connectionId);
      const now = clock.now();
      const labelChanged = input.label !== undefined && input.label !== row.label;
      const changes = {
        ...(input.token !== undefined ? { token: outbound.sealSecret(input.token), last_error: null } : {}),
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(labelChanged ? { issues_etag: null } : {}),
        ...(input.capabilityMapping !== undefined ? { capability_mapping: JSON.stringify(input.capabilityMapping) } : {}),
        ...(input.assigneeMapping !== undefined ? { assignee_mapping: JSON.stringify(input.assigneeMapping) } : {}),
        ...(input.enabled !== undefined ? { disabled_at: input.enabled ? null : (row.disabled_at ?? now.toISOString()) } : {}),
        // Enabled again: status changes made while it was off are not replayed to GitHub.
        ...(input.enabled === true && row.disabled_at ? { cursor_seq: await findLatestEventSeq(db) } : {}),
        updated_at: now.toISOString(),
      };
      await db.transaction().execute(async (trx) => {
        await updateGithubConnection(trx, row.id, changes);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'github-connection-updated',
          actor: toPrincipalReference(principal),
          summary: `GitHub connection ${row.owner}/${row.repo} changed (${Object.keys(input).join(', ')})`,
          data: { connectionId: row.id, changes: Object.keys(input) },
          at: now,
        });
      });
      return toConnection({ ...row, ...changes });
    },

    async deleteGithubConnection(principal: Principal, connectionId: string): Promise<void> {
      assertCan(principal, 'integration:manage');
      const row = await requireConnection(principal, connectionId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await deleteGithubConnection(trx, row.id);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'github-connection-deleted',
          actor: toPrincipalReference(principal),
          summary: `GitHub repository ${row.owner}/${row.repo} disconnected`,
          data: { connectionId: row.id },
          at: now,
        });
      });
    },

    /** Polls one connection now (under its lease); a GitHub failure is recorded on it and answered 502. */
    async syncGithubConnection(principal: Principal, connectionId: string): Promise<GithubSyncResult> {
      assertCan(principal, 'integration:manage');
      requireEnabled(await requireConnection(principal, connectionId));
      const result = await withLease(connectionId, async () => {
        const row = await freshRow(connectionId);
        if (!row) return emptyResult;
        try {
          return await sync.pollConnection(row);
        } catch (error) {
          await recordError(connectionId, error);
          throw error;
        }
      });
      return result ?? emptyResult;
    },

    /** GitHub's webhook: the signature first, then the event under the connection's lease. */
    async receiveGithubEvent(
      connectionId: string,
      call: { rawBody: string; payload: unknown; event: string | undefined; signature: string | undefined },
    ): Promise<{ accepted: boolean; event: string }> {
      const row = await findGithubConnectionById(db, connectionId);
      if (!row) throw new AppError('GITHUB_CONNECTION_NOT_FOUND', 'No GitHub connection with this id. Check the webhook URL on GitHub.');
      const secret = outbound.openSecret(row.webhook_secret);
      if (!secret || !isGithubSignatureValid(secret, call.rawBody, call.signature)) {
        throw new AppError(
          'GITHUB_SIGNATURE_INVALID',
          "The body is not signed with this connection's webhook secret. Set the secret shown when the repository was connected in GitHub's webhook settings.",
        );
      }
      requireEnabled(row);
      const event = call.event ?? 'unknown';
      const handlers: Record<string, (current: GithubConnectionRow, payload: unknown) => Promise<boolean>> = {
        issues: receiveIssues,
        issue_comment: receiveComment,
        pull_request: receivePull,
      };
      const handler = handlers[event];
      if (!handler) return { accepted: false, event };
      const accepted = await withLease(row.id, async () => {
        const current = await freshRow(row.id);
        if (!current) return false;
        const changed = await handler(current, call.payload);
        if (changed) await updateGithubConnection(db, row.id, { last_changed_at: clock.now().toISOString() });
        return changed;
      });
      if (accepted === null) {
        // Another instance is syncing this connection: its next poll picks the change up.
        await updateGithubConnection(db, row.id, { last_polled_at: null });
        return { accepted: true, event };
      }
      return { accepted, event };
    },

    async searchGithubCode(principal: Principal, connectionId: string, query: { q: string; limit: number }): Promise<GithubSearchResult> {
      assertCan(principal, 'workspace:read');
      const row = await requireConnection(principal, connectionId);
      requireEnabled(row);
      const answer = await sync.clientFor(row).searchCode(query.q, query.limit);
      return {
        totalCount: answer.total_count,
        items: answer.items.slice(0, query.limit).map((item) => ({ path: item.path, sha: item.sha, url: item.html_url })),
      };
    },

    async readGithubFile(
      principal: Principal,
      connectionId: string,
      query: { path: string; ref?: string | undefined },
    ): Promise<GithubFile> {
      assertCan(principal, 'workspace:read');
      const row = await requireConnection(principal, connectionId);
      requireEnabled(row);
      const file = await sync.clientFor(row).readFile(query.path, query.ref);
      if (!file) {
        throw new AppError(
          'GITHUB_FILE_NOT_FOUND',
          `No file at ${query.path}${query.ref ? ` on ${query.ref}` : ''} in ${row.owner}/${row.repo}. Search with GET …/search to find the path.`,
        );
      }
      const text = file.encoding === 'base64' ? Buffer.from(file.content ?? '', 'base64').toString('utf8') : (file.content ?? '');
      return {
        path: file.path,
        ref: query.ref ?? null,
        sha: file.sha,
        size: file.size,
        content: text.slice(0, fileCharacterLimit),
        truncated: text.length > fileCharacterLimit,
      };
    },

    /**
     * The worker's step: for every enabled connection, under its lease, the events after its
     * cursor go to GitHub, then a poll when one is due. A failing connection keeps its error and
     * the others still run.
     */
    async syncGithub(): Promise<number> {
      let handled = 0;
      const now = clock.now().getTime();
      const latestSeq = await findLatestEventSeq(db);
      const isPollDue = (row: GithubConnectionRow) => !row.last_polled_at || now - Date.parse(row.last_polled_at) >= pollIntervalMs;
      for (const candidate of await listEnabledGithubConnections(db, 500)) {
        // Nothing to feed and no poll due: no lease taken, so an idle connection costs one read a tick.
        if (Number(candidate.cursor_seq) >= latestSeq && !isPollDue(candidate)) continue;
        await withLease(candidate.id, async () => {
          const row = await freshRow(candidate.id);
          if (!row) return;
          try {
            handled += await sync.feedConnection(row, latestSeq);
            if (isPollDue(row)) {
              const polled = await sync.pollConnection((await freshRow(row.id)) ?? row);
              handled += polled.imported + polled.updated + polled.comments + polled.merged;
            }
          } catch (error) {
            await recordError(row.id, error);
          }
        });
      }
      return handled;
    },
  };
}
