import { z } from 'zod';
import { capabilitySchema } from './agents.js';
import {
  idSchema,
  markdownSchema,
  pageQuerySchema,
  principalReferenceSchema,
  taskReferenceSchema,
  textSchema,
  timestampSchema,
} from './common.js';

/** The board's five columns, then the states work can end up in off the happy path. */
export const boardColumns = ['inbox', 'assigned', 'in_progress', 'review', 'done'] as const;
export const taskStatusSchema = z.enum([...boardColumns, 'blocked', 'failed', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskPrioritySchema = z.enum(['low', 'medium', 'high', 'urgent']);
export type TaskPriority = z.infer<typeof taskPrioritySchema>;

/** Sort rank of each priority: higher is more urgent. */
export const priorityRank: Record<TaskPriority, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

/**
 * Which status may follow which. Work moves forward through the board, can be sent back one
 * step (review → in_progress when changes are requested), and can be blocked, failed or
 * cancelled from any open state; nothing jumps from inbox straight to review or done.
 */
export const taskTransitions: Record<TaskStatus, readonly TaskStatus[]> = {
  inbox: ['assigned', 'in_progress', 'blocked', 'cancelled'],
  assigned: ['inbox', 'in_progress', 'blocked', 'cancelled'],
  in_progress: ['assigned', 'review', 'done', 'blocked', 'failed', 'cancelled'],
  review: ['in_progress', 'done', 'blocked', 'cancelled'],
  done: ['in_progress'],
  blocked: ['inbox', 'assigned', 'in_progress', 'cancelled'],
  failed: ['inbox', 'assigned', 'cancelled'],
  cancelled: ['inbox'],
};

/** Statuses in which a task must have at least one assignee. */
export const statusesNeedingAssignee: readonly TaskStatus[] = ['assigned', 'in_progress', 'review'];

/** Whether a task may move from one status to another. */
export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return taskTransitions[from].includes(to);
}

export const taskSchema = z
  .object({
    id: idSchema,
    key: z.string().describe('Short per-workspace key such as TASK-7, accepted wherever a task id is'),
    number: z.number().int(),
    workspaceId: idSchema,
    title: z.string(),
    description: z.string(),
    status: taskStatusSchema,
    priority: taskPrioritySchema,
    assignees: z.array(principalReferenceSchema),
    creator: principalReferenceSchema,
    parentId: idSchema.nullable(),
    dependencyIds: z.array(idSchema),
    requiredCapabilities: z.array(z.string()),
    dueAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    completedAt: timestampSchema.nullable(),
    lease: z
      .object({ holder: principalReferenceSchema, expiresAt: timestampSchema })
      .nullable()
      .describe('Who holds the task right now, if anyone; the token is only ever given to the holder'),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof taskSchema>;

const titleSchema = textSchema().trim().min(1).max(300);

export const createTaskSchema = z.strictObject({
  title: titleSchema,
  description: markdownSchema.default(''),
  priority: taskPrioritySchema.default('medium'),
  assignees: z.array(principalReferenceSchema).max(20).default([]),
  parentId: taskReferenceSchema.nullable().optional(),
  dependencyIds: z.array(taskReferenceSchema).max(50).default([]),
  requiredCapabilities: z.array(capabilitySchema).max(20).default([]),
  dueAt: timestampSchema.nullable().optional(),
});
export type CreateTaskInput = z.infer<typeof createTaskSchema>;

export const updateTaskSchema = z.strictObject({
  title: titleSchema.optional(),
  description: markdownSchema.optional(),
  priority: taskPrioritySchema.optional(),
  parentId: taskReferenceSchema.nullable().optional(),
  dependencyIds: z.array(taskReferenceSchema).max(50).optional(),
  requiredCapabilities: z.array(capabilitySchema).max(20).optional(),
  dueAt: timestampSchema.nullable().optional(),
});
export type UpdateTaskInput = z.infer<typeof updateTaskSchema>;

/** A full update (PUT): every editable field, the ones left out taking their defaults. */
export const replaceTaskSchema = z.strictObject({
  title: titleSchema,
  description: markdownSchema.default(''),
  priority: taskPrioritySchema.default('medium'),
  parentId: taskReferenceSchema.nullable().default(null),
  dependencyIds: z.array(taskReferenceSchema).max(50).default([]),
  requiredCapabilities: z.array(capabilitySchema).max(20).default([]),
  dueAt: timestampSchema.nullable().default(null),
});
export type ReplaceTaskInput = z.infer<typeof replaceTaskSchema>;

export const assignTaskSchema = z.strictObject({
  assignees: z.array(principalReferenceSchema).max(20).describe('The complete new list of assignees'),
});
export type AssignTaskInput = z.infer<typeof assignTaskSchema>;

export const leaseTokenSchema = textSchema().min(1).max(128).describe('The token returned by claim');

export const changeTaskStatusSchema = z.strictObject({
  status: taskStatusSchema,
  reason: textSchema().trim().max(2_000).optional().describe('Why: shown in the activity feed'),
  leaseToken: leaseTokenSchema
    .optional()
    .describe('Required from agents while the task is claimed; leaving in_progress releases the lease'),
});
export type ChangeTaskStatusInput = z.infer<typeof changeTaskStatusSchema>;

/**
 * A query parameter that takes one value or several: clients pass an array (sent comma
 * separated, OpenAPI's form style without explode) and the server splits the text it receives.
 */
export function commaListSchema<Item extends z.ZodType<string>>(item: Item) {
  return z.preprocess(
    (value: z.input<Item> | readonly z.input<Item>[]) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    z.array(item).max(20),
  );
}

export const listTasksQuerySchema = pageQuerySchema.extend({
  status: commaListSchema(taskStatusSchema).optional().describe('One status or several, comma separated'),
  priority: commaListSchema(taskPrioritySchema).optional(),
  assigneeId: idSchema.optional().describe('Tasks assigned to this agent or user'),
  parentId: taskReferenceSchema.optional().describe('Subtasks of this task'),
  q: textSchema().trim().min(1).max(200).optional().describe('Text to find in the title or description'),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const taskParamsSchema = z.object({ id: taskReferenceSchema });

export const minLeaseSeconds = 30;
export const maxLeaseSeconds = 3_600;
export const defaultLeaseSeconds = 300;

export const claimTaskSchema = z.strictObject({
  leaseSeconds: z
    .number()
    .int()
    .min(minLeaseSeconds)
    .max(maxLeaseSeconds)
    .default(defaultLeaseSeconds)
    .describe('How long the lease lasts without a heartbeat renewing it'),
});
export type ClaimTaskInput = z.infer<typeof claimTaskSchema>;

/** A claim's lease: present the token with status changes, progress messages and release. */
export const leaseSchema = z
  .object({
    token: z.string(),
    expiresAt: timestampSchema,
    holder: principalReferenceSchema,
  })
  .meta({ id: 'Lease' });
export type Lease = z.infer<typeof leaseSchema>;

export const claimResultSchema = z.object({ task: taskSchema, lease: leaseSchema }).meta({ id: 'ClaimResult' });
export type ClaimResult = z.infer<typeof claimResultSchema>;

export const releaseTaskSchema = z.strictObject({
  leaseToken: leaseTokenSchema,
  status: z
    .enum(['inbox', 'assigned', 'blocked', 'failed'])
    .optional()
    .describe('Where the task goes; assigned (or inbox when nobody is assigned) by default'),
  reason: textSchema().trim().max(2_000).optional(),
});
export type ReleaseTaskInput = z.infer<typeof releaseTaskSchema>;
