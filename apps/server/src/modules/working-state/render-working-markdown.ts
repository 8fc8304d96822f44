import {
  type Activity,
  type Agent,
  type AgentState,
  type AgentStatus,
  deriveAgentState,
  type PrincipalReference,
  type Task,
  type TaskStatus,
} from '@mission-control/contracts';

export interface WorkingMarkdownLimits {
  /** Tasks shown per open column before "… and N more tasks". */
  openColumn: number;
  /** Done tasks shown, most recently completed first. */
  done: number;
  /** Latest events shown under Recent Activity. */
  activities: number;
}

export const defaultWorkingMarkdownLimits: WorkingMarkdownLimits = { openColumn: 25, done: 10, activities: 15 };

export interface WorkingMarkdownInput {
  /** When the state last changed: shown as "Last updated", and the day activity times are read against. */
  lastUpdated: Date;
  /** Every live agent of the workspace, named by their names; offline ones are left out of Active Agents. */
  agents: readonly Agent[];
  /** The board; cancelled tasks are ignored. */
  tasks: readonly Task[];
  /** The latest events, newest first. */
  activities: readonly Activity[];
  /** The display names of the workspace's people, by user id, to name them in assignees and activity. */
  userNames: ReadonlyMap<string, string>;
  notes: string;
  limits?: Partial<WorkingMarkdownLimits>;
  /** The instant leases are checked against (the agents' derived status); defaults to lastUpdated. */
  now?: Date;
}

/** What the file says when the notes are empty; the dashboard swaps it for a line about its own editor. */
export const emptyNotesHint = '_No notes yet. Edit them on the WORKING.md page of the dashboard or with `mission working edit`._';
/** Who an agent id that is not among the live agents was: agents are deleted, never moved between workspaces. */
export const unknownAgentName = 'a deleted agent';
/** Who a user id that is not a member was: someone who left, or an account from before an erasure. */
export const unknownUserName = 'someone';

const boardSections: readonly { status: TaskStatus; heading: string }[] = [
  { status: 'inbox', heading: 'Inbox' },
  { status: 'assigned', heading: 'Assigned' },
  { status: 'in_progress', heading: 'In progress' },
  { status: 'review', heading: 'In review' },
  { status: 'done', heading: 'Done' },
];

const attentionSections: readonly { status: TaskStatus; heading: string }[] = [
  { status: 'blocked', heading: 'Blocked' },
  { status: 'failed', heading: 'Failed' },
];

