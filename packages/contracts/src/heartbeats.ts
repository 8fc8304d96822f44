import { z } from 'zod';
import { agentSchema } from './agents.js';
import { idSchema, taskReferenceSchema, timestampSchema } from './common.js';
import { notificationSchema } from './notifications.js';
import { taskSchema } from './tasks.js';

export const heartbeatRequestSchema = z.strictObject({
  status: z.enum(['idle', 'active', 'blocked']).optional().describe('What the agent says it is doing'),
  currentTaskId: taskReferenceSchema.nullable().optional(),
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

/** What a heartbeat answers: what is waiting for the agent right now. */
export const heartbeatResponseSchema = z
  .object({
    agent: agentSchema,
    nextHeartbeatDueAt: timestampSchema,
    offlineAfter: timestampSchema.describe('Missing heartbeats until then turns the agent offline and frees its tasks'),
    notifications: z.object({ unreadCount: z.number().int(), latest: z.array(notificationSchema) }),
    assignedTasks: z.array(taskSchema).describe('Open tasks assigned to the agent, most urgent first'),
    leases: z.array(z.object({ taskId: idSchema, key: z.string(), expiresAt: timestampSchema })),
    lead: z
      .object({ inboxCount: z.number().int(), blockedCount: z.number().int() })
      .nullable()
      .describe('For lead agents: work waiting to be triaged'),
    hasWork: z.boolean().describe('True when anything above calls for the agent to act'),
  })
  .meta({ id: 'HeartbeatResponse' });
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;
