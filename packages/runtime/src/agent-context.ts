import type { Agent, Notification, Task } from '@mission-control/contracts';
import { taskLine } from '@mission-control/mcp';
import type { MissionControl } from '@mission-control/sdk';

/** What an agent reads at the start of a turn. */
export interface AgentContext {
  agent: Agent;
  notifications: Notification[];
  assignedTasks: Task[];
  /** The task the turn is about, with its thread, when there is one. */
  focus: { task: Task; thread: string } | null;
  /** For lead agents: the inbox waiting to be triaged and the blocked tasks. */
  inbox: Task[];
  blocked: Task[];
  /** For reviewers: the tasks waiting in review. */
  review: Task[];
  workingMarkdown: string;
  /** Memories recalled for the task at hand (own and shared), most relevant first, within the memory budget. */
  recalledMemories: string[];
}

/** Recalled memories get about this many tokens of the prompt (four characters a token). */
export const memoryTokenBudget = 1_000;

const maxWorkingCharacters = 6_000;
const maxThreadMessages = 30;

/** Reads the agent's context through the API with the agent's own key: the same view an external agent gets. */
export async function loadAgentContext(
  client: MissionControl,
  options: { agentId: string; taskId?: string | null },
): Promise<AgentContext> {
  const agent = await client.agents.get(options.agentId);
  const [notificationsPage, assignedTasks, workingMarkdown] = await Promise.all([
    client.notifications.list({ unread: true, limit: 20 }).page(),
    client.tasks.list({ assigneeId: agent.id, status: ['assigned', 'in_progress', 'review', 'blocked'], limit: 50 }).toArray(50),
    client.workingState.getMarkdown().catch(() => ''),
  ]);
  let inbox: Task[] = [];
  let blocked: Task[] = [];
  let review: Task[] = [];
  if (agent.kind === 'lead') {
    [inbox, blocked] = await Promise.all([
      client.tasks.list({ status: 'inbox', limit: 20 }).toArray(20),
      client.tasks.list({ status: 'blocked', limit: 20 }).toArray(20),
    ]);
  }
  if (agent.kind === 'reviewer') review = await client.tasks.list({ status: 'review', limit: 20 }).toArray(20);
  const focusId =
    options.taskId ??
    assignedTasks.find((task) => task.status === 'in_progress')?.id ??
    assignedTasks.find((task) => task.status === 'assigned')?.id ??
    null;
  let focus: AgentContext['focus'] = null;
  if (focusId) {
    const task = await client.tasks.get(focusId);
    const messages = await client.messages.list(task.id, { limit: 100 }).toArray(200);
    const thread = messages
      .slice(-maxThreadMessages)
      .map((message) => `- [${message.type}] ${message.author.kind}:${message.author.id} (${message.createdAt}): ${message.content}`)
      .join('\n');
    focus = { task, thread };
  }
  const recalledMemories = await recallMemories(client, agent.id, focus?.task ?? assignedTasks[0] ?? null);
  return {
    agent,
    recalledMemories,
    notifications: notificationsPage.data,
    assignedTasks,
    focus,
    inbox,
    blocked,
    review,
    workingMarkdown:
      workingMarkdown.length > maxWorkingCharacters ? `${workingMarkdown.slice(0, maxWorkingCharacters)}\n…` : workingMarkdown,
  };
}

/** The memories most relevant to the task (or the agent's latest, without one), cut to the token budget; none when recall fails. */
async function recallMemories(client: MissionControl, agentId: string, task: Task | null): Promise<string[]> {
  try {
    const lines = task
      ? (await client.memories.search(agentId, `${task.title} ${task.description}`.slice(0, 1_000), { limit: 10 })).results.map(
          (hit) => `- [${hit.memory.kind}${hit.sharedFrom ? `, shared by ${hit.sharedFrom}` : ''}] ${hit.memory.content}`,
        )
      : (await client.memories.list(agentId, { limit: 5 }).page()).data.map((memory) => `- [${memory.kind}] ${memory.content}`);
    const kept: string[] = [];
    let characters = 0;
    for (const line of lines) {
      characters += line.length + 1;
      if (characters > memoryTokenBudget * 4) break;
      kept.push(line);
    }
    return kept;
  } catch {
    return [];
  }
}

