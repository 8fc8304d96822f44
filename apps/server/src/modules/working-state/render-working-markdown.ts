import {
  type Activity,
  type Agent,
  type AgentStatus,
  deriveAgentState,
  type PrincipalReference,
  type Task,
  type TaskStatus,
} from '@mission-control/contracts';

export interface WorkingMarkdownLimits {
  /** Tasks shown per open column before "… and N more". */
  openColumn: number;
  /** Done tasks shown, most recently completed first. */
  done: number;
  /** Latest events shown under Recent Activity. */
  activities: number;
}

export const defaultWorkingMarkdownLimits: WorkingMarkdownLimits = { openColumn: 25, done: 10, activities: 15 };

export interface WorkingMarkdownInput {
  /** When the state last changed: shown as "Last Updated". */
  lastUpdated: Date;
  /** Every live agent of the workspace; offline ones are left out of Active Agents. */
  agents: readonly Agent[];
  /** The board; cancelled tasks are ignored. */
  tasks: readonly Task[];
  /** The latest events, newest first. */
  activities: readonly Activity[];
  /** Emails of the workspace's people, by user id, to name them in assignees and activity. */
  userEmails: ReadonlyMap<string, string>;
  notes: string;
  limits?: Partial<WorkingMarkdownLimits>;
  /** The instant leases are checked against (the agents' derived status); defaults to lastUpdated. */
  now?: Date;
}

const boardSections: readonly { status: TaskStatus; heading: string }[] = [
  { status: 'inbox', heading: 'INBOX' },
  { status: 'assigned', heading: 'ASSIGNED' },
  { status: 'in_progress', heading: 'IN_PROGRESS' },
  { status: 'review', heading: 'REVIEW' },
  { status: 'done', heading: 'DONE' },
];

const attentionSections: readonly { status: TaskStatus; heading: string }[] = [
  { status: 'blocked', heading: 'BLOCKED' },
  { status: 'failed', heading: 'FAILED' },
];

const agentStatusOrder: Record<AgentStatus, number> = { active: 0, blocked: 1, idle: 2, offline: 3 };
const priorityOrder: Record<Task['priority'], number> = { urgent: 0, high: 1, medium: 2, low: 3 };

/** Keeps one list item on one line whatever a title contains. */
function singleLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** 2026-02-02T10:30:00Z: seconds are enough for people and agents, and the shape stays stable. */
export function formatWorkingTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function formatActivityTime(at: string, reference: Date): string {
  const iso = new Date(at).toISOString();
  const time = iso.slice(11, 16);
  // Older entries carry their date so "10:30" is never mistaken for today.
  return iso.slice(0, 10) === reference.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}

/**
 * Renders WORKING.md: who is active and on what, the board by column, recent activity and the
 * shared notes. Pure: the same input gives the same text, so it is tested without a server.
 */
