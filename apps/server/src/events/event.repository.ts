import type { Activity, EventType, PrincipalReference } from '@mission-control/contracts';
import type { Selectable } from 'kysely';
import { createId } from '../core/ids.js';
import { type DatabaseExecutor, parseJsonColumn } from '../db/database.js';
import type { EventTable } from '../db/schema.js';

export interface NewEvent {
  workspaceId: string;
  type: EventType;
  actor: PrincipalReference | null;
  taskId?: string | null;
  agentId?: string | null;
  summary: string;
  data?: Record<string, unknown>;
  at: Date;
}

/**
 * Appends to the transactional outbox. Call it with the transaction that makes the change,
 * so the event exists exactly when the change does.
 */
export async function appendEvent(executor: DatabaseExecutor, event: NewEvent): Promise<number> {
  const row = await executor
    .insertInto('events')
    .values({
      id: createId(),
      workspace_id: event.workspaceId,
      type: event.type,
      actor_kind: event.actor?.kind ?? null,
      actor_id: event.actor?.id ?? null,
      task_id: event.taskId ?? null,
      agent_id: event.agentId ?? null,
      summary: event.summary,
      data: JSON.stringify(event.data ?? {}),
      created_at: event.at.toISOString(),
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return row.seq;
}

export interface ListEventsOptions {
  workspaceId: string;
  beforeSeq?: number | undefined;
  limit: number;
  type?: EventType | undefined;
  taskId?: string | undefined;
  /** Events done by this agent or about it. */
  agentId?: string | undefined;
}

/** Newest first, for feeds. */
export function listEvents(executor: DatabaseExecutor, options: ListEventsOptions) {
  let query = executor.selectFrom('events').selectAll().where('workspace_id', '=', options.workspaceId);
  if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq);
  if (options.type) query = query.where('type', '=', options.type);
  if (options.taskId) query = query.where('task_id', '=', options.taskId);
  if (options.agentId) {
    const agentId = options.agentId;
    query = query.where((eb) => eb.or([eb('agent_id', '=', agentId), eb('actor_id', '=', agentId)]));
  }
  return query.orderBy('seq', 'desc').limit(options.limit).execute();
}

export function toActivity(row: Selectable<EventTable>): Activity {
  return {
    seq: row.seq,
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type as EventType,
    actor: row.actor_kind && row.actor_id ? { kind: row.actor_kind as PrincipalReference['kind'], id: row.actor_id } : null,
    taskId: row.task_id,
    agentId: row.agent_id,
    summary: row.summary,
    data: parseJsonColumn(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}
