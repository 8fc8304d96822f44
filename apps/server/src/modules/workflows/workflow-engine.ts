import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { listEventsAfter } from '../../events/event.repository.js';
import {
  findFeedCursor,
  leaseWorkflowRun,
  listActiveRunWorkspaces,
  listDueRunIds,
  listRunIdsWaitingOnTasks,
  moveFeedCursor,
  releaseWorkflowRun,
  setRunWake,
  type WorkflowRunRow,
} from './workflow.repository.js';
import {
  type EngineRuntime,
  finishRun,
  type NewRun,
  startRunInTransaction,
  type WorkflowEngineDependencies,
} from './workflow-run-lifecycle.js';
import { advanceRunOnce } from './workflow-run-pass.js';

export type { NewRun, WorkflowLookup } from './workflow-run-lifecycle.js';

export type WorkflowEngine = ReturnType<typeof createWorkflowEngine>;

/**
 * The durable engine. A run's state is its rows: every step row moves from pending on only by a
 * conditional update in the same transaction as what the step does (its task, its approval, its
 * child run), so a crash at any point re-reads the rows and never does a step twice. Runs wake on
 * the event stream (a task of theirs changed status), on decisions and on timers (`wake_at`); one
 * instance at a time advances a run, under a lease.
 *
 * The parts: a run's start and end (workflow-run-lifecycle.ts), one pass over a run
 * (workflow-run-pass.ts) and starting each kind of step (workflow-step-start.ts).
 */
export function createWorkflowEngine(
  context: ServiceContext,
  dependencies: WorkflowEngineDependencies,
  options: { instanceId?: string; leaseSeconds?: number } = {},
) {
  const runtime: EngineRuntime = { context, dependencies };
  const { db, clock } = context;
  const owner = options.instanceId ?? createId();
  const leaseMs = (options.leaseSeconds ?? 10) * 1_000;

  /** Advances one run as far as it goes now, under its lease; answers whether this instance held it. */
  async function advanceRun(runId: string): Promise<boolean> {
    const now = clock.now();
    const leased = await leaseWorkflowRun(db, runId, owner, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString());
    if (!leased) return false;
    try {
      for (let pass = 0; pass < 100; pass += 1) {
        if (!(await advanceRunOnce(runtime, runId))) break;
      }
    } finally {
      await releaseWorkflowRun(db, runId, owner);
    }
    return true;
  }

  /** Reads the events since the last look and wakes the runs whose tasks changed; safe on several instances. */
  async function feedRuns(): Promise<void> {
    for (const { workspace_id: workspaceId } of await listActiveRunWorkspaces(db)) {
      const cursor = (await findFeedCursor(db, workspaceId))?.cursor_seq ?? 0;
      const events = await listEventsAfter(db, { afterSeq: cursor, limit: 500, workspaceId });
      if (events.length === 0) continue;
      const taskIds = events.flatMap((event) =>
        (event.type === 'task-status-changed' || event.type === 'task-deleted') && event.task_id ? [event.task_id] : [],
      );
      const last = Number(events[events.length - 1]?.seq ?? cursor);
      await db.transaction().execute(async (trx) => {
        if (!(await moveFeedCursor(trx, workspaceId, cursor, last))) return;
        const runs = await listRunIdsWaitingOnTasks(trx, [...new Set(taskIds)]);
        await setRunWake(
          trx,
          runs.map((entry) => entry.run_id),
          clock.now().toISOString(),
        );
      });
    }
  }

  return {
    startRunInTransaction: (trx: DatabaseExecutor, input: NewRun) => startRunInTransaction(runtime, trx, input),
    advanceRun,
    feedRuns,
    finishRun: (trx: DatabaseExecutor, run: WorkflowRunRow, status: 'completed' | 'failed' | 'cancelled', error: string | null) =>
      finishRun(runtime, trx, run, status, error),
    /** Wakes runs now (after a decision in the same transaction). */
    wakeRuns: (trx: DatabaseExecutor, runIds: string[]) => setRunWake(trx, runIds, clock.now().toISOString()),
    /** What every instance runs each second: the feed, then every run that is due. */
    async tick(): Promise<number> {
      await feedRuns();
      const due = await listDueRunIds(db, clock.now().toISOString(), 100);
      let advanced = 0;
      for (const { id } of due) if (await advanceRun(id)) advanced += 1;
      return advanced;
    },
  };
}
