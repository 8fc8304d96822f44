import type { triggerActionSchema } from '@mission-control/contracts';
import {
  type Activity,
  type CreateTriggerInput,
  createTaskSchema,
  findInterpolations,
  type Trigger,
  type UpdateTriggerInput,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent, findLatestEventSeq, listEventsAfter, toActivity } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { CelExpressionError, compileCelExpression } from '../integrations/cel/cel-expression.js';
import type { MessageService } from '../messages/message.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkflowService } from '../workflows/workflow.service.js';
import { checkWorkflowExpression, interpolateText, interpolateValue } from '../workflows/workflow-expressions.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  deleteTriggerRow,
  findTrigger,
  insertTrigger,
  listEnabledTriggers,
  listTriggerRows,
  moveTriggerCursor,
  readTriggerAction,
  type TriggerRow,
  toTrigger,
  updateTriggerRow,
} from './trigger.repository.js';

type TriggerAction = z.infer<typeof triggerActionSchema>;

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

function checkTrigger(condition: string | null | undefined, action: TriggerAction | undefined): void {
  if (condition) {
    try {
      compileCelExpression(condition, ['event']);
    } catch (error) {
      if (!(error instanceof CelExpressionError)) throw error;
      throw new AppError(
        'TRIGGER_INVALID',
        `The trigger's if is not CEL: ${error.message}. Write it over \`event\`, such as event.data.to == 'done'.`,
        { field: 'if' },
      );
    }
  }
  for (const text of stringsOf(action ?? {})) {
    for (const expression of findInterpolations(text)) {
      const problem = checkWorkflowExpression(expression);
      if (problem) throw new AppError('TRIGGER_INVALID', `\${${expression}} in the action is not CEL: ${problem}.`, { field: 'then' });
    }
  }
}

function creatorOf(row: TriggerRow): Principal {
  if (row.created_by_kind === 'agent')
    return { kind: 'agent', id: row.created_by_id, workspaceId: row.workspace_id, role: 'agent', sessionId: null };
  const role = (['owner', 'admin', 'member', 'viewer'] as const).find((candidate) => candidate === row.created_by_role) ?? 'member';
  return { kind: 'user', id: row.created_by_id, workspaceId: row.workspace_id, role, sessionId: null };
}

export type TriggerService = ReturnType<typeof createTriggerService>;

/**
 * Triggers: IF an event THEN an action, fed by the event stream. Each trigger keeps its own
 * cursor; an event's action runs in the transaction that moves the cursor past it (conditional on
 * where it was read), so each event is handled once per trigger across instances. The loop guard
 * reads how deep in trigger actions the event's run is, and stops past maxDepth.
 */
