import { z } from 'zod';
import type { Agent, AgentStatus } from './agents.js';
import { agentStatusSchema } from './agents.js';
import { idSchema, timestampSchema } from './common.js';
import type { Task } from './tasks.js';
import { taskStatusSchema } from './tasks.js';

/** The task an agent is on, as a person reads it: key and title, not an id. */
export const agentCurrentTaskSchema = z
  .object({ id: idSchema, key: z.string(), title: z.string(), status: taskStatusSchema })
  .meta({ id: 'AgentCurrentTask' });
export type AgentCurrentTask = z.infer<typeof agentCurrentTaskSchema>;

export const agentStateSchema = z
  .object({
    agentId: idSchema,
    status: agentStatusSchema.describe(
      'Derived from presence, claims and runs: offline when heartbeats stopped; active while the agent holds a lease, has a task in progress or a run going; blocked when it reported so or its only work is blocked; idle otherwise',
    ),
    reportedStatus: agentStatusSchema.describe('What the agent last reported with its heartbeat'),
    currentTask: agentCurrentTaskSchema.nullable(),
    openTaskCount: z.number().int().describe('Tasks assigned to the agent that are not done, failed or cancelled'),
    lastHeartbeatAt: timestampSchema.nullable(),
  })
  .meta({ id: 'AgentState' });
export type AgentState = z.infer<typeof agentStateSchema>;

type TaskForState = Pick<Task, 'id' | 'key' | 'title' | 'status' | 'assignees' | 'lease' | 'updatedAt'>;

const finishedStatuses: ReadonlySet<string> = new Set(['done', 'failed', 'cancelled']);

/**
 * The one definition of what an agent is doing, used by the API (`GET /api/v1/overview`),
 * WORKING.md and the dashboard: presence says whether the agent is there at all; what it holds
 * (leases), what it is assigned in progress, and its running runs say whether it is working.
 */
export function deriveAgentState(
  agent: Pick<Agent, 'id' | 'status' | 'lastHeartbeatAt'>,
  tasks: readonly TaskForState[],
  options: { now: number; running?: boolean } = { now: Date.now() },
): AgentState {
  const mine = tasks.filter((task) => task.assignees.some((each) => each.kind === 'agent' && each.id === agent.id));
  const held = tasks.filter(
    (task) => task.lease?.holder.kind === 'agent' && task.lease.holder.id === agent.id && Date.parse(task.lease.expiresAt) > options.now,
  );
  const newest = (list: TaskForState[]) => [...list].sort((left, right) => right.updatedAt.localeCompare(left.updatedAt))[0];
  const current =
    newest(held) ??
    newest(mine.filter((task) => task.status === 'in_progress')) ??
    newest(mine.filter((task) => task.status === 'review')) ??
    newest(mine.filter((task) => task.status === 'assigned')) ??
    newest(mine.filter((task) => task.status === 'blocked'));
  const open = mine.filter((task) => !finishedStatuses.has(task.status));
  const working = held.length > 0 || mine.some((task) => task.status === 'in_progress') || options.running === true;
  let status: AgentStatus;
  if (agent.status === 'offline') status = 'offline';
  else if (working) status = 'active';
  else if (agent.status === 'blocked' || (open.length > 0 && open.every((task) => task.status === 'blocked'))) status = 'blocked';
  else status = 'idle';
  return {
    agentId: agent.id,
    status,
    reportedStatus: agent.status,
    currentTask: current ? { id: current.id, key: current.key, title: current.title, status: current.status } : null,
    openTaskCount: open.length,
    lastHeartbeatAt: agent.lastHeartbeatAt,
  };
}

export const overviewQuerySchema = z.strictObject({
  since: timestampSchema
    .optional()
    .describe('Count messages posted since this instant (the start of the caller’s day); defaults to 24 hours ago'),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

const count = z.number().int().min(0);

/** The command center's numbers, counted by the server so every screen shows the same ones. */
export const overviewSchema = z
  .object({
    tasksByStatus: z
      .object({
        inbox: count,
        assigned: count,
        in_progress: count,
        review: count,
        done: count,
        blocked: count,
        failed: count,
        cancelled: count,
      })
      .describe('Every status, blocked, failed and cancelled included'),
    needsAttention: z.number().int().describe('Blocked plus failed tasks: what a person should look at'),
    agents: z.array(agentStateSchema),
    activeAgents: z.number().int().describe('Agents whose derived status is active'),
    totalAgents: z.number().int(),
    messagesSince: z.number().int().describe('Messages posted since `since`'),
    since: timestampSchema,
    generatedAt: timestampSchema,
  })
  .meta({ id: 'Overview' });
export type Overview = z.infer<typeof overviewSchema>;
