import { type Insertable, type Selectable, sql } from 'kysely';
import { z } from 'zod';
import { containsText, type DatabaseExecutor, type Engine, parseJsonColumn } from '../../db/database.js';
import type { AgentMemoryTable } from '../../db/schema.js';

export { toSearchTerms } from '../../core/search-terms.js';

export type MemoryRow = Selectable<AgentMemoryTable>;

const tagsColumnSchema = z.array(z.string());

/** The tags column, checked against its schema. */
export function readMemoryTags(row: Pick<MemoryRow, 'tags'>): string[] {
  return parseJsonColumn(tagsColumnSchema, row.tags, 'agent_memories.tags');
}

/** The columns every read answers: the embedding stays in the database. */
const memoryColumns = [
  'id',
  'workspace_id',
  'agent_id',
  'content',
  'kind',
  'tags',
  'task_id',
  'importance',
  'shared_with_workspace_at',
  'embedding_model',
  'created_at',
] as const;
export type MemoryListRow = Pick<MemoryRow, (typeof memoryColumns)[number]>;

/** A vector as the engine stores it: float32 bytes for sqlite-vec, a real[] for PostgreSQL. */
export function toStoredVector(engine: Engine, vector: readonly number[]): Uint8Array | number[] {
  return engine === 'postgres' ? [...vector] : Buffer.from(new Float32Array(vector).buffer);
}

export async function insertMemory(executor: DatabaseExecutor, row: Insertable<AgentMemoryTable>): Promise<void> {
  await executor.insertInto('agent_memories').values(row).execute();
}

export function findMemory(executor: DatabaseExecutor, workspaceId: string, agentId: string, memoryId: string) {
  return executor
    .selectFrom('agent_memories')
    .select(memoryColumns)
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .where('id', '=', memoryId)
    .executeTakeFirst();
}

