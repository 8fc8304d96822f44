import type { AgentKind, Task } from '@mission-control/contracts';
import { type AgentTool, runTool, taskLine, toolResult } from '@mission-control/mcp';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';

const plannedSubtaskSchema = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000).default(''),
  priority: z.enum(['low', 'medium', 'high', 'urgent']).default('medium'),
  requiredCapabilities: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
  dependsOn: z
    .array(z.number().int().min(0))
    .max(20)
    .default([])
    .describe('Indexes (0-based) of earlier subtasks in this list that must be done first'),
});

async function findAgentByName(client: MissionControl, name: string) {
  const wanted = name.replace(/^@/, '').toLowerCase();
  for await (const agent of client.agents.list({ limit: 200 })) if (agent.name.toLowerCase() === wanted) return agent;
  return undefined;
}

/** The lead's tools: plan a goal into subtasks with dependencies, see who fits, assign, escalate to a person. */
export function createLeadTools(client: MissionControl): AgentTool[] {
  return [
    {
      name: 'plan_subtasks',
      title: 'Plan a goal into subtasks',
      description:
        'Break a goal into subtasks under it, with the capabilities each needs and which earlier subtasks must be done first (dependsOn, by index). ' +
        'Subtasks with nothing to wait for are assigned to the best-fitting agent at once; the others are assigned automatically when what they wait for is done. ' +
        'Returns the created subtasks with their keys and assignees.',
      inputSchema: {
        goalTaskId: z.string().min(1).max(64).describe('The goal to break down (id or key)'),
        subtasks: z.array(plannedSubtaskSchema).min(1).max(20),
      },
      run: (input) =>
        runTool(async () => {
          const goal = await client.tasks.get(String(input.goalTaskId));
          const planned = z.array(plannedSubtaskSchema).parse(input.subtasks);
          const created: Task[] = [];
          const lines: string[] = [];
          for (const [index, subtask] of planned.entries()) {
            const dependencyIds = subtask.dependsOn
              .filter((dependency) => dependency < index)
              .map((dependency) => created[dependency]?.id ?? '');
            let task = await client.tasks.create({
              title: subtask.title,
              description: subtask.description,
              priority: subtask.priority,
              requiredCapabilities: subtask.requiredCapabilities,
              parentId: goal.id,
              dependencyIds: dependencyIds.filter(Boolean),
            });
            let note = 'waits for its dependencies';
            if (dependencyIds.length === 0) {
              const { task: assigned, chosen } = await client.runtime.assignBest(task.id);
              task = assigned;
              note = chosen ? `assigned to ${chosen.name}` : 'nobody fits yet: left in the inbox';
            }
            created.push(task);
            lines.push(`${taskLine(task)} — ${note}`);
          }
          return toolResult(`Planned ${created.length} subtask(s) of ${goal.key}:\n${lines.join('\n')}`);
        }),
    },
    {
      name: 'suggest_assignees',
      title: 'Suggest assignees',
      description:
        'Score every agent for a task: required capabilities, current load against its concurrency limit, and its record (success and speed) on similar tasks. Returns the agents best first with the reasons.',
      inputSchema: { taskId: z.string().min(1).max(64) },
      run: (input) =>
        runTool(async () => {
          const candidates = await client.runtime.assignmentCandidates(String(input.taskId));
          return toolResult(
            candidates
              .map(
                (candidate) =>
                  `${candidate.name}: ${candidate.score}${candidate.eligible ? '' : ' (not eligible)'} — ${candidate.reasons.join('; ')}`,
              )
              .join('\n') || 'No agents.',
          );
        }),
    },
    {
      name: 'assign_task',
      title: 'Assign a task',
      description:
        'Assign a task to an agent by name, or, without agentName, to the best-fitting agent. Returns the task with its assignee.',
      inputSchema: {
        taskId: z.string().min(1).max(64),
        agentName: z.string().min(1).max(64).optional().describe('Leave out to pick the best agent'),
      },
      run: (input) =>
        runTool(async () => {
          if (input.agentName === undefined) {
            const { task, chosen } = await client.runtime.assignBest(String(input.taskId));
            return toolResult(
              chosen ? `${taskLine(task)} assigned to ${chosen.name} (score ${chosen.score}).` : `Nobody fits ${task.key} now.`,
            );
          }
          const agent = await findAgentByName(client, String(input.agentName));
          if (!agent) return { isError: true, content: [{ type: 'text', text: `error: no agent named ${String(input.agentName)}` }] };
          const task = await client.tasks.assign(String(input.taskId), [{ kind: 'agent', id: agent.id }]);
          return toolResult(`${taskLine(task)} assigned to ${agent.name}.`);
        }),
    },
    {
      name: 'escalate_task',
      title: 'Escalate to a person',
      description:
        'Hand blocked or stale work to a human: the task shows blocked and the workspace owners are notified with your reason. Use it when the squad cannot go on without a decision.',
      inputSchema: { taskId: z.string().min(1).max(64), reason: z.string().min(1).max(2_000) },
      run: (input) =>
        runTool(async () => {
          const task = await client.runtime.escalate(String(input.taskId), String(input.reason));
          return toolResult(`${taskLine(task)} escalated to the owners.`);
        }),
    },
  ];
}

/** The reviewer's tools: approve work in review, or send it back with a comment. */
export function createReviewerTools(client: MissionControl): AgentTool[] {
  return [
    {
      name: 'approve_task',
      title: 'Approve work in review',
      description: 'Approve a task in review: it moves to done, with your comment in its thread. Read the task and its documents first.',
      inputSchema: { taskId: z.string().min(1).max(64), comment: z.string().max(5_000).optional() },
      run: (input) =>
        runTool(async () => {
          if (input.comment)
            await client.messages.post(String(input.taskId), { content: `Approved: ${String(input.comment)}`, type: 'comment' });
          const task = await client.tasks.updateStatus(String(input.taskId), { status: 'done', reason: 'approved in review' });
          return toolResult(`${taskLine(task)} approved.`);
        }),
    },
    {
      name: 'send_back_task',
      title: 'Send work back',
      description: 'Send a task in review back to its assignees (in progress again) with a comment saying exactly what to change.',
      inputSchema: { taskId: z.string().min(1).max(64), comment: z.string().min(1).max(10_000) },
      run: (input) =>
        runTool(async () => {
          const task = await client.runtime.sendBack(String(input.taskId), String(input.comment));
          return toolResult(`${taskLine(task)} sent back with your comment.`);
        }),
    },
  ];
}

/** The tools an agent of this kind gets beyond the shared set. */
export function createRoleTools(client: MissionControl, kind: AgentKind): AgentTool[] {
  if (kind === 'lead') return createLeadTools(client);
  if (kind === 'reviewer') return createReviewerTools(client);
  return [];
}
