import { z } from 'zod';
import { idSchema, principalReferenceSchema, timestampSchema } from '../common.js';
import { taskPrioritySchema, taskStatusSchema } from '../tasks.js';
import { changedFieldsSchema, defineEvent, eventTaskKeySchema } from './event-base.js';

const assigneesSchema = z.array(principalReferenceSchema);

export const taskCreatedEventSchema = defineEvent(
  'task-created',
  { id: 'TaskCreatedEvent', description: 'A task was created (by a person, an agent planning work, or as a subtask).' },
  {
    key: eventTaskKeySchema,
    title: z.string(),
    status: taskStatusSchema.describe('inbox, or assigned when it was created with assignees'),
    priority: taskPrioritySchema,
    assignees: assigneesSchema,
    parentId: idSchema.nullable().describe('The parent task of a subtask'),
  },
);

export const taskUpdatedEventSchema = defineEvent(
  'task-updated',
  { id: 'TaskUpdatedEvent', description: "A task's title, description, priority, due date, dependencies or capabilities were edited." },
  { key: eventTaskKeySchema, fields: changedFieldsSchema },
);

export const taskAssignedEventSchema = defineEvent(
  'task-assigned',
  { id: 'TaskAssignedEvent', description: "A task's assignee list was replaced (an empty list unassigns it)." },
  { key: eventTaskKeySchema, assignees: assigneesSchema, previousAssignees: assigneesSchema },
);

export const taskStatusChangedEventSchema = defineEvent(
  'task-status-changed',
  {
    id: 'TaskStatusChangedEvent',
    description: 'A task moved on the board: by hand, by a claim or release, by assignment, or when a lease expired.',
  },
  {
    key: eventTaskKeySchema,
    from: taskStatusSchema,
    to: taskStatusSchema,
    reason: z.string().optional().describe('Why, when the mover said so'),
  },
);

export const taskDeletedEventSchema = defineEvent(
  'task-deleted',
  { id: 'TaskDeletedEvent', description: 'A task was deleted.' },
  { key: eventTaskKeySchema, title: z.string() },
);

export const taskClaimedEventSchema = defineEvent(
  'task-claimed',
  { id: 'TaskClaimedEvent', description: 'An agent or person claimed a task and holds its lease until expiresAt.' },
  { key: eventTaskKeySchema, holder: principalReferenceSchema, expiresAt: timestampSchema },
);

export const taskReleasedEventSchema = defineEvent(
  'task-released',
  { id: 'TaskReleasedEvent', description: 'The lease holder released a task and stepped away from it.' },
  {
    key: eventTaskKeySchema,
    status: taskStatusSchema.describe('Where the task went'),
    reason: z.string().optional(),
  },
);

export const taskLeaseExpiredEventSchema = defineEvent(
  'task-lease-expired',
  {
    id: 'TaskLeaseExpiredEvent',
    description: 'A lease ran out (or its holder went offline) and the task went back to the board without its holder.',
  },
  {
    key: eventTaskKeySchema,
    holder: principalReferenceSchema,
    reason: z.string(),
    status: taskStatusSchema.describe('Where the task went'),
  },
);

export const taskEscalatedEventSchema = defineEvent(
  'task-escalated',
  { id: 'TaskEscalatedEvent', description: 'A task was escalated to the owners; it is blocked until a person acts.' },
  { key: eventTaskKeySchema, reason: z.string() },
);

export const taskEventSchemas = [
  taskCreatedEventSchema,
  taskUpdatedEventSchema,
  taskAssignedEventSchema,
  taskStatusChangedEventSchema,
  taskDeletedEventSchema,
  taskClaimedEventSchema,
  taskReleasedEventSchema,
  taskLeaseExpiredEventSchema,
  taskEscalatedEventSchema,
] as const;