export function findMemoriesByIds(executor: DatabaseExecutor, workspaceId: string, memoryIds: readonly string[]) {
  if (memoryIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('agent_memories')
    .select(memoryColumns)
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', memoryIds)
    .execute();
}

/** An agent's own memories, newest first; the id (time-ordered) is the cursor. */
export function listMemoriesOfAgent(
  executor: DatabaseExecutor,
  engine: Engine,
  filter: {
    workspaceId: string;
    agentId: string;
    text?: string | undefined;
    kind?: MemoryRow['kind'] | undefined;
    tag?: string | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  let query = executor
    .selectFrom('agent_memories')
    .select(memoryColumns)
    .where('workspace_id', '=', filter.workspaceId)
    .where('agent_id', '=', filter.agentId);
  if (filter.text !== undefined) query = query.where(containsText(engine, 'content', filter.text));
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.tag !== undefined) {
    const tags = JSON.stringify([filter.tag]);
    query = query.where(
      engine === 'postgres'
        ? sql<boolean>`tags @> ${tags}::jsonb`
        : sql<boolean>`exists (select 1 from json_each(agent_memories.tags) where json_each.value = ${filter.tag})`,
    );
  }
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function deleteMemoryRows(executor: DatabaseExecutor, memoryIds: readonly string[]): Promise<void> {
  if (memoryIds.length === 0) return;
  await executor.deleteFrom('agent_memory_shares').where('memory_id', 'in', memoryIds).execute();
  await executor.deleteFrom('agent_memories').where('id', 'in', memoryIds).execute();
}

export async function insertMemoryShares(
  executor: DatabaseExecutor,
  rows: { memory_id: string; agent_id: string; workspace_id: string; shared_at: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await executor
    .insertInto('agent_memory_shares')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['memory_id', 'agent_id']).doNothing())
    .execute();
}

export async function markMemorySharedWithWorkspace(executor: DatabaseExecutor, memoryId: string, at: string): Promise<void> {
  await executor.updateTable('agent_memories').set({ shared_with_workspace_at: at }).where('id', '=', memoryId).execute();
}

export function listSharesOfMemories(executor: DatabaseExecutor, memoryIds: readonly string[]) {
  if (memoryIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('agent_memory_shares')
    .select(['memory_id', 'agent_id'])
    .where('memory_id', 'in', memoryIds)
    .orderBy('shared_at')
    .execute();
}

export async function countMemoriesOfAgent(executor: DatabaseExecutor, workspaceId: string, agentId: string): Promise<number> {
  const row = await executor
    .selectFrom('agent_memories')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The memories to fold or drop first: least important, then oldest. */
export function listLeastValuableMemories(executor: DatabaseExecutor, workspaceId: string, agentId: string, limit: number) {
  return executor
    .selectFrom('agent_memories')
    .select(memoryColumns)
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .orderBy('importance', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

/** The memories a summary may fold: low importance (<= 2), not summaries, not shared with the workspace; oldest first. */
export function listSummarisableMemories(executor: DatabaseExecutor, workspaceId: string, agentId: string, limit: number) {
  return executor
    .selectFrom('agent_memories')
    .select(memoryColumns)
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .where('importance', '<=', 2)
    .where('kind', '!=', 'summary')
    .where('shared_with_workspace_at', 'is', null)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

/** Deletes exactly these memories, or none: false when another instance already took one of them. */
export async function claimMemoryRows(executor: DatabaseExecutor, memoryIds: readonly string[]): Promise<boolean> {
  if (memoryIds.length === 0) return false;
  await executor.deleteFrom('agent_memory_shares').where('memory_id', 'in', memoryIds).execute();
  const result = await executor.deleteFrom('agent_memories').where('id', 'in', memoryIds).executeTakeFirst();
  return Number(result.numDeletedRows) === memoryIds.length;
}

/** Agents with more memories than the limit. */
export async function listAgentsOverMemoryLimit(executor: DatabaseExecutor, limit: number) {
  return executor
    .selectFrom('agent_memories')
    .select(['workspace_id', 'agent_id', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['workspace_id', 'agent_id'])
    .having((eb) => eb.fn.countAll(), '>', limit)
    .execute();
}

/** The memories an agent recalls: its own, those shared with it, and those shared with the workspace. */
function recallableBy(workspaceId: string, agentId: string) {
  return sql<boolean>`m.workspace_id = ${workspaceId} and (m.agent_id = ${agentId} or m.shared_with_workspace_at is not null or m.id in (select s.memory_id from agent_memory_shares s where s.workspace_id = ${workspaceId} and s.agent_id = ${agentId}))`;
}

/** The best full-text matches of any of the terms, best first: bm25 on SQLite, ts_rank on PostgreSQL. */
export async function searchMemoriesByText(
  executor: DatabaseExecutor,
  engine: Engine,
  filter: { workspaceId: string; agentId: string; terms: readonly string[]; limit: number },
): Promise<string[]> {
  if (filter.terms.length === 0) return [];
  if (engine === 'postgres') {
    const query = filter.terms.join(' | ');
    const result = await sql<{ id: string }>`
      select m.id from agent_memories m, to_tsquery('english', ${query}) q
      where ${recallableBy(filter.workspaceId, filter.agentId)} and m.search_vector @@ q
      order by ts_rank(m.search_vector, q) desc, m.id desc limit ${filter.limit}`.execute(executor);
    return result.rows.map((row) => row.id);
  }
  const match = filter.terms.map((term) => `"${term}"`).join(' OR ');
  const result = await sql<{ id: string }>`
    select m.id from agent_memories_fts f join agent_memories m on m.id = f.memory_id
    where agent_memories_fts match ${match} and ${recallableBy(filter.workspaceId, filter.agentId)}
    order by bm25(agent_memories_fts), m.id desc limit ${filter.limit}`.execute(executor);
  return result.rows.map((row) => row.id);
}

/**
 * The memories nearest to a unit vector by cosine, nearest first, exactly (no approximate
 * index): sqlite-vec's vec_distance_cosine on SQLite, the dot product of unit vectors in SQL on
 * PostgreSQL. Only vectors of the same model are compared.
 */
export async function searchMemoriesByVector(
  executor: DatabaseExecutor,
  engine: Engine,
  filter: { workspaceId: string; agentId: string; model: string; vector: readonly number[]; limit: number },
): Promise<string[]> {
  const stored = toStoredVector(engine, filter.vector);
  const distance =
    engine === 'postgres'
      ? sql`1 - (select sum(a::float8 * b::float8) from unnest(m.embedding, ${stored}::real[]) as pair(a, b))`
      : sql`vec_distance_cosine(m.embedding, ${stored})`;
  const result = await sql<{ id: string }>`
    select m.id from agent_memories m
    where ${recallableBy(filter.workspaceId, filter.agentId)} and m.embedding is not null and m.embedding_model = ${filter.model}
    order by ${distance} asc, m.id desc limit ${filter.limit}`.execute(executor);
  return result.rows.map((row) => row.id);
}

/**
 * Takes the agent's summary claim until `untilMs` when nobody holds it or the holder's claim ran
 * out by `nowMs`: one conditional upsert, so of two instances at once exactly one gets true.
 */
export async function claimMemorySummary(
  executor: DatabaseExecutor,
  claim: { workspaceId: string; agentId: string; token: string; nowMs: number; untilMs: number },
): Promise<boolean> {
  const won = await executor
    .insertInto('memory_summary_claims')
    .values({ workspace_id: claim.workspaceId, agent_id: claim.agentId, claim_token: claim.token, claimed_until: claim.untilMs })
    .onConflict((conflict) =>
      conflict
        .columns(['workspace_id', 'agent_id'])
        .doUpdateSet({ claim_token: claim.token, claimed_until: claim.untilMs })
        .where('memory_summary_claims.claimed_until', '<=', claim.nowMs),
    )
    .returning('claim_token')
    .executeTakeFirst();
  return won?.claim_token === claim.token;
}

/** Moves the end of a claim this token holds (to let the agent rest after no summary came). */
export async function extendMemorySummaryClaim(
  executor: DatabaseExecutor,
  claim: { workspaceId: string; agentId: string; token: string; untilMs: number },
): Promise<void> {
  await executor
    .updateTable('memory_summary_claims')
    .set({ claimed_until: claim.untilMs })
    .where('workspace_id', '=', claim.workspaceId)
    .where('agent_id', '=', claim.agentId)
    .where('claim_token', '=', claim.token)
    .execute();
}

/** Gives a claim back, only if this token still holds it (an expired claim may have passed to another instance). */
export async function releaseMemorySummaryClaim(
  executor: DatabaseExecutor,
  claim: { workspaceId: string; agentId: string; token: string },
): Promise<void> {
  await executor
    .deleteFrom('memory_summary_claims')
    .where('workspace_id', '=', claim.workspaceId)
    .where('agent_id', '=', claim.agentId)
    .where('claim_token', '=', claim.token)
    .execute();
}