const roleGuidance: Record<Agent['kind'], string> = {
  lead:
    'You are the lead of the squad. Triage the inbox: break each goal into subtasks with create_subtasks (give requiredCapabilities, and dependencies when order matters), ' +
    'assign them with assign_task (suggest_assignees tells you who fits best), watch progress, and escalate blocked or stale work with escalate_task. ' +
    'When every subtask of a goal is done, move the goal to review or done.',
  specialist:
    'You are a specialist. Claim your next task (claim_next_task or claim_task), do the work, write deliverables as documents (write_document), ' +
    'post progress with post_message, and move the task to review when it is ready (update_task_status).',
  reviewer:
    'You are a reviewer. Read tasks in review (read_task and their documents); approve good work with update_task_status done, ' +
    'or send it back with send_back_task and a comment saying exactly what to change.',
  // Remote agents do their work elsewhere; the built-in runtime never runs one.
  remote: 'You are a remote agent: the tasks assigned to you are sent to you over the Agent2Agent protocol.',
};

/** The system prompt and the first user message of a turn. */
export function renderTurnPrompt(
  context: AgentContext,
  options: { instructions?: string | null; trigger: string },
): { system: string; prompt: string } {
  const { agent } = context;
  const system = [
    `You are ${agent.name}, an AI agent in a Mission Control squad. Your role: ${agent.role}.`,
    roleGuidance[agent.kind],
    agent.capabilities.length ? `Your capabilities: ${agent.capabilities.join(', ')}.` : '',
    'Work only through the tools. Be brief in messages. When nothing is left for you to do in this turn, answer with a one-line summary and no tool call.',
    options.instructions ? `\n## Instructions\n${options.instructions}` : '',
    agent.memoryContext ? `\n## Pinned memory\n${agent.memoryContext}` : '',
    context.recalledMemories.length
      ? `\n## Recalled memories (use recall for more, remember to keep a lesson)\n${context.recalledMemories.join('\n')}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');

  const sections = [`Woken by: ${options.trigger}.`];
  if (context.notifications.length) {
    sections.push(
      `## Unread notifications (${context.notifications.length})\n${context.notifications
        .map(
          (notification) =>
            `- ${notification.id} [${notification.reason}] ${notification.taskId ? `task ${notification.taskId}: ` : ''}${notification.content}`,
        )
        .join('\n')}`,
    );
  }
  if (context.assignedTasks.length)
    sections.push(`## Your tasks\n${context.assignedTasks.map((task) => `- ${taskLine(task)}`).join('\n')}`);
  if (context.focus) {
    const { task, thread } = context.focus;
    sections.push(
      `## Focus: ${taskLine(task)}\nRequired capabilities: ${task.requiredCapabilities.join(', ') || 'none'}\n\n${task.description || '(no description)'}\n\n### Thread\n${thread || '(no messages yet)'}`,
    );
  }
  if (agent.kind === 'lead') {
    sections.push(
      `## Inbox to triage (${context.inbox.length})\n${context.inbox.map((task) => `- ${taskLine(task)} — ${task.description.slice(0, 300)}`).join('\n') || '(empty)'}`,
    );
    sections.push(`## Blocked (${context.blocked.length})\n${context.blocked.map((task) => `- ${taskLine(task)}`).join('\n') || '(none)'}`);
  }
  if (agent.kind === 'reviewer')
    sections.push(
      `## Waiting for review (${context.review.length})\n${context.review.map((task) => `- ${taskLine(task)}`).join('\n') || '(none)'}`,
    );
  if (context.workingMarkdown) sections.push(`## WORKING.md\n${context.workingMarkdown}`);
  return { system, prompt: sections.join('\n\n') };
}
