import type { Agent, AgentKind, AgentStatus } from '@mission-control/contracts';
import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import { z } from 'zod';
import type { DatabaseExecutor, Engine } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { precompileQuery } from '../../db/precompiled-query.js';
import type { AgentTable } from '../../db/schema.js';

// Stored as written by createAgent/updateAgent: the contracts' capability rule is not re-checked on read.
const capabilityListSchema = z.array(z.string());

// Every heartbeat and agent read starts here: compiled once (see precompileQuery).
const findAgentQuery = precompileQuery((executor: DatabaseExecutor, workspaceId: string, agentId: string, lockRow: boolean) => {
  const query = executor
    .selectFrom('agents')
    .selectAll()
    .where('id', '=', agentId)
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null);
  return lockRow ? query.forUpdate() : query;
});

export function findAgent(executor: DatabaseExecutor, workspaceId: string, agentId: string) {
  return findAgentQuery(executor, workspaceId, agentId, false).then((rows) => rows[0]);
}

/** The agent, its row locked until the transaction ends on PostgreSQL (SQLite has one writer): one statement. */
export function findAgentForUpdate(executor: DatabaseExecutor, engine: Engine, workspaceId: string, agentId: string) {
  return findAgentQuery(executor, workspaceId, agentId, engine === 'postgres').then((rows) => rows[0]);
}

export type AgentRow = Selectable<AgentTable>;

/** An agent by id in any workspace, deleted or not: for sweeps that start from the id alone. */
export function findAgentRowById(executor: DatabaseExecutor, agentId: string) {
  return executor.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
}

/** Writes many agents' last heartbeat and presence deadline in one statement; offline agents are left alone. */
export async function writePresenceBatch(
  executor: DatabaseExecutor,
  engine: Engine,
  entries: readonly { agentId: string; at: string; deadline: string }[],
): Promise<void> {
  if (entries.length === 0) return;
  const asTimestamp = (value: string) => (engine === 'postgres' ? sql`cast(${value} as timestamptz)` : sql`${value}`);
  const lastHeartbeat = sql.join(
    entries.map((entry) => sql`when ${entry.agentId} then ${asTimestamp(entry.at)}`),
    sql` `,
  );
  const deadline = sql.join(
    entries.map((entry) => sql`when ${entry.agentId} then ${asTimestamp(entry.deadline)}`),
    sql` `,
  );
  await executor
    .updateTable('agents')
    .set({
      last_heartbeat_at: sql`case id ${lastHeartbeat} end`,
      presence_deadline_at: sql`case id ${deadline} end`,
    })
    .where(
      'id',
      'in',
      entries.map((entry) => entry.agentId),
    )
    .where('status', '!=', 'offline')
    .execute();
}

/** Agents that are not offline but whose presence deadline has passed. */
export function listSilentAgents(executor: DatabaseExecutor, now: string, limit: number) {
  return executor
    .selectFrom('agents')
    .select(['id', 'workspace_id', 'name', 'last_heartbeat_at'])
    .where('status', '!=', 'offline')
    .where('presence_deadline_at', '<', now)
    .where('deleted_at', 'is', null)
    .limit(limit)
    .execute();
}

/** Turns an agent offline if it is still silent past its deadline; false when it was heard from meanwhile. */
export async function markAgentOfflineIfSilent(executor: DatabaseExecutor, agentId: string, now: string): Promise<boolean> {
  const result = await executor
    .updateTable('agents')
    .set({ status: 'offline' })
    .where('id', '=', agentId)
    .where('status', '!=', 'offline')
    .where('presence_deadline_at', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Live agents among these ids in any of these workspaces (an organisation's teams). */
export function findAgentsInWorkspaces(executor: DatabaseExecutor, workspaceIds: readonly string[], agentIds: readonly string[]) {
  if (agentIds.length === 0 || workspaceIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('agents')
    .selectAll()
    .where('workspace_id', 'in', workspaceIds)
    .where('id', 'in', agentIds)
    .where('deleted_at', 'is', null)
    .execute();
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

export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    role: row.role,
    kind: row.kind,
    status: row.status,
    sessionKey: row.session_key,
    capabilities: parseJsonColumn(capabilityListSchema, row.capabilities, 'agents.capabilities'),
    memoryContext: row.memory_context,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds,
    concurrencyLimit: row.concurrency_limit,
    a2a: { published: row.a2a_published === 1 },
    lastHeartbeatAt: row.last_heartbeat_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The live agents that publish an A2A card, of one workspace or of every workspace, by name. */
export function listPublishedAgents(executor: DatabaseExecutor, filter: { workspaceId?: string | undefined; limit: number }) {
  let query = executor.selectFrom('agents').selectAll().where('a2a_published', '=', 1).where('deleted_at', 'is', null);
  if (filter.workspaceId) query = query.where('workspace_id', '=', filter.workspaceId);
  return query.orderBy('workspace_id').orderBy('name_key').limit(filter.limit).execute();
}

/** How many live agents of the workspace are in each status (statuses with none are left out). */
export function countAgentsByStatus(executor: DatabaseExecutor, workspaceId: string) {
  return executor
    .selectFrom('agents')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .groupBy('status')
    .execute();
}
