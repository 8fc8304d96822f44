import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { appendEvent } from '../../events/event.repository.js';
import {
  claimMemoryRows,
  claimMemorySummary,
  countMemoriesOfAgent,
  extendMemorySummaryClaim,
  insertMemory,
  listSummarisableMemories,
  readMemoryTags,
  releaseMemorySummaryClaim,
  toStoredVector,
} from './memory.repository.js';
import type { MemorySummarizer } from './memory.service.js';

/** How long an instance leaves an agent alone after its model gave no summary (none, failed, budget). */
const summaryRestMs = 10 * 60_000;
/**
 * How long an instance holds an agent's summary claim: longer than a model call takes, short
 * enough that a crashed instance holds up that agent's summaries for minutes only.
 */
const summaryClaimMs = 5 * 60_000;
/** Most memories one summary folds. */
const summaryBatchLimit = 50;

/** What a summary needs of the memory service. */
export interface SummaryTools extends Pick<ServiceContext, 'db' | 'engine' | 'clock'> {
  summariseAt: number;
  restingUntil: Map<string, number>;
  embedOrNull(text: string): Promise<number[] | null>;
  embeddingModel: string | null;
}

/**
 * One summary of an agent's oldest low-importance memories, enough of them to bring it back to
 * the threshold (at most 50). The instance first takes the agent's summary claim, so of several
 * instances only one calls the model; after no summary the claim is kept for the rest period, so
 * no instance calls a failing model again before it. The model is called outside the
 * transaction; the originals are deleted only if all are still there (a claim that expired during
 * a very slow call is the one way a second instance gets to summarise them too).
 * Answers how many memories were folded (0: no model, nothing to fold, or another instance holds the claim).
 */
export async function summariseOldMemories(
  tools: SummaryTools,
  summarizer: MemorySummarizer,
  workspaceId: string,
  agentId: string,
): Promise<number> {
  const { db, clock } = tools;
  const claim = { workspaceId, agentId, token: createId() };
  const nowMs = clock.now().getTime();
  if (!(await claimMemorySummary(db, { ...claim, nowMs, untilMs: nowMs + summaryClaimMs }))) return 0;
  const outcome = await summariseClaimed(tools, summarizer, workspaceId, agentId).catch(async (error: unknown) => {
    await releaseMemorySummaryClaim(db, claim);
    throw error;
  });
  if (outcome === 'no-summary') {
    await extendMemorySummaryClaim(db, { ...claim, untilMs: clock.now().getTime() + summaryRestMs });
    return 0;
  }
  await releaseMemorySummaryClaim(db, claim);
  return outcome;
}

/** The summary itself, under the agent's claim. */
async function summariseClaimed(
  tools: SummaryTools,
  summarizer: MemorySummarizer,
  workspaceId: string,
  agentId: string,
): Promise<number | 'no-summary'> {
  const { db, engine, clock, summariseAt, restingUntil, embedOrNull, embeddingModel } = tools;
  const count = await countMemoriesOfAgent(db, workspaceId, agentId);
  const wanted = Math.min(summaryBatchLimit, Math.max(2, count - summariseAt + 1));
  const batch = await listSummarisableMemories(db, workspaceId, agentId, wanted);
  if (batch.length < 2) return 0;
  const summary = await summarizer.summarise(
    workspaceId,
    agentId,
    batch.map((row) => ({ kind: row.kind, content: row.content, tags: readMemoryTags(row), createdAt: row.created_at })),
  );
  if (!summary) {
    restingUntil.set(agentId, clock.now().getTime() + summaryRestMs);
    return 'no-summary';
  }
  restingUntil.delete(agentId);
  const content = `${summary}\n\n(Summary of ${batch.length} older memories.)`;
  const tags = [...new Set(batch.flatMap((row) => readMemoryTags(row)))];
  const vector = await embedOrNull(content);
  const now = clock.now();
  const id = createId();
  const stored = await db
    .transaction()
    .execute(async (trx) => {
      if (
        !(await claimMemoryRows(
          trx,
          batch.map((row) => row.id),
        ))
      )
        throw new SummaryLost();
      await insertMemory(trx, {
        id,
        workspace_id: workspaceId,
        agent_id: agentId,
        content,
        kind: 'summary',
        tags: JSON.stringify(tags),
        task_id: null,
        importance: 3,
        shared_with_workspace_at: null,
        embedding: vector ? toStoredVector(engine, vector) : null,
        embedding_model: vector && embeddingModel ? embeddingModel : null,
        created_at: now.toISOString(),
      });
      await appendEvent(trx, {
        workspaceId,
        type: 'memory-created',
        actor: { kind: 'agent', id: agentId },
        agentId,
        summary: `Summarised ${batch.length} older memories into one`,
        data: { memoryId: id, kind: 'summary', importance: 3, embedded: vector !== null },
        at: now,
      });
      for (const row of batch) {
        await appendEvent(trx, {
          workspaceId,
          type: 'memory-deleted',
          actor: { kind: 'agent', id: agentId },
          agentId,
          summary: `Folded into a summary: ${row.content.slice(0, 80)}`,
          data: { memoryId: row.id, reason: 'summarised' },
          at: now,
        });
      }
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof SummaryLost) return false;
      throw error;
    });
  return stored ? batch.length : 0;
}

/** Another instance folded (or someone deleted) one of the memories first: this summary is dropped. */
class SummaryLost extends Error {}
