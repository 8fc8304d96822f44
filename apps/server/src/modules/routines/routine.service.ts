import type { CreateRoutineInput, Routine, UpdateRoutineInput } from '@mission-control/contracts';
import { Cron } from 'croner';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkflowService } from '../workflows/workflow.service.js';
import {
  claimRoutineRun,
  deleteRoutineRow,
  findRoutine,
  insertRoutine,
  listDueRoutines,
  listRoutineRows,
  type RoutineRow,
  readRoutineInputs,
  readRoutineSplit,
  readRoutineTask,
  toRoutine,
  updateRoutineRow,
} from './routine.repository.js';

/** The next time a cron schedule fires after `after`, in its time zone (croner parses; never by hand). */
export function nextCronRun(schedule: string, timezone: string, after: Date): Date | null {
  let cron: Cron;
  try {
    cron = new Cron(schedule, { timezone, paused: true });
  } catch (error) {
    throw new AppError(
      'ROUTINE_SCHEDULE_INVALID',
      `The schedule "${schedule}" in ${timezone} is not usable: ${error instanceof Error ? error.message : 'invalid'}. Use cron such as "0 9 * * 1-5" and an IANA time zone such as Europe/Paris.`,
    );
  }
  return cron.nextRun(after);
}

function creatorOf(row: RoutineRow): Principal {
  if (row.created_by_kind === 'agent')
    return { kind: 'agent', id: row.created_by_id, workspaceId: row.workspace_id, role: 'agent', sessionId: null };
  const role = (['owner', 'admin', 'member', 'viewer'] as const).find((candidate) => candidate === row.created_by_role) ?? 'member';
  return { kind: 'user', id: row.created_by_id, workspaceId: row.workspace_id, role, sessionId: null };
}

export type RoutineService = ReturnType<typeof createRoutineService>;

/**
 * Routines: a workflow run or a task on a cron schedule. Each due routine is claimed by moving its
 * next run on from the value read (one instance wins), in the same transaction as what it starts;
 * the next run is computed from now, so slots missed while the server was down fire once.
 */
export function createRoutineService(context: ServiceContext, dependencies: { workflows: WorkflowService; tasks: TaskService }) {
  const { db, clock } = context;

  async function requireRoutine(principal: Principal, id: string): Promise<RoutineRow> {
    assertCan(principal, 'workspace:read');
    const row = await findRoutine(db, principal.workspaceId, id);
    if (!row) throw new AppError('ROUTINE_NOT_FOUND', 'No routine with this id in the workspace. List them with GET /api/v1/routines.');
    return row;
  }

  async function fire(trx: DatabaseExecutor, row: RoutineRow, manual: boolean) {
    const principal = creatorOf(row);
    let workflowRunId: string | null = null;
    let taskId: string | null = null;
    if (row.workflow_id) {
      workflowRunId = await dependencies.workflows.startRunInTransaction(trx, principal, row.workflow_id, {
        inputs: readRoutineInputs(row),
        abSplit: readRoutineSplit(row),
      });
    } else {
      const task = readRoutineTask(row);
      if (task) taskId = (await dependencies.tasks.createTaskInTransaction(trx, principal, task)).id;
    }
    await appendEvent(trx, {
      workspaceId: row.workspace_id,
      type: 'routine-fired',
      actor: null,
      taskId,
      summary: `Routine ${row.name} fired${manual ? ' by hand' : ''}`,
      data: { routineId: row.id, workflowRunId, manual },
      at: clock.now(),
    });
    return { workflowRunId, taskId };
  }

  return {
    async createRoutine(principal: Principal, input: CreateRoutineInput): Promise<Routine> {
      assertCan(principal, 'work:write');
      if (Boolean(input.workflowId) === Boolean(input.task)) {
        throw new AppError('VALIDATION_FAILED', 'Give a routine exactly one of workflowId (a workflow to run) or task (a task to create).');
      }
      if (input.workflowId) await dependencies.workflows.getWorkflow(principal, input.workflowId);
      const now = clock.now();
      const next = nextCronRun(input.schedule, input.timezone, now);
      const row = {
        id: createId(),
        workspace_id: principal.workspaceId,
        name: input.name,
        schedule: input.schedule,
        timezone: input.timezone,
        workflow_id: input.workflowId ?? null,
        task: input.task ? JSON.stringify(input.task) : null,
        inputs: JSON.stringify(input.inputs),
        ab_split: input.abSplit ? JSON.stringify(input.abSplit) : null,
        enabled: input.enabled ? 1 : 0,
        next_run_at: next?.toISOString() ?? null,
        last_run_at: null,
        created_by_kind: principal.kind,
        created_by_id: principal.id,
        created_by_role: principal.role,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await insertRoutine(db, row);
      return toRoutine(await requireRoutine(principal, row.id));
    },

    async listRoutines(principal: Principal) {
      assertCan(principal, 'workspace:read');
      return { data: (await listRoutineRows(db, principal.workspaceId)).map(toRoutine) };
    },

    async updateRoutine(principal: Principal, id: string, input: UpdateRoutineInput): Promise<Routine> {
      assertCan(principal, 'work:write');
      const row = await requireRoutine(principal, id);
      const now = clock.now();
      const schedule = input.schedule ?? row.schedule;
      const timezone = input.timezone ?? row.timezone;
      const changes = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.inputs !== undefined ? { inputs: JSON.stringify(input.inputs) } : {}),
        ...(input.abSplit !== undefined ? { ab_split: input.abSplit ? JSON.stringify(input.abSplit) : null } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        schedule,
        timezone,
        next_run_at: nextCronRun(schedule, timezone, now)?.toISOString() ?? null,
        updated_at: now.toISOString(),
      };
      await updateRoutineRow(db, row.id, changes);
      return toRoutine(await requireRoutine(principal, row.id));
    },

    async deleteRoutine(principal: Principal, id: string): Promise<void> {
      assertCan(principal, 'work:write');
      const row = await requireRoutine(principal, id);
      await deleteRoutineRow(db, row.id);
    },

    async triggerRoutine(principal: Principal, id: string) {
      assertCan(principal, 'work:write');
      const row = await requireRoutine(principal, id);
      const started = await db.transaction().execute((trx) => fire(trx, row, true));
      return { routine: toRoutine(row), ...started };
    },

    /** Fires every routine that is due, once each across instances; answers how many fired. */
    async fireDueRoutines(): Promise<number> {
      const now = clock.now();
      let fired = 0;
      for (const row of await listDueRoutines(db, now.toISOString(), 100)) {
        const did = await db.transaction().execute(async (trx) => {
          const next = nextCronRun(row.schedule, row.timezone, now);
          if (!(await claimRoutineRun(trx, row.id, row.next_run_at as string, next?.toISOString() ?? null, now.toISOString())))
            return false;
          await fire(trx, row, false);
          return true;
        });
        if (did) fired += 1;
      }
      return fired;
    },
  };
}