/** A status as a sentence says it: "moved from in progress to review". */
const statusWords: Record<TaskStatus, string> = {
  inbox: 'the inbox',
  assigned: 'assigned',
  in_progress: 'in progress',
  review: 'review',
  done: 'done',
  blocked: 'blocked',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** Field names as requests send them, as a person says them; others are split at their capitals. */
const fieldWords: Record<string, string> = {
  dueAt: 'due date',
  dependencyIds: 'dependencies',
  requiredCapabilities: 'required capabilities',
  parentId: 'parent task',
  wipLimits: 'work-in-progress limits',
  memoryContext: 'memory',
  heartbeatIntervalSeconds: 'heartbeat interval',
  concurrencyLimit: 'concurrency limit',
  sessionKey: 'session key',
};

const agentStatusOrder: Record<AgentStatus, number> = { active: 0, blocked: 1, idle: 2, offline: 3 };
const priorityOrder: Record<Task['priority'], number> = { urgent: 0, high: 1, medium: 2, low: 3 };
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Keeps one list item on one line whatever a title contains. */
function singleLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "1 task", "2 tasks". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function fieldsInWords(fields: readonly string[]): string {
  return listOf(fields.map((field) => fieldWords[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()));
}

/**
 * "Feb 2, 2026, 10:30 UTC". The file is plain text, read in every timezone and kept on disk, so a
 * time is absolute and names its zone; against a reference day it drops what the reader already
 * knows: "10:30 UTC" on the same day, "Feb 1, 23:59 UTC" in the same year.
 */
export function formatWorkingTime(date: Date, reference?: Date): string {
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')} UTC`;
  const sameYear = reference?.getUTCFullYear() === date.getUTCFullYear();
  if (sameYear && reference?.getUTCMonth() === date.getUTCMonth() && reference.getUTCDate() === date.getUTCDate()) return time;
  const day = `${months[date.getUTCMonth()]} ${date.getUTCDate()}`;
  return sameYear ? `${day}, ${time}` : `${day}, ${date.getUTCFullYear()}, ${time}`;
}

/** Instants written inside free text (an archive's export time in a summary), as the rest of the file writes them. */
const isoTimestampPattern = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?/g;

function readableText(text: string, reference: Date): string {
  return singleLine(text).replace(isoTimestampPattern, (match) => {
    const date = new Date(match);
    return Number.isNaN(date.getTime()) ? match : formatWorkingTime(date, reference);
  });
}

/**
 * Renders WORKING.md: who is active and on what, the board by column, recent activity and the
 * shared notes, all worded for a person: agents and people by name, tasks by key and title, times
 * in UTC. Pure: the same input gives the same text, so it is tested without a server.
 */
export function renderWorkingMarkdown(input: WorkingMarkdownInput): string {
  const limits = { ...defaultWorkingMarkdownLimits, ...input.limits };
  const agentNames = new Map(input.agents.map((agent) => [agent.id, singleLine(agent.name)]));
  const nameOf = (principal: PrincipalReference): string =>
    principal.kind === 'agent'
      ? (agentNames.get(principal.id) ?? unknownAgentName)
      : singleLine(input.userNames.get(principal.id) ?? '') || unknownUserName;
  const tasksById = new Map(input.tasks.map((task) => [task.id, task]));
  const tasksByKey = new Map(input.tasks.map((task) => [task.key, task]));
  /** "TASK-7 Write the launch post": the key, then the title when it is known. */
  const taskReference = (key: string, options: { taskId?: string | null; title?: string } = {}): string => {
    const title = options.title ?? (options.taskId ? tasksById.get(options.taskId)?.title : undefined) ?? tasksByKey.get(key)?.title;
    const cleanKey = singleLine(key);
    const cleanTitle = title === undefined ? '' : singleLine(title);
    return cleanTitle ? `${cleanKey} ${cleanTitle}` : cleanKey;
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

  const lines: string[] = ['# Mission Control - Working State', `Last updated: ${formatWorkingTime(input.lastUpdated)}`, ''];

  lines.push('## Active Agents');
  const inProgress = tasksByStatus.get('in_progress') ?? [];
  const now = (input.now ?? input.lastUpdated).getTime();
  // The same derivation as GET /api/v1/overview and the dashboard: leases, work in progress, presence.
  const activeAgents = input.agents
    .map((agent) => ({ agent, state: deriveAgentState(agent, input.tasks, { now }) }))
    .filter(({ state }) => state.status !== 'offline')
    .sort(
      (left, right) =>
        agentStatusOrder[left.state.status] - agentStatusOrder[right.state.status] ||
        left.agent.name.localeCompare(right.agent.name) ||
        left.agent.id.localeCompare(right.agent.id),
    );
  for (const { agent, state } of activeAgents) {
    const current = state.currentTask;
    const others = inProgress.filter(
      (task) => task.id !== current?.id && task.assignees.some((assignee) => assignee.kind === 'agent' && assignee.id === agent.id),
    ).length;
    const description = current
      ? `${describeCurrentWork(state, taskReference(current.key, { title: current.title }))}${others > 0 ? `, and ${plural(others, 'more task', 'more tasks')} in progress` : ''}`
      : singleLine(agent.role);
    lines.push(`- ${singleLine(agent.name)} (${state.status})${description ? ` - ${description}` : ''}`);
  }
  if (activeAgents.length === 0) lines.push('_No agent is online._');
  lines.push('');

  const taskLine = (task: Task, withAssignees: boolean) => {
    const assignees = withAssignees && task.assignees.length > 0 ? ` (${listOf(task.assignees.map(nameOf))})` : '';
    return `- ${taskReference(task.key, { title: task.title })}${assignees}`;
  };
  const pushColumn = (status: TaskStatus, heading: string) => {
    const isDone = status === 'done';
    const tasks = [...(tasksByStatus.get(status) ?? [])].sort(isDone ? completedOrder : openOrder);
    const limit = isDone ? limits.done : limits.openColumn;
    lines.push(`### ${heading}`);
    for (const task of tasks.slice(0, limit)) lines.push(taskLine(task, !isDone));
    if (tasks.length > limit) lines.push(`- … and ${plural(tasks.length - limit, 'more task', 'more tasks')}`);
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
  const shown = input.activities.slice(0, limits.activities);
  const words: ActivityWords = { nameOf, taskReference, reference: input.lastUpdated };
  for (const activity of shown) {
    lines.push(`- ${formatWorkingTime(new Date(activity.createdAt), input.lastUpdated)} - ${describeActivity(activity, words)}`);
  }
  if (shown.length === 0) lines.push('_Nothing has happened yet._');
  lines.push('');

  lines.push('## Notes');
  const notes = input.notes.trimEnd();
  lines.push(notes.length > 0 ? notes : emptyNotesHint);

  return `${lines.join('\n')}\n`;
}

/** What an agent is doing, by the status of the task it is on. */
function describeCurrentWork(state: AgentState, task: string): string {
  if (state.status === 'active') return `working on ${task}`;
  switch (state.currentTask?.status) {
    case 'blocked':
      return `blocked on ${task}`;
    case 'review':
      return `waiting for review of ${task}`;
    case 'assigned':
      return `next up: ${task}`;
    default:
      return `on ${task}`;
  }
}

interface ActivityWords {
  nameOf: (principal: PrincipalReference) => string;
  taskReference: (key: string, options?: { taskId?: string | null; title?: string }) => string;
  /** The day times inside summaries are written against. */
  reference: Date;
}

/**
 * "technical completed TASK-7 Write the launch post": who, then what happened, in words, for the
 * events people most look for; any other event by its summary, times in it rewritten. Events
 * without an actor happened on their own (a lease ran out) and are told without one.
 */
function describeActivity(activity: Activity, words: ActivityWords): string {
  const who = activity.actor ? words.nameOf(activity.actor) : undefined;
  const described = describeKnownActivity(activity, words);
  if (described === undefined && !who) return capitalise(readableText(activity.summary, words.reference));
  const text = described ?? `${who}: ${readableText(activity.summary, words.reference)}`;
  // Names are written as their owners spelt them; only the file's own words get a capital.
  return /^(?:a deleted agent|someone|the agent)\b/.test(text) ? capitalise(text) : text;
}

function describeKnownActivity(activity: Activity, words: ActivityWords): string | undefined {
  const who = activity.actor ? words.nameOf(activity.actor) : undefined;
  const task = (key: string, title?: string) => words.taskReference(key, { taskId: activity.taskId, ...(title ? { title } : {}) });
  const because = (reason: string | undefined) => (reason?.trim() ? `: ${singleLine(reason)}` : '');
  switch (activity.type) {
    case 'task-created':
      return who
        ? `${who} created ${task(activity.data.key, activity.data.title)}`
        : `${task(activity.data.key, activity.data.title)} was created`;
    case 'task-updated': {
      const fields = activity.data.fields.length > 0 ? ` (${fieldsInWords(activity.data.fields)})` : '';
      return who ? `${who} edited ${task(activity.data.key)}${fields}` : `${task(activity.data.key)} was edited${fields}`;
    }
    case 'task-assigned': {
      const { key, assignees } = activity.data;
      if (assignees.length === 0) return who ? `${who} unassigned ${task(key)}` : `${task(key)} was unassigned`;
      const to = listOf(assignees.map(words.nameOf));
      return who ? `${who} assigned ${task(key)} to ${to}` : `${task(key)} was assigned to ${to}`;
    }
    case 'task-status-changed': {
      const { key, from, to, reason } = activity.data;
      if (to === 'done') return who ? `${who} completed ${task(key)}` : `${task(key)} was completed`;
      const move = `from ${statusWords[from]} to ${statusWords[to]}${because(reason)}`;
      return who ? `${who} moved ${task(key)} ${move}` : `${task(key)} moved ${move}`;
    }
    case 'task-deleted':
      return who
        ? `${who} deleted ${task(activity.data.key, activity.data.title)}`
        : `${task(activity.data.key, activity.data.title)} was deleted`;
    case 'task-claimed':
      return `${words.nameOf(activity.data.holder)} claimed ${task(activity.data.key)}`;
    case 'task-released': {
      const { key, status, reason } = activity.data;
      return `${who ?? unknownUserName} released ${task(key)} back to ${statusWords[status]}${because(reason)}`;
    }
    case 'task-lease-expired': {
      const { key, holder, status, reason } = activity.data;
      return `${task(key)} went back to ${statusWords[status]} without ${words.nameOf(holder)}${because(reason)}`;
    }
    case 'task-escalated':
      return `${who ?? unknownUserName} escalated ${task(activity.data.key)} to the owners${because(activity.data.reason)}`;
    case 'message-posted': {
      const excerpt = singleLine(activity.data.excerpt);
      const quoted = excerpt ? `: "${excerpt.length > 80 ? `${excerpt.slice(0, 79)}…` : excerpt}"` : '';
      const verb = activity.data.type === 'question' ? 'asked on' : activity.data.type === 'answer' ? 'answered on' : 'wrote on';
      return `${who ?? unknownUserName} ${verb} ${task(activity.data.key)}${quoted}`;
    }
    case 'working-state-updated': {
      const { version, restoredFrom } = activity.data;
      const subject = who ?? unknownUserName;
      return restoredFrom === undefined
        ? `${subject} updated the notes (version ${version})`
        : `${subject} restored the notes of version ${restoredFrom} (now version ${version})`;
    }
    case 'workspace-created':
      return `${who ?? 'Mission Control'} created the workspace`;
    case 'invitation-created':
      return `${who ?? unknownUserName} invited someone to join as ${activity.data.role}`;
    case 'invitation-accepted':
      return `${words.nameOf({ kind: 'user', id: activity.data.userId })} accepted an invitation`;
    case 'member-removed': {
      const member = words.nameOf({ kind: 'user', id: activity.data.userId });
      return activity.actor?.kind === 'user' && activity.actor.id === activity.data.userId
        ? `${member} left the workspace`
        : `${who ?? unknownUserName} removed ${member} from the workspace`;
    }
    case 'member-added':
      return `${words.nameOf({ kind: 'user', id: activity.data.userId })} joined as ${activity.data.role}`;
    case 'agent-created':
      return `${who ? `${who} added ` : ''}the agent ${singleLine(activity.data.name)}${activity.data.role.trim() ? ` (${singleLine(activity.data.role)})` : ''}${who ? '' : ' joined'}`;
    case 'agent-updated': {
      const agent = activity.agentId ? words.nameOf({ kind: 'agent', id: activity.agentId }) : unknownAgentName;
      const fields = activity.data.fields.length > 0 ? ` (${fieldsInWords(activity.data.fields)})` : '';
      return `${who ?? unknownUserName} edited ${agent === unknownAgentName ? agent : `the agent ${agent}`}${fields}`;
    }
    case 'agent-status-changed': {
      const agent = activity.agentId ? words.nameOf({ kind: 'agent', id: activity.agentId }) : unknownAgentName;
      const reason = activity.data.reason ? ` (${activity.data.reason.replace(/-/g, ' ')})` : '';
      return `${agent} is now ${activity.data.to}${reason}`;
    }
    case 'document-created':
      return `${who ?? unknownUserName} wrote the document "${singleLine(activity.data.title)}"`;
    case 'document-versioned':
      return `${who ?? unknownUserName} updated the document "${singleLine(activity.data.title)}" (version ${activity.data.version})`;
    default:
      return undefined;
  }
}
