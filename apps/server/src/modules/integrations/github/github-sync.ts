import type { Activity, GithubSyncResult, Task } from '@mission-control/contracts';
import { z } from 'zod';
import { type Principal, systemPrincipal } from '../../../auth/principal.js';
import { createId } from '../../../core/ids.js';
import type { ServiceContext } from '../../../core/service-context.js';
import { parseJsonColumn } from '../../../db/database.js';
import { appendEvent, listEventsAfter, toActivity } from '../../../events/event.repository.js';
import { AppError } from '../../../http/app-error.js';
import type { MessageService } from '../../messages/message.service.js';
import type { TaskService } from '../../tasks/task.service.js';
import type { WorkspaceService } from '../../workspaces/workspace.service.js';
import type { OutboundService } from '../outbound/outbound.service.js';
import {
  closePullRequestRow,
  findIssueLinkByNumber,
  findIssueLinkByTask,
  findPullRequestByBranch,
  type GithubConnectionRow,
  type GithubPullRequestRow,
  insertGithubIssueLink,
  insertGithubPullRequest,
  isGithubCommentMarked,
  listOpenPullRequests,
  markGithubComment,
  setIssueLinkState,
  setPullRequestEtag,
  updateGithubConnection,
} from './github.repository.js';
import {
  createGithubClient,
  type GithubClient,
  type GithubComment,
  type GithubIssue,
  type GithubPull,
  issueNumberOf,
  labelNames,
} from './github-client.js';
import { createGithubTaskMoves } from './github-task-moves.js';

/** Put in every comment this server posts, so neither the poll nor the webhook brings it back. */
export const ownCommentMarker = '<!-- mission-control -->';

const capabilityMappingSchema = z.record(z.string(), z.string());
const assigneeMappingSchema = z.record(z.string(), z.object({ kind: z.enum(['user', 'agent']), id: z.string() }));

export function readCapabilityMapping(row: GithubConnectionRow): Record<string, string> {
  return parseJsonColumn(capabilityMappingSchema, row.capability_mapping, 'github_connections.capability_mapping');
}

export function readAssigneeMapping(row: GithubConnectionRow): Record<string, { kind: 'user' | 'agent'; id: string }> {
  return parseJsonColumn(assigneeMappingSchema, row.assignee_mapping, 'github_connections.assignee_mapping');
}

/** Whether a GitHub failure may pass on its own (so the feed waits and tries the same event again). */
function isPassingFailure(error: unknown): boolean {
  if (!(error instanceof AppError) || error.code !== 'GITHUB_REQUEST_FAILED') return false;
  const status = z.object({ status: z.number().nullable() }).safeParse(error.details);
  const code = status.success ? status.data.status : null;
  return code === null || code >= 500 || code === 429 || code === 403;
}

export interface GithubSyncDependencies {
  outbound: OutboundService;
  tasks: TaskService;
  messages: MessageService;
  workspaces: WorkspaceService;
}

export type GithubSync = ReturnType<typeof createGithubSync>;

/**
 * What moves between GitHub and the board, whether a poll or a webhook brought it: issues become
 * tasks, comments become messages, merged pull requests finish tasks; and the other way, the
 * events of linked tasks (status changes, runner branches) become comments, closed or reopened
 * issues and pull requests. Every step is done in the name of the person who connected the
 * repository, with their role as it is now.
 */
