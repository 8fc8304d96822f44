import { z } from 'zod';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

const runShape = { workflowRunId: idSchema, workflowId: idSchema, workflowName: z.string(), version: z.number().int() };
const stepShape = { workflowRunId: idSchema, stepId: z.string(), itemIndex: z.number().int().nullable() };

export const workflowRunStartedEventSchema = defineEvent(
  'workflow-run-started',
  { id: 'WorkflowRunStartedEvent', description: 'A workflow run started (by a person, an agent, a routine, a trigger or a parent run).' },
  { ...runShape, parentRunId: idSchema.nullable() },
);

export const workflowStepStartedEventSchema = defineEvent(
  'workflow-step-started',
  { id: 'WorkflowStepStartedEvent', description: 'A step of a run started: a task was created, an approval requested, a timer set…' },
  { ...stepShape, kind: z.string(), attempt: z.number().int() },
);

export const workflowStepFinishedEventSchema = defineEvent(
  'workflow-step-finished',
  { id: 'WorkflowStepFinishedEvent', description: 'A step of a run finished: completed, failed, skipped or cancelled.' },
  { ...stepShape, status: z.string(), error: z.string().nullable() },
);

export const workflowRunFinishedEventSchema = defineEvent(
  'workflow-run-finished',
  { id: 'WorkflowRunFinishedEvent', description: 'A workflow run completed, failed or was cancelled.' },
  { ...runShape, status: z.string(), error: z.string().nullable(), durationSeconds: z.number() },
);

export const approvalRequestedEventSchema = defineEvent(
  'approval-requested',
  { id: 'ApprovalRequestedEvent', description: 'A human gate opened: a workflow approval step, or an agent proposing a new agent.' },
  { approvalId: idSchema, title: z.string(), sourceKind: z.string() },
);

export const approvalDecidedEventSchema = defineEvent(
  'approval-decided',
  { id: 'ApprovalDecidedEvent', description: 'An approval was approved, rejected, or expired unanswered.' },
  { approvalId: idSchema, status: z.string(), comment: z.string().nullable() },
);

export const routineFiredEventSchema = defineEvent(
  'routine-fired',
  { id: 'RoutineFiredEvent', description: 'A routine ran on its schedule or by hand.' },
  { routineId: idSchema, workflowRunId: idSchema.nullable(), manual: z.boolean() },
);

export const triggerFiredEventSchema = defineEvent(
  'trigger-fired',
  { id: 'TriggerFiredEvent', description: 'A trigger matched an event and did its action.' },
  { triggerId: idSchema, eventSeq: z.number().int(), depth: z.number().int() },
);

export const workflowEventSchemas = [
  workflowRunStartedEventSchema,
  workflowStepStartedEventSchema,
  workflowStepFinishedEventSchema,
  workflowRunFinishedEventSchema,
  approvalRequestedEventSchema,
  approvalDecidedEventSchema,
  routineFiredEventSchema,
  triggerFiredEventSchema,
] as const;