export function createTriggerService(
  context: ServiceContext,
  dependencies: {
    workflows: WorkflowService;
    tasks: TaskService;
    messages: MessageService;
    notifications: NotificationService;
    workspaces: WorkspaceService;
  },
) {
  const { db, clock } = context;

  async function requireTrigger(principal: Principal, id: string): Promise<TriggerRow> {
    assertCan(principal, 'workspace:read');
    const row = await findTrigger(db, principal.workspaceId, id);
    if (!row) throw new AppError('TRIGGER_NOT_FOUND', 'No trigger with this id in the workspace. List them with GET /api/v1/triggers.');
    return row;
  }

  async function depthOf(activity: Activity): Promise<number> {
    const data = activity.data as Record<string, unknown>;
    if (typeof data.workflowRunId === 'string')
      return (await dependencies.workflows.findRunDepth(activity.workspaceId, data.workflowRunId)) ?? 0;
    if (activity.taskId) return (await dependencies.workflows.findTaskRunDepth(activity.workspaceId, activity.taskId)) ?? 0;
    return 0;
  }

  /** Does the action inside the cursor's transaction; a message is posted after it commits (at most once). */
  async function act(trx: DatabaseExecutor, row: TriggerRow, activity: Activity, depth: number): Promise<(() => Promise<unknown>) | null> {
    const action = readTriggerAction(row);
    const principal = creatorOf(row);
    const scope = { inputs: {}, steps: {}, run: {}, event: activity };
    if (action.startWorkflow) {
      const inputs = interpolateValue(action.startWorkflow.inputs ?? {}, scope) as Record<string, unknown>;
      await dependencies.workflows.startRunInTransaction(trx, principal, action.startWorkflow.workflow, { inputs, depth: depth + 1 });
    } else if (action.createTask) {
      const input = createTaskSchema.parse({
        title: interpolateText(action.createTask.title, scope).slice(0, 500),
        description: action.createTask.description ? interpolateText(action.createTask.description, scope) : '',
        priority: action.createTask.priority ?? 'medium',
        requiredCapabilities: action.createTask.requiredCapabilities ?? [],
      });
      await dependencies.tasks.createTaskInTransaction(trx, principal, input);
    } else if (action.notify) {
      const notify = action.notify;
      const members = await dependencies.workspaces.listMembers(systemPrincipal(row.workspace_id));
      const content = interpolateText(notify.message, scope);
      await dependencies.notifications.notifyInTransaction(
        trx,
        row.workspace_id,
        null,
        members
          .filter((member) => notify.roles?.includes(member.role) || notify.userIds?.includes(member.user.id))
          .map((member) => ({
            recipient: { kind: 'user' as const, id: member.user.id },
            taskId: null,
            reason: 'system' as const,
            content,
          })),
      );
    } else if (action.postMessage) {
      const post = action.postMessage;
      return () =>
        dependencies.messages.postMessage(principal, interpolateText(post.task, scope), {
          content: interpolateText(post.content, scope),
          type: 'comment',
          attachments: [],
        });
    }
    await appendEvent(trx, {
      workspaceId: row.workspace_id,
      type: 'trigger-fired',
      actor: null,
      summary: `Trigger ${row.name} fired on ${activity.type}`,
      data: { triggerId: row.id, eventSeq: activity.seq, depth: depth + 1 },
      at: clock.now(),
    });
    return null;
  }

  async function feedTrigger(row: TriggerRow): Promise<void> {
    let cursor = Number(row.cursor_seq);
    const events = await listEventsAfter(db, { afterSeq: cursor, limit: 200, workspaceId: row.workspace_id });
    const condition = row.if_expression ? compileCelExpression(row.if_expression, ['event']) : null;
    for (const event of events) {
      const activity = toActivity(event);
      const seq = Number(event.seq);
      const verdict = condition?.evaluate({ event: activity });
      const matches =
        activity.type === row.on_event && activity.type !== 'trigger-fired' && (!verdict || (verdict.ok && verdict.value === true));
      const depth = matches ? await depthOf(activity) : 0;
      const fires = matches && depth < row.max_depth;
      const after = await db.transaction().execute(async (trx) => {
        if (!(await moveTriggerCursor(trx, row.id, cursor, seq, fires ? 1 : 0))) return 'elsewhere' as const;
        return fires ? ((await act(trx, row, activity, depth)) ?? ('done' as const)) : ('done' as const);
      });
      if (after === 'elsewhere') return;
      cursor = seq;
      if (typeof after === 'function') await after().catch(() => undefined);
    }
  }

  return {
    async createTrigger(principal: Principal, input: CreateTriggerInput): Promise<Trigger> {
      assertCan(principal, 'work:write');
      checkTrigger(input.if, input.then);
      const now = clock.now().toISOString();
      const row = {
        id: createId(),
        workspace_id: principal.workspaceId,
        name: input.name,
        on_event: input.on,
        if_expression: input.if ?? null,
        action: JSON.stringify(input.then),
        enabled: input.enabled ? 1 : 0,
        max_depth: input.maxDepth,
        cursor_seq: await findLatestEventSeq(db),
        fired_count: 0,
        created_by_kind: principal.kind,
        created_by_id: principal.id,
        created_by_role: principal.role,
        created_at: now,
        updated_at: now,
      };
      await insertTrigger(db, row);
      return toTrigger(await requireTrigger(principal, row.id));
    },

    async listTriggers(principal: Principal) {
      assertCan(principal, 'workspace:read');
      return { data: (await listTriggerRows(db, principal.workspaceId)).map(toTrigger) };
    },

    async updateTrigger(principal: Principal, id: string, input: UpdateTriggerInput): Promise<Trigger> {
      assertCan(principal, 'work:write');
      const row = await requireTrigger(principal, id);
      checkTrigger(input.if, input.then);
      const changes = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.if !== undefined ? { if_expression: input.if } : {}),
        ...(input.then !== undefined ? { action: JSON.stringify(input.then) } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        ...(input.maxDepth !== undefined ? { max_depth: input.maxDepth } : {}),
        updated_at: clock.now().toISOString(),
      };
      await updateTriggerRow(db, row.id, changes);
      return toTrigger(await requireTrigger(principal, row.id));
    },

    async deleteTrigger(principal: Principal, id: string): Promise<void> {
      assertCan(principal, 'work:write');
      const row = await requireTrigger(principal, id);
      await deleteTriggerRow(db, row.id);
    },

    /** Looks at the events since each trigger's cursor; safe on several instances at once. */
    async feedTriggers(): Promise<void> {
      for (const row of await listEnabledTriggers(db)) await feedTrigger(row);
    },
  };
}
