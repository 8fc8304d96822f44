import type { ApiKey, PrincipalKind } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor } from '../db/database.js';
import { parseJsonColumn } from '../db/json-column.js';
import { precompileQuery } from '../db/precompiled-query.js';
import type { ApiKeyTable, RefreshTokenTable, SessionTable } from '../db/schema.js';

export async function insertSession(executor: DatabaseExecutor, row: Insertable<SessionTable>): Promise<void> {
  await executor.insertInto('sessions').values(row).execute();
}

export async function insertRefreshToken(executor: DatabaseExecutor, row: Insertable<RefreshTokenTable>): Promise<void> {
  await executor.insertInto('refresh_tokens').values(row).execute();
}

export function findRefreshTokenWithSession(executor: DatabaseExecutor, tokenHash: string) {
  return executor
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .select([
      'refresh_tokens.id as token_id',
      'refresh_tokens.used_at',
      'refresh_tokens.expires_at as token_expires_at',
      'sessions.id as session_id',
      'sessions.user_id',
      'sessions.workspace_id',
      'sessions.expires_at as session_expires_at',
      'sessions.revoked_at',
    ])
    .where('refresh_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks a refresh token used; false when someone else used it first. */
export async function markRefreshTokenUsed(executor: DatabaseExecutor, tokenId: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('refresh_tokens')
    .set({ used_at: at })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** When a refresh token was used, read again after a concurrent refresh used it first. */
export async function findRefreshTokenUsedAt(executor: DatabaseExecutor, tokenId: string): Promise<string | null> {
  const row = await executor.selectFrom('refresh_tokens').select('used_at').where('id', '=', tokenId).executeTakeFirst();
  return row?.used_at ?? null;
}

export async function revokeSession(executor: DatabaseExecutor, sessionId: string, at: string): Promise<void> {
  await executor.updateTable('sessions').set({ revoked_at: at }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function endSessionsOfUser(executor: DatabaseExecutor, userId: string, workspaceId: string, at: string): Promise<void> {
  await executor
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Marks the live sessions in these workspaces as needing a second factor before anything else (or
 * clears the mark), except those of the people listed.
 */
export async function markSessionsForMfaEnrolment(
  executor: DatabaseExecutor,
  change: { workspaceIds: readonly string[]; required: boolean; exemptUserIds: readonly string[] },
): Promise<void> {
  if (change.workspaceIds.length === 0) return;
  let query = executor
    .updateTable('sessions')
    .set({ mfa_enrolment_required: change.required ? 1 : 0 })
    .where('workspace_id', 'in', change.workspaceIds)
    .where('revoked_at', 'is', null);
  if (change.exemptUserIds.length > 0) query = query.where('user_id', 'not in', change.exemptUserIds);
  await query.execute();
}

/** Clears the mark on every session of a person who just enrolled a second factor. */
export async function clearMfaEnrolmentOfUser(executor: DatabaseExecutor, userId: string): Promise<void> {
  await executor
    .updateTable('sessions')
    .set({ mfa_enrolment_required: 0 })
    .where('user_id', '=', userId)
    .where('mfa_enrolment_required', '=', 1)
    .execute();
}

/** The role of a user in the workspace of a live session, or undefined when the session is over. */
export function findActiveSessionRole(executor: DatabaseExecutor, sessionId: string, userId: string, workspaceId: string) {
  return executor
    .selectFrom('sessions')
    .innerJoin('memberships', (join) =>
      join.onRef('memberships.user_id', '=', 'sessions.user_id').onRef('memberships.workspace_id', '=', 'sessions.workspace_id'),
    )
    .leftJoin('custom_roles', 'custom_roles.id', 'memberships.custom_role_id')
    .select([
      'memberships.role',
      'custom_roles.id as custom_role_id',
      'custom_roles.name as custom_role_name',
      'custom_roles.permissions as custom_role_permissions',
      'sessions.mfa_enrolment_required',
    ])
    .where('sessions.id', '=', sessionId)
    .where('sessions.user_id', '=', userId)
    .where('sessions.workspace_id', '=', workspaceId)
    .where('sessions.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function insertApiKey(executor: DatabaseExecutor, row: Insertable<ApiKeyTable>): Promise<void> {
  await executor.insertInto('api_keys').values(row).execute();
}

export function findApiKeyByHash(executor: DatabaseExecutor, secretHash: string) {
  return executor.selectFrom('api_keys').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
}

export function listApiKeysOfOwner(executor: DatabaseExecutor, workspaceId: string, ownerKind: PrincipalKind, ownerId: string) {
  return executor
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('owner_kind', '=', ownerKind)
    .where('owner_id', '=', ownerId)
    .orderBy('id', 'desc')
    .execute();
}

export function findApiKeyOfOwner(
  executor: DatabaseExecutor,
  workspaceId: string,
  ownerKind: PrincipalKind,
  ownerId: string,
  keyId: string,
) {
  return executor
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', keyId)
    .where('workspace_id', '=', workspaceId)
    .where('owner_kind', '=', ownerKind)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

/** Revokes a live key; false when it was revoked already (by another request or instance). */
export async function revokeApiKey(executor: DatabaseExecutor, keyId: string, at: string): Promise<boolean> {
  const result = await executor
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function revokeApiKeysOfOwner(
  executor: DatabaseExecutor,
  ownerKind: PrincipalKind,
  ownerId: string,
  at: string,
): Promise<void> {
  await executor
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('owner_kind', '=', ownerKind)
    .where('owner_id', '=', ownerId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function touchApiKey(executor: DatabaseExecutor, keyId: string, at: string, address: string | null): Promise<void> {
  await executor.updateTable('api_keys').set({ last_used_at: at, last_used_ip: address }).where('id', '=', keyId).execute();
}

/**
 * Marks a live key as rotated: its successor and the end of its grace. False when it was revoked
 * or rotated meanwhile (a concurrent rotation), so only one successor is ever kept.
 */
export async function markApiKeyReplaced(
  executor: DatabaseExecutor,
  keyId: string,
  change: { replacedById: string; expiresAt: string | null; revokedAt: string | null },
): Promise<boolean> {
  const result = await executor
    .updateTable('api_keys')
    .set({ replaced_by_id: change.replacedById, expires_at: change.expiresAt, revoked_at: change.revokedAt })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .where('replaced_by_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Rotated keys whose grace ended and that are not revoked yet (the sweep revokes them). */
export function listRotatedApiKeysPastGrace(executor: DatabaseExecutor, now: string, limit: number) {
  return executor
    .selectFrom('api_keys')
    .selectAll()
    .where('replaced_by_id', 'is not', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

/** Remembers a request signature until it could no longer pass the clock check; false when it was seen before. */
export async function rememberRequestSignature(executor: DatabaseExecutor, signatureHash: string, expiresAt: string): Promise<boolean> {
  const result = await executor
    .insertInto('request_signatures')
    .values({ signature_hash: signatureHash, expires_at: expiresAt })
    .onConflict((conflict) => conflict.column('signature_hash').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function deleteExpiredRequestSignatures(executor: DatabaseExecutor, now: string): Promise<void> {
  await executor.deleteFrom('request_signatures').where('expires_at', '<=', now).execute();
}

export function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    owner: { kind: row.owner_kind, id: row.owner_id },
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
    scopes: parseApiKeyScopes(row.scopes),
    allowedIps: parseApiKeyAddresses(row.allowed_ips),
    rateLimitPerMinute: row.rate_limit_per_minute,
    requireSignature: row.sealed_signing_key !== null,
    lastUsedIp: row.last_used_ip,
    replacedById: row.replaced_by_id,
  };
}

const apiKeyScopesSchema = z.array(z.string()).nullable();

/** A key's address allow-list as stored: null when any address may use it. */
export function parseApiKeyAddresses(value: unknown): string[] | null {
  return value === null || value === undefined ? null : parseJsonColumn(apiKeyScopesSchema, value, 'api_keys.allowed_ips');
}

/** A key's scopes as stored: null for a key acting with its owner's full role. */
export function parseApiKeyScopes(value: unknown): string[] | null {
  return value === null || value === undefined ? null : parseJsonColumn(apiKeyScopesSchema, value, 'api_keys.scopes');
}

/** An API key with what its owner is now: the agent (if not deleted) or the user's role in the key's workspace. */
const findApiKeyWithOwnerQuery = precompileQuery((executor: DatabaseExecutor, secretHash: string) =>
  executor
    .selectFrom('api_keys')
    .leftJoin('agents', (join) =>
      join
        .onRef('agents.id', '=', 'api_keys.owner_id')
        .onRef('agents.workspace_id', '=', 'api_keys.workspace_id')
        .on('api_keys.owner_kind', '=', 'agent')
        .on('agents.deleted_at', 'is', null),
    )
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.user_id', '=', 'api_keys.owner_id')
        .onRef('memberships.workspace_id', '=', 'api_keys.workspace_id')
        .on('api_keys.owner_kind', '=', 'user'),
    )
    // The owner's custom role, read in the same statement (authentication is on every request).
    .leftJoin('custom_roles', 'custom_roles.id', 'memberships.custom_role_id')
    .select([
      'api_keys.id',
      'api_keys.workspace_id',
      'api_keys.owner_kind',
      'api_keys.owner_id',
      'api_keys.revoked_at',
      'api_keys.expires_at',
      'api_keys.last_used_at',
      'api_keys.scopes',
      'api_keys.allowed_ips',
      'api_keys.rate_limit_per_minute',
      'api_keys.sealed_signing_key',
      'agents.id as live_agent_id',
      'memberships.role as member_role',
      'custom_roles.id as custom_role_id',
      'custom_roles.name as custom_role_name',
      'custom_roles.permissions as custom_role_permissions',
    ])
    .where('api_keys.secret_hash', '=', secretHash),
);

/** Runs on every request made with an API key: compiled once (see precompileQuery). */
export function findApiKeyWithOwner(executor: DatabaseExecutor, secretHash: string) {
  return findApiKeyWithOwnerQuery(executor, secretHash).then((rows) => rows[0]);
}
