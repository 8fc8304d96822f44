import type {
  CreateMemoryInput,
  ListMemoriesQuery,
  Memory,
  MemorySearchResult,
  Page,
  SearchMemoriesQuery,
  ShareMemoryInput,
} from '@mission-control/contracts';
import { createMemorySchema, shareMemorySchema } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { TaskService } from '../tasks/task.service.js';
import { createEmbeddingClient, type EmbeddingClient, type EmbeddingSettings } from './embedding-client.js';
import {
  countMemoriesOfAgent,
  deleteMemoryRows,
  findMemoriesByIds,
  findMemory,
  insertMemory,
  insertMemoryShares,
  listAgentsOverMemoryLimit,
  listLeastValuableMemories,
  listMemoriesOfAgent,
  listSharesOfMemories,
  type MemoryListRow,
  markMemorySharedWithWorkspace,
  readMemoryTags,
  searchMemoriesByText,
  searchMemoriesByVector,
  toSearchTerms,
  toStoredVector,
} from './memory.repository.js';
import { type SummaryTools, summariseOldMemories } from './memory-summaries.js';

export interface MemorySettings {
  /** The OpenAI-compatible embedding endpoint; full-text retrieval only when left out. */
  embeddings?: EmbeddingSettings | undefined;
  /** Memories one agent keeps before the least important, oldest ones are pruned. */
  limitPerAgent?: number | undefined;
  /** Share of the limit past which old, low-importance memories are summarised (0.8 by default). */
  summariseAtShare?: number | undefined;
}

/** Folds memories into one summary with the agent's own model; null (no model call) when the agent has none. */
export interface MemorySummarizer {
  summarise(
    workspaceId: string,
    agentId: string,
    memories: readonly { kind: string; content: string; tags: readonly string[]; createdAt: string }[],
  ): Promise<string | null>;
}

export interface MemoryServiceDependencies {
  agents: AgentService;
  tasks: TaskService;
  /** The agents' own models; without it memories are only pruned. */
  summarizer?: MemorySummarizer | undefined;
}

export type MemoryService = ReturnType<typeof createMemoryService>;

/** Reciprocal-rank fusion's constant: large enough that one list's top rank does not drown the other. */
const fusionConstant = 60;
/** How many candidates each retriever contributes before fusion. */
const candidatesPerRetriever = 50;
export const defaultMemoryLimitPerAgent = 2_000;

function memoryNotFound(): AppError {
  return new AppError('MEMORY_NOT_FOUND', 'No memory with this id belongs to this agent. List them with GET /api/v1/agents/{id}/memories.');
}

