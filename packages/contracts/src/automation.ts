// biome-ignore-all lint/suspicious/noThenProperty: `then` is the action of a trigger in the issue's contract
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is CEL interpolation in trigger strings
import { z } from 'zod';
import { idSchema, principalReferenceSchema, textSchema, timestampSchema } from './common.js';
import { createTaskSchema } from './tasks.js';

/** Routines: a workflow run or a task on a cron schedule. Triggers: IF an event THEN an action. */
const abSplitSchema = z.record(z.string(), z.number().min(0)).describe('Weight per workflow version, such as {"1": 50, "2": 50}');

export const routineSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    name: z.string(),
    schedule: z.string().describe('A cron expression (5 or 6 fields)'),
    timezone: z.string(),
    workflowId: idSchema.nullable(),
    task: z.record(z.string(), z.unknown()).nullable().describe('The task created each time, when the routine does not start a workflow'),
    inputs: z.record(z.string(), z.unknown()),
    abSplit: abSplitSchema.nullable(),
    enabled: z.boolean(),
    nextRunAt: timestampSchema.nullable(),
    lastRunAt: timestampSchema.nullable(),
    createdBy: principalReferenceSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Routine' });
export type Routine = z.infer<typeof routineSchema>;

const routineFields = {
  name: textSchema().trim().min(1).max(200),
  schedule: textSchema().trim().min(1).max(200).describe('Cron: "0 9 * * 1-5" is 09:00 on weekdays'),
  timezone: textSchema().max(100).describe('An IANA time zone such as Europe/Paris'),
  workflowId: idSchema.describe('The workflow to run; or give task'),
  task: createTaskSchema.describe('A task to create each time; or give workflowId'),
  inputs: z.record(z.string(), z.unknown()),
  abSplit: abSplitSchema,
  enabled: z.boolean(),
};

export const createRoutineSchema = z.strictObject({
  name: routineFields.name,
  schedule: routineFields.schedule,
  timezone: routineFields.timezone.default('UTC'),
  workflowId: routineFields.workflowId.optional(),
  task: routineFields.task.optional(),
  inputs: routineFields.inputs.default({}),
  abSplit: routineFields.abSplit.optional(),
  enabled: routineFields.enabled.default(true),
});
export type CreateRoutineInput = z.infer<typeof createRoutineSchema>;

export const updateRoutineSchema = z.strictObject({
  name: routineFields.name.optional(),
  schedule: routineFields.schedule.optional(),
  timezone: routineFields.timezone.optional(),
  inputs: routineFields.inputs.optional(),
  abSplit: routineFields.abSplit.nullable().optional(),
  enabled: routineFields.enabled.optional(),
});
export type UpdateRoutineInput = z.infer<typeof updateRoutineSchema>;

export const routineFiredSchema = z
  .object({ routine: routineSchema, workflowRunId: idSchema.nullable(), taskId: idSchema.nullable() })
  .meta({ id: 'RoutineFired' });

const notifyActionSchema = z.strictObject({
  roles: z.array(z.enum(['owner', 'admin', 'member', 'viewer'])).optional(),
  userIds: z.array(idSchema).optional(),
  message: textSchema().min(1).max(5_000),
});

export const triggerActionSchema = z
  .strictObject({
    startWorkflow: z
      .strictObject({
        workflow: textSchema().min(1).max(100).describe('The workflow id or name'),
        inputs: z.record(z.string(), z.unknown()).optional().describe('Values may hold ${…} CEL over `event`'),
      })
      .optional(),
    createTask: z
      .strictObject({
        title: textSchema().min(1).max(500),
        description: textSchema().max(20_000).optional(),
        priority: z.enum(['low', 'medium', 'high', 'urgent']).optional(),
        requiredCapabilities: z.array(textSchema().max(64)).max(20).optional(),
      })
      .optional(),
    postMessage: z.strictObject({ task: textSchema().min(1).max(200), content: textSchema().min(1).max(20_000) }).optional(),
    notify: notifyActionSchema.optional(),
  })
  .refine((action) => Object.values(action).filter(Boolean).length === 1, {
    message: 'give exactly one of startWorkflow, createTask, postMessage or notify',
  })
  .describe('Exactly one action; its strings may hold ${…} CEL over `event`');

export const triggerSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    name: z.string(),
    on: z.string().describe('The event type it listens to'),
    if: z.string().nullable().describe('CEL over `event`; fires only when true'),
    then: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    maxDepth: z.number().int().describe('The loop guard: how many trigger actions deep an event may be and still fire'),
    firedCount: z.number().int(),
    createdBy: principalReferenceSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Trigger' });
export type Trigger = z.infer<typeof triggerSchema>;

export const createTriggerSchema = z.strictObject({
  name: textSchema().trim().min(1).max(200),
  on: textSchema().min(1).max(100),
  if: textSchema().max(2_000).optional(),
  then: triggerActionSchema,
  enabled: z.boolean().default(true),
  maxDepth: z.number().int().min(0).max(10).default(3),
});
export type CreateTriggerInput = z.infer<typeof createTriggerSchema>;

export const updateTriggerSchema = z.strictObject({
  name: textSchema().trim().min(1).max(200).optional(),
  if: textSchema().max(2_000).nullable().optional(),
  then: triggerActionSchema.optional(),
  enabled: z.boolean().optional(),
  maxDepth: z.number().int().min(0).max(10).optional(),
});
export type UpdateTriggerInput = z.infer<typeof updateTriggerSchema>;