export function createGithubSync(context: ServiceContext, dependencies: GithubSyncDependencies, settings: { apiUrl: string }) {
  const { db, clock } = context;
  const { tasks, messages, outbound } = dependencies;
  const moves = createGithubTaskMoves({ db, tasks, messages });

  function clientFor(row: GithubConnectionRow): GithubClient {
    const token = outbound.openSecret(row.token);
    if (!token) {
      throw new AppError(
        'GITHUB_REQUEST_FAILED',
        'The stored token cannot be opened (the instance secret changed). Set a new token with PATCH.',
        { status: null },
      );
    }
    return createGithubClient({ baseUrl: settings.apiUrl, token, owner: row.owner, repo: row.repo });
  }

  /** The person who connected the repository, as a principal with their current role. */
  async function actorOf(row: GithubConnectionRow): Promise<Principal> {
    const member = (await dependencies.workspaces.listMembers(systemPrincipal(row.workspace_id))).find(
      (candidate) => candidate.user.id === row.created_by_id,
    );
    if (!member) {
      throw new AppError(
        'FORBIDDEN',
        'The person who connected this repository is no longer a member of the workspace. An owner or admin must connect it again.',
      );
    }
    return { kind: 'user', id: member.user.id, workspaceId: row.workspace_id, role: member.role, sessionId: null };
  }

  function descriptionOf(issue: GithubIssue): string {
    const body = (issue.body ?? '').trim();
    return `${body}${body ? '\n\n' : ''}Imported from GitHub: ${issue.html_url}`;
  }

  async function importIssue(row: GithubConnectionRow, actor: Principal, issue: GithubIssue): Promise<'imported' | 'updated' | 'ignored'> {
    if (issue.pull_request !== undefined && issue.pull_request !== null) return 'ignored';
    const labels = labelNames(issue);
    const link = await findIssueLinkByNumber(db, row.id, issue.number);
    if (link) {
      const task = await tasks.getTask(actor, link.task_id);
      const title = issue.title.slice(0, 300);
      const description = descriptionOf(issue);
      const edited = task.title !== title || task.description !== description;
      if (edited) await tasks.updateTask(actor, link.task_id, { title, description });
      const moved = await moves.followIssueState(actor, link, issue);
      return edited || moved ? 'updated' : 'ignored';
    }
    if (issue.state !== 'open' || !labels.includes(row.label)) return 'ignored';
    const capabilityMapping = readCapabilityMapping(row);
    const assigneeMapping = readAssigneeMapping(row);
    const requiredCapabilities = [...new Set(labels.flatMap((label) => (capabilityMapping[label] ? [capabilityMapping[label]] : [])))];
    const assignees = (issue.assignees ?? []).flatMap((assignee) =>
      assigneeMapping[assignee.login] ? [assigneeMapping[assignee.login]] : [],
    );
    const task = await tasks.createTask(actor, {
      title: issue.title.slice(0, 300),
      description: descriptionOf(issue),
      priority: 'medium',
      assignees: assignees.filter((entry): entry is { kind: 'user' | 'agent'; id: string } => entry !== undefined),
      dependencyIds: [],
      requiredCapabilities,
    });
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await insertGithubIssueLink(trx, {
        id: createId(),
        workspace_id: row.workspace_id,
        connection_id: row.id,
        issue_number: issue.number,
        task_id: task.id,
        url: issue.html_url,
        created_at: now.toISOString(),
      });
      await appendEvent(trx, {
        workspaceId: row.workspace_id,
        type: 'github-issue-imported',
        actor: { kind: actor.kind, id: actor.id },
        taskId: task.id,
        summary: `${task.key} imported from ${row.owner}/${row.repo}#${issue.number}`,
        data: { connectionId: row.id, issueNumber: issue.number, url: issue.html_url },
        at: now,
      });
    });
    return 'imported';
  }

  /** A comment on a linked issue becomes a message in the task's thread, once; ours are skipped. */
  async function bringComment(row: GithubConnectionRow, actor: Principal, comment: GithubComment): Promise<boolean> {
    const body = (comment.body ?? '').trim();
    if (!body || body.includes(ownCommentMarker)) return false;
    const issueNumber = issueNumberOf(comment);
    if (issueNumber === null) return false;
    const link = await findIssueLinkByNumber(db, row.id, issueNumber);
    if (!link) return false;
    if (await isGithubCommentMarked(db, row.id, comment.id)) return false;
    const author = comment.user?.login ?? 'someone';
    await messages.postMessage(actor, link.task_id, {
      content: `**@${author}** commented on GitHub (${comment.html_url}):\n\n${body}`.slice(0, 50_000),
      type: 'comment',
      attachments: [],
    });
    await markGithubComment(db, {
      connection_id: row.id,
      comment_id: comment.id,
      workspace_id: row.workspace_id,
      direction: 'received',
      created_at: clock.now().toISOString(),
    });
    return true;
  }

  /** Settles an open pull request that GitHub reports merged or closed; a merge moves the task to done. */
  async function settlePull(row: GithubConnectionRow, actor: Principal, pull: GithubPullRequestRow, github: GithubPull): Promise<boolean> {
    const merged = github.merged === true || Boolean(github.merged_at);
    if (!merged && github.state !== 'closed') return false;
    const now = clock.now();
    const settled = await db.transaction().execute(async (trx) => {
      if (!(await closePullRequestRow(trx, pull.id, merged ? 'merged' : 'closed', now.toISOString()))) return false;
      if (merged) {
        await appendEvent(trx, {
          workspaceId: row.workspace_id,
          type: 'github-pull-request-merged',
          actor: { kind: actor.kind, id: actor.id },
          taskId: pull.task_id,
          summary: `Pull request ${row.owner}/${row.repo}#${pull.number} merged`,
          data: { connectionId: row.id, number: pull.number, url: pull.url },
          at: now,
        });
      }
      return true;
    });
    if (!settled || !merged) return settled;
    await moves.moveTask(actor, pull.task_id, 'done', `Pull request #${pull.number} was merged`);
    return true;
  }

  async function pollConnection(row: GithubConnectionRow): Promise<GithubSyncResult> {
    const client = clientFor(row);
    const actor = await actorOf(row);
    const result: GithubSyncResult = { notModified: true, imported: 0, updated: 0, comments: 0, merged: 0 };
    const changes: { issues_etag?: string | null; comments_etag?: string | null; comments_since?: string | null } = {};

    // An issue the board refuses (a mapped assignee that was deleted, say) is reported, not retried
    // on every poll, and does not keep the other issues out.
    const refusals: string[] = [];
    const issues = await client.listLabelledIssues(row.label, row.issues_etag);
    if (!issues.notModified) {
      result.notModified = false;
      for (const issue of issues.body) {
        try {
          const outcome = await importIssue(row, actor, issue);
          if (outcome !== 'ignored') result[outcome] += 1;
        } catch (error) {
          if (!(error instanceof AppError) || error.code === 'GITHUB_REQUEST_FAILED') throw error;
          refusals.push(`#${issue.number}: ${error.message}`);
        }
      }
      changes.issues_etag = issues.etag;
    }

    const comments = await client.listCommentsSince(row.comments_since, row.comments_etag);
    if (!comments.notModified) {
      let newest = row.comments_since;
      for (const comment of comments.body) {
        if (await bringComment(row, actor, comment)) result.comments += 1;
        const stamp = comment.updated_at ?? comment.created_at ?? null;
        if (stamp && (!newest || stamp > newest)) newest = stamp;
      }
      changes.comments_etag = comments.etag;
      changes.comments_since = newest;
    }

    for (const pull of await listOpenPullRequests(db, row.id)) {
      const answer = await client.getPull(pull.number, pull.etag);
      if (answer.notModified) continue;
      if (await settlePull(row, actor, pull, answer.body)) result.merged += answer.body.merged || answer.body.merged_at ? 1 : 0;
      else await setPullRequestEtag(db, pull.id, answer.etag);
    }

    const now = clock.now().toISOString();
    const changed = result.imported + result.updated + result.comments + result.merged > 0;
    await updateGithubConnection(db, row.id, {
      ...changes,
      last_polled_at: now,
      last_error: refusals.length > 0 ? `Issues not imported: ${refusals.join('; ')}`.slice(0, 1_000) : null,
      ...(changed ? { last_changed_at: now } : {}),
    });
    return result;
  }

  async function commentOnIssue(row: GithubConnectionRow, client: GithubClient, issueNumber: number, text: string): Promise<void> {
    const comment = await client.createComment(issueNumber, `${text}\n\n${ownCommentMarker}`);
    await markGithubComment(db, {
      connection_id: row.id,
      comment_id: comment.id,
      workspace_id: row.workspace_id,
      direction: 'sent',
      created_at: clock.now().toISOString(),
    });
  }

  async function reportStatusChange(row: GithubConnectionRow, client: GithubClient, activity: Activity): Promise<void> {
    if (activity.type !== 'task-status-changed' || !activity.taskId) return;
    const link = await findIssueLinkByTask(db, row.id, activity.taskId);
    if (!link) return;
    const { key, from, to, reason } = activity.data;
    const closed = (status: string) => status === 'done' || status === 'cancelled';
    await commentOnIssue(row, client, link.issue_number, `${key} moved from **${from}** to **${to}**${reason ? `: ${reason}` : ''}.`);
    const state = closed(to) ? 'closed' : 'open';
    if (state === 'closed' && !closed(from))
      await client.setIssueState(link.issue_number, 'closed', to === 'done' ? 'completed' : 'not_planned');
    else if (state === 'open' && closed(from)) await client.setIssueState(link.issue_number, 'open', 'reopened');
    // Set by us, so the next poll does not take it for a change made on GitHub.
    if (state !== link.issue_state) await setIssueLinkState(db, link.id, state);
  }

  async function openPullRequest(row: GithubConnectionRow, client: GithubClient, activity: Activity): Promise<void> {
    if (activity.type !== 'run-finished' || !activity.taskId) return;
    const { branch, commit, outcome } = activity.data;
    if (outcome !== 'completed' || !branch || !commit) return;
    const link = await findIssueLinkByTask(db, row.id, activity.taskId);
    if (!link || (await findPullRequestByBranch(db, row.id, branch))) return;
    const task: Task = await tasks.getTask(systemPrincipal(row.workspace_id), activity.taskId);
    const base = await client.defaultBranch();
    const pull = await client.createPull({
      head: branch,
      base,
      title: `${task.key}: ${task.title}`.slice(0, 250),
      body: `Closes #${link.issue_number}\n\nMission Control task ${task.key}, pushed by a runner run (commit ${commit}).\n\n${ownCommentMarker}`,
    });
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await insertGithubPullRequest(trx, {
        id: createId(),
        workspace_id: row.workspace_id,
        connection_id: row.id,
        task_id: task.id,
        number: pull.number,
        branch,
        url: pull.html_url,
        state: 'open',
        etag: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      await appendEvent(trx, {
        workspaceId: row.workspace_id,
        type: 'github-pull-request-opened',
        actor: { kind: row.created_by_kind, id: row.created_by_id },
        taskId: task.id,
        summary: `Pull request ${row.owner}/${row.repo}#${pull.number} opened for ${task.key} from ${branch}`,
        data: { connectionId: row.id, number: pull.number, url: pull.html_url, branch },
        at: now,
      });
    });
    // Recorded on the task where people look: its thread.
    await messages.postMessage(await actorOf(row), task.id, {
      content: `Opened pull request #${pull.number} from \`${branch}\`: ${pull.html_url}`,
      type: 'status_update',
      attachments: [],
    });
  }

  /**
   * Sends the connection's share of the events after its cursor to GitHub, in order, moving the
   * cursor past each one once it is done. A failure that may pass (5xx, rate limit, no answer)
   * stops here and the same event is tried on the next tick; any other is recorded and skipped.
   */
  async function feedConnection(row: GithubConnectionRow, latestSeq: number, batchSize = 200): Promise<number> {
    const rows = await listEventsAfter(db, { afterSeq: Number(row.cursor_seq), limit: batchSize, workspaceId: row.workspace_id });
    // Events commit in sequence order, so when the page was not full nothing of this workspace lies
    // between the last one read and latestSeq: the cursor moves there once the page is done.
    const skipTo = rows.length < batchSize ? latestSeq : 0;
    if (rows.length === 0) {
      if (skipTo > Number(row.cursor_seq)) await updateGithubConnection(db, row.id, { cursor_seq: skipTo });
      return 0;
    }
    const client = clientFor(row);
    let handled = 0;
    for (const event of rows) {
      const activity = toActivity(event);
      try {
        await reportStatusChange(row, client, activity);
        await openPullRequest(row, client, activity);
      } catch (error) {
        if (isPassingFailure(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        await updateGithubConnection(db, row.id, { last_error: `${activity.type} #${activity.seq}: ${message}`.slice(0, 1_000) });
      }
      await updateGithubConnection(db, row.id, { cursor_seq: activity.seq });
      handled += 1;
    }
    const lastRead = rows[rows.length - 1]?.seq ?? 0;
    if (skipTo > lastRead) await updateGithubConnection(db, row.id, { cursor_seq: skipTo });
    return handled;
  }

  return { clientFor, actorOf, importIssue, bringComment, settlePull, pollConnection, feedConnection };
}
