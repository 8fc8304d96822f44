import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DatabaseExecutor } from '../../../db/database.js';
import type {
  GithubCommentMarkTable,
  GithubConnectionTable,
  GithubIssueLinkTable,
  GithubIssueState,
  GithubPullRequestState,
  GithubPullRequestTable,
} from '../../../db/schema.js';

export type GithubConnectionRow = Selectable<GithubConnectionTable>;
export type GithubIssueLinkRow = Selectable<GithubIssueLinkTable>;
export type GithubPullRequestRow = Selectable<GithubPullRequestTable>;

export async function insertGithubConnection(executor: DatabaseExecutor, row: Insertable<GithubConnectionTable>): Promise<void> {
  await executor.insertInto('github_connections').values(row).execute();
}

export function findGithubConnection(executor: DatabaseExecutor, workspaceId: string, connectionId: string) {
  return executor
    .selectFrom('github_connections')
    .selectAll()
    .where('id', '=', connectionId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** By id alone: GitHub's webhook names only the connection. */
export function findGithubConnectionById(executor: DatabaseExecutor, connectionId: string) {
  return executor.selectFrom('github_connections').selectAll().where('id', '=', connectionId).executeTakeFirst();
}

export function findGithubConnectionByRepository(executor: DatabaseExecutor, workspaceId: string, owner: string, repo: string) {
  return executor
    .selectFrom('github_connections')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('owner', '=', owner)
    .where('repo', '=', repo)
    .executeTakeFirst();
}

/** Newest first. */
export function listGithubConnections(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('github_connections').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').execute();
}

/** Enabled connections of every workspace, for the worker. */
export function listEnabledGithubConnections(executor: DatabaseExecutor, limit: number) {
  return executor.selectFrom('github_connections').selectAll().where('disabled_at', 'is', null).orderBy('id').limit(limit).execute();
}

export async function updateGithubConnection(
  executor: DatabaseExecutor,
  connectionId: string,
  changes: Updateable<GithubConnectionTable>,
): Promise<void> {
  await executor.updateTable('github_connections').set(changes).where('id', '=', connectionId).execute();
}

export async function deleteGithubConnection(executor: DatabaseExecutor, connectionId: string): Promise<void> {
  await executor.deleteFrom('github_connections').where('id', '=', connectionId).execute();
}

/** Takes the connection's sync lease when nobody holds an unexpired one; answers whether it did. */
export async function acquireGithubSyncLease(
  executor: DatabaseExecutor,
  connectionId: string,
  holder: string,
  now: string,
  expiresAt: string,
): Promise<boolean> {
  const result = await executor
    .updateTable('github_connections')
    .set({ lease_holder: holder, lease_expires_at: expiresAt })
    .where('id', '=', connectionId)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseGithubSyncLease(executor: DatabaseExecutor, connectionId: string, holder: string): Promise<void> {
  await executor
    .updateTable('github_connections')
    .set({ lease_holder: null, lease_expires_at: null })
    .where('id', '=', connectionId)
    .where('lease_holder', '=', holder)
    .execute();
}

export async function insertGithubIssueLink(executor: DatabaseExecutor, row: Insertable<GithubIssueLinkTable>): Promise<void> {
  await executor.insertInto('github_issue_links').values(row).execute();
}

export function findIssueLinkByNumber(executor: DatabaseExecutor, connectionId: string, issueNumber: number) {
  return executor
    .selectFrom('github_issue_links')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('issue_number', '=', issueNumber)
    .executeTakeFirst();
}

export function findIssueLinkByTask(executor: DatabaseExecutor, connectionId: string, taskId: string) {
  return executor
    .selectFrom('github_issue_links')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('task_id', '=', taskId)
    .executeTakeFirst();
}

/** Records the issue's state as this server last saw or set it. */
export async function setIssueLinkState(executor: DatabaseExecutor, linkId: string, state: GithubIssueState): Promise<void> {
  await executor.updateTable('github_issue_links').set({ issue_state: state }).where('id', '=', linkId).execute();
}

export async function countIssueLinks(executor: DatabaseExecutor, connectionId: string): Promise<number> {
  const row = await executor
    .selectFrom('github_issue_links')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function insertGithubPullRequest(executor: DatabaseExecutor, row: Insertable<GithubPullRequestTable>): Promise<void> {
  await executor.insertInto('github_pull_requests').values(row).execute();
}

export function findPullRequestByBranch(executor: DatabaseExecutor, connectionId: string, branch: string) {
  return executor
    .selectFrom('github_pull_requests')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('branch', '=', branch)
    .executeTakeFirst();
}

export function findPullRequestByNumber(executor: DatabaseExecutor, connectionId: string, number: number) {
  return executor
    .selectFrom('github_pull_requests')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export function listOpenPullRequests(executor: DatabaseExecutor, connectionId: string) {
  return executor
    .selectFrom('github_pull_requests')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'open')
    .orderBy('number')
    .execute();
}

/** Moves a pull request from open to its final state; answers whether this call did (once, across instances). */
export async function closePullRequestRow(
  executor: DatabaseExecutor,
  pullRequestId: string,
  state: Exclude<GithubPullRequestState, 'open'>,
  at: string,
): Promise<boolean> {
  const result = await executor
    .updateTable('github_pull_requests')
    .set({ state, updated_at: at })
    .where('id', '=', pullRequestId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setPullRequestEtag(executor: DatabaseExecutor, pullRequestId: string, etag: string | null): Promise<void> {
  await executor.updateTable('github_pull_requests').set({ etag }).where('id', '=', pullRequestId).execute();
}

/** Marks a comment as seen; answers false when it already was (posted by us, or brought in before). */
export async function markGithubComment(executor: DatabaseExecutor, row: Insertable<GithubCommentMarkTable>): Promise<boolean> {
  const result = await executor
    .insertInto('github_comment_marks')
    .values(row)
    .onConflict((conflict) => conflict.columns(['connection_id', 'comment_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function isGithubCommentMarked(executor: DatabaseExecutor, connectionId: string, commentId: number): Promise<boolean> {
  const row = await executor
    .selectFrom('github_comment_marks')
    .select('comment_id')
    .where('connection_id', '=', connectionId)
    .where('comment_id', '=', commentId)
    .executeTakeFirst();
  return row !== undefined;
}