export function renderWorkingMarkdown(input: WorkingMarkdownInput): string {
  const limits = { ...defaultWorkingMarkdownLimits, ...input.limits };
  const sessionKeys = new Map(input.agents.map((agent) => [agent.id, agent.sessionKey]));
  const nameOf = (principal: PrincipalReference | null): string => {
    if (!principal) return 'system';
    const name = principal.kind === 'agent' ? sessionKeys.get(principal.id) : input.userEmails.get(principal.id);
    return name ?? `${principal.kind}:${principal.id}`;
  };

  const tasksByStatus = new Map<TaskStatus, Task[]>();
  for (const task of input.tasks) {
    const list = tasksByStatus.get(task.status);
    if (list) list.push(task);
    else tasksByStatus.set(task.status, [task]);
  }
  const openOrder = (left: Task, right: Task) => priorityOrder[left.priority] - priorityOrder[right.priority] || left.number - right.number;
  const completedOrder = (left: Task, right: Task) =>
    (right.completedAt ?? right.updatedAt).localeCompare(left.completedAt ?? left.updatedAt) || right.number - left.number;

  const lines: string[] = ['# Mission Control - Working State', `Last Updated: ${formatWorkingTimestamp(input.lastUpdated)}`, ''];

  lines.push('## Active Agents');
  const inProgress = [...(tasksByStatus.get('in_progress') ?? [])].sort((left, right) => right.updatedAt.localeCompare(left.updatedAt));
  const now = (input.now ?? input.lastUpdated).getTime();
  // The same derivation as GET /api/v1/overview and the dashboard: leases, work in progress, presence.
  const activeAgents = input.agents
    .map((agent) => ({ agent, state: deriveAgentState(agent, input.tasks, { now }) }))
    .filter(({ state }) => state.status !== 'offline')
    .sort(
      (left, right) =>
        agentStatusOrder[left.state.status] - agentStatusOrder[right.state.status] ||
        left.agent.sessionKey.localeCompare(right.agent.sessionKey),
    );
  for (const { agent, state } of activeAgents) {
    const work = inProgress.filter((task) => task.assignees.some((assignee) => assignee.kind === 'agent' && assignee.id === agent.id));
    const current = state.currentTask;
    const others = work.filter((task) => task.id !== current?.id).length;
    const description = current
      ? `${singleLine(current.title)} (${current.key})${others > 0 ? ` and ${others} more in progress` : ''}`
      : singleLine(agent.role);
    lines.push(`- ${agent.sessionKey} [${state.status.toUpperCase()}] - ${description}`);
  }
  lines.push('');

  const taskLine = (task: Task, withAssignees: boolean) => {
    const assignees =
      withAssignees && task.assignees.length > 0 ? `${task.assignees.map((assignee) => `@${nameOf(assignee)}`).join(' ')} - ` : '';
    return `- [${task.key}] ${assignees}${singleLine(task.title)}`;
  };
  const pushColumn = (status: TaskStatus, heading: string) => {
    const isDone = status === 'done';
    const tasks = [...(tasksByStatus.get(status) ?? [])].sort(isDone ? completedOrder : openOrder);
    const limit = isDone ? limits.done : limits.openColumn;
    lines.push(`### ${heading}`);
    for (const task of tasks.slice(0, limit)) lines.push(taskLine(task, !isDone));
    if (tasks.length > limit) lines.push(`- … and ${tasks.length - limit} more (GET /api/v1/tasks?status=${status})`);
  };

  lines.push('## Current Tasks');
  for (const section of boardSections) pushColumn(section.status, section.heading);
  lines.push('');

  // Work that left the happy path is what a lead most needs to see; the section appears only when there is some.
  if (attentionSections.some((section) => (tasksByStatus.get(section.status)?.length ?? 0) > 0)) {
    lines.push('## Needs Attention');
    for (const section of attentionSections) pushColumn(section.status, section.heading);
    lines.push('');
  }

  lines.push('## Recent Activity');
  for (const activity of input.activities.slice(0, limits.activities)) {
    lines.push(`- ${formatActivityTime(activity.createdAt, input.lastUpdated)} - ${describeActivity(activity, nameOf(activity.actor))}`);
  }
  lines.push('');

  lines.push('## Notes');
  const notes = input.notes.trimEnd();
  lines.push(notes.length > 0 ? notes : '_No notes yet. Write them with PUT /api/v1/state/working-md._');

  return `${lines.join('\n')}\n`;
}

/** "agent:technical:main completed TASK-7": the actor, then what happened, for the events that matter most. */
function describeActivity(activity: Activity, actor: string): string {
  switch (activity.type) {
    case 'task-created': {
      const title = singleLine(activity.data.title);
      return `${actor} created ${singleLine(activity.data.key)}${title ? `: ${title}` : ''}`;
    }
    case 'task-status-changed': {
      const { key, from, to } = activity.data;
      return to === 'done' ? `${actor} completed ${singleLine(key)}` : `${actor} moved ${singleLine(key)} from ${from} to ${to}`;
    }
    case 'working-state-updated': {
      const { version, restoredFrom } = activity.data;
      return restoredFrom === undefined
        ? `${actor} updated the notes (version ${version})`
        : `${actor} restored the notes of version ${restoredFrom} (now version ${version})`;
    }
  }
  const summary = singleLine(activity.summary);
  // Some summaries already start with who did it ("owner@example.com created the workspace …").
  return summary.startsWith(`${actor} `) ? summary : `${actor}: ${summary}`;
}
