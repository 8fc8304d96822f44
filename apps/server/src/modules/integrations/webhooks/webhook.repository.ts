import type { Webhook } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import { type DatabaseExecutor, parseJsonColumn } from '../../../db/database.js';
import type { WebhookEndpointTable } from '../../../db/schema.js';

export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;

export async function insertWebhookEndpoint(executor: DatabaseExecutor, row: Insertable<WebhookEndpointTable>): Promise<void> {
  await executor.insertInto('webhook_endpoints').values(row).execute();
}

export function findWebhookEndpoint(executor: DatabaseExecutor, workspaceId: string, endpointId: string) {
  return executor
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', endpointId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** By id alone: the sender knows the endpoint a delivery is for, not the caller's workspace. */
export function findWebhookEndpointById(executor: DatabaseExecutor, endpointId: string) {
  return executor.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpointId).executeTakeFirst();
}

/** Newest first. */
export function listWebhookEndpoints(executor: DatabaseExecutor, workspaceId: string) {
  return executor.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').execute();
}

/** Enabled endpoints whose cursor is behind the newest event: the ones a feed has work for. */
export function listEndpointsBehind(executor: DatabaseExecutor, latestSeq: number, limit: number) {
  return executor
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('disabled_at', 'is', null)
    .where('cursor_seq', '<', latestSeq)
    .orderBy('cursor_seq')
    .limit(limit)
    .execute();
}

export async function updateWebhookEndpoint(
  executor: DatabaseExecutor,
  endpointId: string,
  changes: Updateable<WebhookEndpointTable>,
): Promise<void> {
  await executor.updateTable('webhook_endpoints').set(changes).where('id', '=', endpointId).execute();
}

/**
 * Moves an endpoint's cursor, but only from where this feed read it: when another instance fed
 * the same events first, nothing changes and the caller rolls back what it queued.
 */
export async function advanceWebhookCursor(executor: DatabaseExecutor, endpointId: string, from: number, to: number): Promise<boolean> {
  const result = await executor
    .updateTable('webhook_endpoints')
    .set({ cursor_seq: to })
    .where('id', '=', endpointId)
    .where('cursor_seq', '=', from)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteWebhookEndpoint(executor: DatabaseExecutor, endpointId: string): Promise<void> {
  await executor.deleteFrom('webhook_endpoints').where('id', '=', endpointId).execute();
}

const eventSelectorsSchema = z.array(z.string());

/** The event types an endpoint receives, as stored. */
export function readEndpointEvents(row: WebhookEndpointRow): string[] {
  return parseJsonColumn(eventSelectorsSchema, row.events, 'webhook_endpoints.events');
}

export function toWebhook(row: WebhookEndpointRow, now: Date): Webhook {
  const previousActive = row.previous_secret_expires_at !== null && Date.parse(row.previous_secret_expires_at) > now.getTime();
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    events: readEndpointEvents(row),
    filter: row.filter,
    description: row.description,
    enabled: row.disabled_at === null,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    previousSecretExpiresAt: previousActive ? row.previous_secret_expires_at : null,
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
