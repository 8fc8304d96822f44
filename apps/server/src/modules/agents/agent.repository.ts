import type { Agent, AgentKind, AgentStatus } from '@mission-control/contracts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import { precompileQuery } from '../../db/precompiled-query.js';
import type { AgentTable } from '../../db/schema.js';

// Every heartbeat and agent read starts here: compiled once (see precompileQuery).
const findAgentQuery = precompileQuery((executor: DatabaseExecutor, workspaceId: string, agentId: string) =>
  executor
    .selectFrom('agents')
    .selectAll()
    .where('id', '=', agentId)
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null),
);

export function findAgent(executor: DatabaseExecutor, workspaceId: string, agentId: string) {
  return findAgentQuery(executor, workspaceId, agentId).then((rows) => rows[0]);
}

export function findAgentsByIds(executor: DatabaseExecutor, workspaceId: string, agentIds: readonly string[]) {
  if (agentIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('agents')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', agentIds)
    .where('deleted_at', 'is', null)
    .execute();
}

export function findLiveAgentByNameOrSessionKey(executor: DatabaseExecutor, workspaceId: string, nameKey: string, sessionKey: string) {
  return executor
    .selectFrom('agents')
    .select(['id', 'name_key', 'session_key'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('name_key', '=', nameKey), eb('session_key', '=', sessionKey)]))
    .execute();
}

export interface ListAgentsFilter {
  workspaceId: string;
  status?: AgentStatus | undefined;
  kind?: AgentKind | undefined;
  afterName?: string | undefined;
  limit: number;
}

/** Alphabetical by name, which is unique among live agents, so the name is the cursor. */
export function listAgents(executor: DatabaseExecutor, filter: ListAgentsFilter) {
  let query = executor.selectFrom('agents').selectAll().where('workspace_id', '=', filter.workspaceId).where('deleted_at', 'is', null);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.afterName !== undefined) query = query.where('name_key', '>', filter.afterName);
  return query.orderBy('name_key', 'asc').limit(filter.limit).execute();
}

export async function insertAgent(executor: DatabaseExecutor, row: Insertable<AgentTable>): Promise<void> {
  await executor.insertInto('agents').values(row).execute();
}

export async function updateAgentRow(executor: DatabaseExecutor, agentId: string, changes: Updateable<AgentTable>): Promise<void> {
  await executor.updateTable('agents').set(changes).where('id', '=', agentId).execute();
}

export function toAgent(row: Selectable<AgentTable>): Agent {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    role: row.role,
    kind: row.kind as AgentKind,
    status: row.status as AgentStatus,
    sessionKey: row.session_key,
    capabilities: parseJsonColumn(row.capabilities) as string[],
    memoryContext: row.memory_context,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds,
    concurrencyLimit: row.concurrency_limit,
    lastHeartbeatAt: row.last_heartbeat_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
