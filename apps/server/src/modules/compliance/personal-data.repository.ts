import type { DatabaseExecutor } from '../../db/database.js';

// Why this module reads other modules' tables here instead of through their services:
// - sessions and api_keys belong to auth/, which is being reworked in parallel (API key controls);
//   auth offers revokeKeysOf (every workspace of an owner) and endSessionsOf, which erasure uses,
//   but no read of one person's keys and sessions, nor a revocation limited to one workspace.
// - messages, tasks and documents are read across every workspace of one person,
//   which no service offers (they all read within the caller's workspace, with its permissions).
// These are read-only queries (the one write, revokeApiKeysOfPersonInWorkspace, is an
// UPDATE of revoked_at like auth's own). Follow-up: move each into its module's service.

/** A person's sign-in sessions, times only: never a refresh token hash. */
export function listSessionsOfPerson(executor: DatabaseExecutor, userId: string, workspaceId: string | null = null) {
  let query = executor
    .selectFrom('sessions')
    .select(['id', 'workspace_id', 'created_at', 'expires_at', 'revoked_at'])
    .where('user_id', '=', userId);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return query.orderBy('created_at').execute();
}

/** A person's API keys: metadata only, the secret hash and sealed signing key are never selected. */
export function listApiKeysOfPerson(executor: DatabaseExecutor, userId: string, workspaceId: string | null = null) {
  let query = executor
    .selectFrom('api_keys')
    .select(['id', 'workspace_id', 'name', 'prefix', 'created_at', 'last_used_at', 'last_used_ip', 'expires_at', 'revoked_at'])
    .where('owner_kind', '=', 'user')
    .where('owner_id', '=', userId);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return query.orderBy('created_at').execute();
}

/** Revokes a person's live keys of one workspace (auth's revokeKeysOf revokes those of every workspace). */
export async function revokeApiKeysOfPersonInWorkspace(executor: DatabaseExecutor, userId: string, workspaceId: string, at: string) {
  await executor
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('owner_kind', '=', 'user')
    .where('owner_id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .execute();
}

export function listMessagesByPerson(executor: DatabaseExecutor, userId: string) {
  return executor
    .selectFrom('messages')
    .select(['id', 'workspace_id', 'task_id', 'type', 'content', 'reply_to_id', 'created_at'])
    .where('author_kind', '=', 'user')
    .where('author_id', '=', userId)
    .orderBy('id')
    .execute();
}

/** Tasks the person created or is assigned to, with which of the two. */
export async function listTasksOfPerson(executor: DatabaseExecutor, userId: string) {
  const assigned = executor
    .selectFrom('task_assignees')
    .select('task_id')
    .where('assignee_kind', '=', 'user')
    .where('assignee_id', '=', userId);
  const rows = await executor
    .selectFrom('tasks')
    .select([
      'id',
      'workspace_id',
      'number',
      'title',
      'description',
      'status',
      'priority',
      'created_at',
      'updated_at',
      'creator_kind',
      'creator_id',
    ])
    .select((eb) => eb('id', 'in', assigned).as('is_assignee'))
    .where((eb) => eb.or([eb.and([eb('creator_kind', '=', 'user'), eb('creator_id', '=', userId)]), eb('id', 'in', assigned)]))
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    ...row,
    relations: [
      ...(row.creator_kind === 'user' && row.creator_id === userId ? (['creator'] as const) : []),
      ...(row.is_assignee ? (['assignee'] as const) : []),
    ],
  }));
}

export function listDocumentsByPerson(executor: DatabaseExecutor, userId: string) {
  return executor
    .selectFrom('documents')
    .select(['id', 'workspace_id', 'task_id', 'title', 'type', 'content', 'version', 'created_at', 'updated_at'])
    .where('author_kind', '=', 'user')
    .where('author_id', '=', userId)
    .orderBy('id')
    .execute();
}