/** Agent memory: remember, recall by full text and embeddings fused by reciprocal rank, forget, share, stay bounded. */
export function createMemoryService(context: ServiceContext, dependencies: MemoryServiceDependencies, settings: MemorySettings = {}) {
  const { db, engine, clock } = context;
  const { agents, tasks } = dependencies;
  const embeddings: EmbeddingClient | undefined = settings.embeddings ? createEmbeddingClient(settings.embeddings) : undefined;
  const limitPerAgent = settings.limitPerAgent ?? defaultMemoryLimitPerAgent;
  const summariseAt = Math.floor(limitPerAgent * (settings.summariseAtShare ?? 0.8));
  /** Agents this instance does not try to summarise before the given time (ms), after no summary came. */
  const restingUntil = new Map<string, number>();

  /** Agents reach their own memories only; people read every agent's and, with work:write, change them. */
  async function authorize(principal: Principal, agentId: string, access: 'read' | 'write'): Promise<void> {
    assertCan(principal, access === 'read' ? 'workspace:read' : 'work:write');
    if (principal.kind === 'agent' && principal.id !== agentId) {
      throw new AppError(
        'FORBIDDEN',
        'An agent reaches only its own memories. Use your own agent id; memories others share reach you through search.',
      );
    }
    await agents.getAgent(principal, agentId);
  }

  async function toMemories(rows: MemoryListRow[]): Promise<Memory[]> {
    const shares = await listSharesOfMemories(
      db,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      agentId: row.agent_id,
      content: row.content,
      kind: row.kind,
      tags: readMemoryTags(row),
      taskId: row.task_id,
      importance: Number(row.importance),
      sharedWithAgentIds: shares.filter((share) => share.memory_id === row.id).map((share) => share.agent_id),
      sharedWithWorkspace: row.shared_with_workspace_at !== null,
      embedded: row.embedding_model !== null,
      createdAt: row.created_at,
    }));
  }

  async function toMemory(row: MemoryListRow): Promise<Memory> {
    const [memory] = await toMemories([row]);
    if (!memory) throw memoryNotFound();
    return memory;
  }

  /** The embedding of a text, or null when no model is configured or it failed (full text still finds it). */
  async function embedOrNull(text: string): Promise<number[] | null> {
    if (!embeddings) return null;
    try {
      const [vector] = await embeddings.embed([text]);
      return vector ?? null;
    } catch {
      return null;
    }
  }

  /** Drops the least important, oldest memories past the limit, never the one just written. */
  async function pruneOverLimit(
    executor: DatabaseExecutor,
    workspaceId: string,
    agentId: string,
    keepId: string | null,
    actor: Principal | null,
  ): Promise<string[]> {
    const count = await countMemoriesOfAgent(executor, workspaceId, agentId);
    if (count <= limitPerAgent) return [];
    const candidates = await listLeastValuableMemories(executor, workspaceId, agentId, count - limitPerAgent + 1);
    const doomed = candidates
      .filter((row) => row.id !== keepId)
      .slice(0, count - limitPerAgent)
      .map((row) => row.id);
    await deleteMemoryRows(executor, doomed);
    for (const memoryId of doomed) {
      await appendEvent(executor, {
        workspaceId,
        type: 'memory-deleted',
        actor: actor ? toPrincipalReference(actor) : null,
        agentId,
        summary: 'A memory was pruned to keep the agent under its memory limit',
        data: { memoryId, reason: 'pruned' },
        at: clock.now(),
      });
    }
    return doomed;
  }

  const summaryTools: SummaryTools = {
    db,
    engine,
    clock,
    summariseAt,
    restingUntil,
    embedOrNull,
    embeddingModel: embeddings?.model ?? null,
  };

  return {
    /** Whether memories get vectors (an embedding model is configured). */
    hasEmbeddingModel(): boolean {
      return embeddings !== undefined;
    },

    async createMemory(principal: Principal, agentId: string, input: CreateMemoryInput): Promise<Memory> {
      await authorize(principal, agentId, 'write');
      const parsed = createMemorySchema.parse(input);
      const taskId = parsed.taskId ? await tasks.resolveTaskId(principal, parsed.taskId) : null;
      // Embedding happens before the transaction: a slow model never holds a write lock.
      const vector = await embedOrNull(parsed.content);
      const now = clock.now();
      const id = createId();
      await db.transaction().execute(async (trx) => {
        await insertMemory(trx, {
          id,
          workspace_id: principal.workspaceId,
          agent_id: agentId,
          content: parsed.content,
          kind: parsed.kind,
          tags: JSON.stringify([...new Set(parsed.tags)]),
          task_id: taskId,
          importance: parsed.importance,
          shared_with_workspace_at: null,
          embedding: vector ? toStoredVector(engine, vector) : null,
          embedding_model: vector && embeddings ? embeddings.model : null,
          created_at: now.toISOString(),
        });
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'memory-created',
          actor: toPrincipalReference(principal),
          agentId,
          taskId,
          summary: `Remembered a ${parsed.kind}: ${parsed.content.slice(0, 80)}`,
          data: { memoryId: id, kind: parsed.kind, importance: parsed.importance, embedded: vector !== null },
          at: now,
        });
        await pruneOverLimit(trx, principal.workspaceId, agentId, id, principal);
      });
      const row = await findMemory(db, principal.workspaceId, agentId, id);
      if (!row) throw memoryNotFound();
      return toMemory(row);
    },

    async listMemories(principal: Principal, agentId: string, query: ListMemoriesQuery): Promise<Page<Memory>> {
      await authorize(principal, agentId, 'read');
      const rows = await listMemoriesOfAgent(db, engine, {
        workspaceId: principal.workspaceId,
        agentId,
        text: query.q,
        kind: query.kind,
        tag: query.tag,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const page = toPage(
        rows,
        query.limit,
        (row) => row,
        (row) => row.id,
      );
      return { data: await toMemories(page.data), nextCursor: page.nextCursor };
    },

    /** The memories most relevant to a question, from full text and (with a model) embeddings, fused by reciprocal rank. */
    async searchMemories(principal: Principal, agentId: string, query: SearchMemoriesQuery): Promise<MemorySearchResult> {
      await authorize(principal, agentId, 'read');
      const filter = { workspaceId: principal.workspaceId, agentId, limit: candidatesPerRetriever };
      const [textIds, vector] = await Promise.all([
        searchMemoriesByText(db, engine, { ...filter, terms: toSearchTerms(query.q) }),
        embedOrNull(query.q),
      ]);
      const vectorIds =
        vector && embeddings ? await searchMemoriesByVector(db, engine, { ...filter, model: embeddings.model, vector }) : null;
      const scores = new Map<string, number>();
      for (const list of vectorIds ? [textIds, vectorIds] : [textIds]) {
        list.forEach((id, index) => {
          scores.set(id, (scores.get(id) ?? 0) + 1 / (fusionConstant + index + 1));
        });
      }
      const ranked = [...scores.entries()].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? 1 : -1)).slice(0, query.limit);
      const rows = await findMemoriesByIds(
        db,
        principal.workspaceId,
        ranked.map(([id]) => id),
      );
      const memories = await toMemories(rows);
      const byId = new Map(memories.map((memory) => [memory.id, memory]));
      const hybrid = vectorIds !== null;
      return {
        retrieval: hybrid ? 'hybrid' : 'full-text',
        embeddingModel: embeddings?.model ?? null,
        note: hybrid
          ? `Full-text matches of any word fused with embedding similarity (${embeddings?.model}) by reciprocal rank.`
          : embeddings
            ? `Full-text matches of any word only: the embedding model ${embeddings.model} could not be reached.`
            : 'Full-text matches of any word only: no embedding model is configured (MISSION_EMBEDDINGS_BASE_URL, MISSION_EMBEDDINGS_MODEL).',
        results: ranked.flatMap(([id, score]) => {
          const memory = byId.get(id);
          return memory ? [{ memory, score, sharedFrom: memory.agentId === agentId ? null : memory.agentId }] : [];
        }),
      };
    },

    async deleteMemory(principal: Principal, agentId: string, memoryId: string): Promise<void> {
      await authorize(principal, agentId, 'write');
      await db.transaction().execute(async (trx) => {
        const row = await findMemory(trx, principal.workspaceId, agentId, memoryId);
        if (!row) throw memoryNotFound();
        await deleteMemoryRows(trx, [memoryId]);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'memory-deleted',
          actor: toPrincipalReference(principal),
          agentId,
          summary: `Forgot a ${row.kind}: ${row.content.slice(0, 80)}`,
          data: { memoryId, reason: 'forgotten' },
          at: clock.now(),
        });
      });
    },

    async shareMemory(principal: Principal, agentId: string, memoryId: string, input: ShareMemoryInput): Promise<Memory> {
      await authorize(principal, agentId, 'write');
      const parsed = shareMemorySchema.parse(input);
      const recipients = [...new Set(parsed.toAgentIds ?? [])].filter((id) => id !== agentId);
      // Every recipient must be an agent of this workspace (AGENT_NOT_FOUND otherwise).
      for (const recipient of recipients) await agents.getAgent(principal, recipient);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = await findMemory(trx, principal.workspaceId, agentId, memoryId);
        if (!row) throw memoryNotFound();
        const at = now.toISOString();
        await insertMemoryShares(
          trx,
          recipients.map((recipient) => ({ memory_id: memoryId, agent_id: recipient, workspace_id: principal.workspaceId, shared_at: at })),
        );
        if (parsed.toWorkspace) await markMemorySharedWithWorkspace(trx, memoryId, at);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'memory-shared',
          actor: toPrincipalReference(principal),
          agentId,
          summary: parsed.toWorkspace ? 'Shared a memory with the whole workspace' : `Shared a memory with ${recipients.length} agent(s)`,
          data: { memoryId, toAgentIds: recipients, toWorkspace: parsed.toWorkspace === true },
          at: now,
        });
      });
      const row = await findMemory(db, principal.workspaceId, agentId, memoryId);
      if (!row) throw memoryNotFound();
      return toMemory(row);
    },

    /**
     * The scheduled compaction. Agents past the summary threshold (80 % of the limit) with a model
     * have their oldest low-importance memories folded into one `summary` by that model; every
     * agent still over the limit is then pruned. Nothing over the threshold: one grouped count,
     * no model call.
     */
    async compactMemories(): Promise<{ summarised: number; summaries: number; pruned: number }> {
      let summarised = 0;
      let summaries = 0;
      const { summarizer } = dependencies;
      if (summarizer) {
        for (const { workspace_id: workspaceId, agent_id: agentId } of await listAgentsOverMemoryLimit(db, summariseAt)) {
          if ((restingUntil.get(agentId) ?? 0) > clock.now().getTime()) continue;
          const folded = await summariseOldMemories(summaryTools, summarizer, workspaceId, agentId);
          if (folded > 0) {
            summarised += folded;
            summaries += 1;
          }
        }
      }
      const over = await listAgentsOverMemoryLimit(db, limitPerAgent);
      let pruned = 0;
      for (const { workspace_id: workspaceId, agent_id: agentId } of over) {
        await db.transaction().execute(async (trx) => {
          pruned += (await pruneOverLimit(trx, workspaceId, agentId, null, null)).length;
        });
      }
      return { summarised, summaries, pruned };
    },
  };
}
