import { z } from 'zod';
import { pageQuerySchema } from './common.js';
import {
  agentCreatedEventSchema,
  agentDeletedEventSchema,
  agentEventSchemas,
  agentRuntimeUpdatedEventSchema,
  agentStatusChangedEventSchema,
  agentUpdatedEventSchema,
  apiKeyCreatedEventSchema,
  apiKeyRevokedEventSchema,
  budgetEventSchemas,
  budgetExhaustedEventSchema,
  budgetWarningEventSchema,
  documentCreatedEventSchema,
  documentDeletedEventSchema,
  documentEventSchemas,
  documentVersionedEventSchema,
  memberAddedEventSchema,
  memberRemovedEventSchema,
  memberUpdatedEventSchema,
  messageEventSchemas,
  messagePostedEventSchema,
  notificationCreatedEventSchema,
  runEventSchemas,
  runFailedEventSchema,
  runFinishedEventSchema,
  runStartedEventSchema,
  runStepEventSchema,
  sessionEndedEventSchema,
  sessionEventSchemas,
  taskAssignedEventSchema,
  taskClaimedEventSchema,
  taskCreatedEventSchema,
  taskDeletedEventSchema,
  taskEscalatedEventSchema,
  taskEventSchemas,
  taskLeaseExpiredEventSchema,
  taskReleasedEventSchema,
  taskStatusChangedEventSchema,
  taskUpdatedEventSchema,
  unreadableEventSchema,
  workingStateUpdatedEventSchema,
  workspaceCreatedEventSchema,
  workspaceEventSchemas,
} from './events/index.js';

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
  'session-ended',
]);
export type EventType = z.infer<typeof eventTypeSchema>;

/** The schema of each event type's `data`: what the server validates before storing an event and parses when reading one. */
export const eventDataSchemas = {
  'workspace-created': workspaceCreatedEventSchema.shape.data,
  'member-added': memberAddedEventSchema.shape.data,
  'member-updated': memberUpdatedEventSchema.shape.data,
  'member-removed': memberRemovedEventSchema.shape.data,
  'agent-created': agentCreatedEventSchema.shape.data,
  'agent-updated': agentUpdatedEventSchema.shape.data,
  'agent-deleted': agentDeletedEventSchema.shape.data,
  'agent-status-changed': agentStatusChangedEventSchema.shape.data,
  'api-key-created': apiKeyCreatedEventSchema.shape.data,
  'api-key-revoked': apiKeyRevokedEventSchema.shape.data,
  'task-created': taskCreatedEventSchema.shape.data,
  'task-updated': taskUpdatedEventSchema.shape.data,
  'task-assigned': taskAssignedEventSchema.shape.data,
  'task-status-changed': taskStatusChangedEventSchema.shape.data,
  'task-deleted': taskDeletedEventSchema.shape.data,
  'task-claimed': taskClaimedEventSchema.shape.data,
  'task-released': taskReleasedEventSchema.shape.data,
  'task-lease-expired': taskLeaseExpiredEventSchema.shape.data,
  'task-escalated': taskEscalatedEventSchema.shape.data,
  'message-posted': messagePostedEventSchema.shape.data,
  'document-created': documentCreatedEventSchema.shape.data,
  'document-versioned': documentVersionedEventSchema.shape.data,
  'document-deleted': documentDeletedEventSchema.shape.data,
  'notification-created': notificationCreatedEventSchema.shape.data,
  'working-state-updated': workingStateUpdatedEventSchema.shape.data,
  'budget-warning': budgetWarningEventSchema.shape.data,
  'budget-exhausted': budgetExhaustedEventSchema.shape.data,
  'run-started': runStartedEventSchema.shape.data,
  'run-step': runStepEventSchema.shape.data,
  'run-finished': runFinishedEventSchema.shape.data,
  'run-failed': runFailedEventSchema.shape.data,
  'agent-runtime-updated': agentRuntimeUpdatedEventSchema.shape.data,
  'session-ended': sessionEndedEventSchema.shape.data,
} satisfies { [Type in EventType]: z.ZodObject };

/** The `data` of one event type, as read. */
export type EventData<Type extends EventType> = z.output<(typeof eventDataSchemas)[Type]>;
/** The `data` of one event type, as written. */
export type EventDataInput<Type extends EventType> = z.input<(typeof eventDataSchemas)[Type]>;

/**
 * One entry of the workspace's event stream, which is also its activity feed: the fields every
 * event has, and a `data` object whose shape is fixed by `type` (narrow on `type` to read it).
 */
export const activitySchema = z
  .discriminatedUnion('type', [
    ...workspaceEventSchemas,
    ...agentEventSchemas,
    ...taskEventSchemas,
    ...messageEventSchemas,
    ...documentEventSchemas,
    ...budgetEventSchemas,
    ...runEventSchemas,
    ...sessionEventSchemas,
    unreadableEventSchema,
  ])
  .meta({ id: 'Activity' });
export type Activity = z.infer<typeof activitySchema>;

/** The activity of one type, narrowed: `ActivityOf<'task-created'>['data']` is that event's data. */
export type ActivityOf<Type extends Activity['type']> = Extract<Activity, { type: Type }>;

export const listActivitiesQuerySchema = pageQuerySchema.extend({
  type: eventTypeSchema.optional(),
});
export type ListActivitiesQuery = z.infer<typeof listActivitiesQuerySchema>;
