import { z } from 'zod';
import { idSchema, pageQuerySchema, principalReferenceSchema, timestampSchema } from './common.js';

/** Event types are noun-verb, past tense. */
export const eventTypeSchema = z.enum([
  'workspace-created',
  'member-added',
  'member-updated',
  'member-removed',
  'agent-created',
  'agent-updated',
  'agent-deleted',
  'agent-status-changed',
  'api-key-created',
  'api-key-revoked',
  'task-created',
  'task-updated',
  'task-assigned',
  'task-status-changed',
  'task-deleted',
  'task-claimed',
  'task-released',
  'task-lease-expired',
  'task-escalated',
  'message-posted',
  'document-created',
  'document-versioned',
  'document-deleted',
  'notification-created',
  'working-state-updated',
  'budget-warning',
  'budget-exhausted',
  'run-started',
  'run-step',
  'run-finished',
  'run-failed',
  'agent-runtime-updated',
]);
export type EventType = z.infer<typeof eventTypeSchema>;

/** One entry of the workspace's event stream, which is also its activity feed. */
export const activitySchema = z
  .object({
    seq: z.number().int().describe('Global, increasing sequence number'),
    id: idSchema,
    workspaceId: idSchema,
    type: eventTypeSchema,
    actor: principalReferenceSchema.nullable().describe('Who did it; null for the system'),
    taskId: idSchema.nullable(),
    agentId: idSchema.nullable(),
    summary: z.string().describe('One human-readable line'),
    data: z.record(z.string(), z.unknown()),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Activity' });
export type Activity = z.infer<typeof activitySchema>;

export const listActivitiesQuerySchema = pageQuerySchema.extend({
  type: eventTypeSchema.optional(),
});
export type ListActivitiesQuery = z.infer<typeof listActivitiesQuerySchema>;
