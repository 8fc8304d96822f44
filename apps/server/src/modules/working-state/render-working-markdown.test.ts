import type { Activity, Agent, Task } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { formatWorkingTime, renderWorkingMarkdown } from './render-working-markdown.js';

const workspaceId = '00000000-0000-7000-8000-000000000000';
const ownerId = '00000000-0000-7000-8000-0000000000aa';

function agent(id: string, sessionKey: string, status: Agent['status'], role: string): Agent {
  return {
    id,
    workspaceId,
    name: sessionKey.split(':')[1] ?? sessionKey,
    role,
    kind: 'specialist',
    status,
    sessionKey,
    capabilities: [],
    memoryContext: '',
    heartbeatIntervalSeconds: 60,
    concurrencyLimit: 1,
    a2a: { published: false },
    lastHeartbeatAt: null,
    createdAt: '2026-02-01T08:00:00.000Z',
    updatedAt: '2026-02-01T08:00:00.000Z',
  };
}

function task(number: number, title: string, status: Task['status'], overrides: Partial<Task> = {}): Task {
  return {
    id: `00000000-0000-7000-8000-${String(number).padStart(12, '0')}`,
    key: `TASK-${number}`,
    number,
    workspaceId,
    title,
    description: '',
    status,
    priority: 'medium',
    assignees: [],
    creator: { kind: 'user', id: ownerId },
    parentId: null,
    dependencyIds: [],
    requiredCapabilities: [],
    dueAt: null,
    createdAt: '2026-02-01T09:00:00.000Z',
    updatedAt: '2026-02-01T09:00:00.000Z',
    completedAt: status === 'done' ? '2026-02-02T10:30:00.000Z' : null,
    lease: null,
    ...overrides,
  };
}

// Fixtures name only the fields a rendering reads, so their data is looser than the stored union.
function activity(seq: number, overrides: { [K in keyof Activity]?: unknown }): Activity {
  return {
    seq,
    id: `00000000-0000-7000-9000-${String(seq).padStart(12, '0')}`,
    workspaceId,
    type: 'task-updated',
    actor: null,
    taskId: null,
    agentId: null,
    summary: '',
    data: {},
    createdAt: '2026-02-02T10:30:00.000Z',
    ...overrides,
  } as Activity;
}

/** What the file must never show a reader: agent ids or session keys, raw ids, ISO timestamps, HTTP verbs and paths. */
function expectNothingForMachines(markdown: string) {
  expect(markdown).not.toMatch(/agent:/);
  expect(markdown).not.toMatch(/\buser:/);
  expect(markdown).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  expect(markdown).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  expect(markdown).not.toMatch(/\b(?:GET|PUT|POST|PATCH|DELETE) \/|\/api\/v1/);
  expect(markdown).not.toMatch(/\b[A-Z]+_[A-Z]+\b/);
}

const orchestrator = agent('00000000-0000-7000-8000-0000000000a1', 'agent:orchestrator:main', 'active', 'Coordinating project X');
const sales = agent('00000000-0000-7000-8000-0000000000a2', 'agent:sales:main', 'idle', 'Awaiting new leads');
const technical = agent('00000000-0000-7000-8000-0000000000a3', 'agent:technical:main', 'offline', 'Engineer');

describe('renderWorkingMarkdown', () => {
  it('renders the documented shape: agents, tasks by column, recent activity and notes', () => {
    const markdown = renderWorkingMarkdown({
      lastUpdated: new Date('2026-02-02T10:30:00.000Z'),
      agents: [sales, technical, orchestrator],
      tasks: [
        task(1, 'Research competitor pricing', 'inbox'),
        task(3, 'Implement user authentication', 'assigned', { assignees: [{ kind: 'agent', id: technical.id }] }),
        task(7, 'Database schema created', 'done', { assignees: [{ kind: 'agent', id: technical.id }] }),
        task(9, 'Dropped idea', 'cancelled'),
      ],
      activities: [
        activity(12, {
          type: 'task-status-changed',
          actor: { kind: 'agent', id: technical.id },
          summary: 'TASK-7 moved from review to done',
          data: { key: 'TASK-7', from: 'review', to: 'done' },
        }),
      ],
      userNames: new Map([[ownerId, 'Olivia Owner']]),
      notes: '',
    });

    expect(markdown).toBe(
      [
        '# Mission Control - Working State',
        'Last updated: Feb 2, 2026, 10:30 UTC',
        '',
        '## Active Agents',
        // Reported active but holding no task: the derived state (deriveAgentState) says idle.
        '- orchestrator (idle) - Coordinating project X',
        '- sales (idle) - Awaiting new leads',
        '',
        '## Current Tasks',
        '### Inbox',
        '- TASK-1 Research competitor pricing',
        '### Assigned',
        '- TASK-3 Implement user authentication (technical)',
        '### In progress',
        '### In review',
        '### Done',
        '- TASK-7 Database schema created',
        '',
        '## Recent Activity',
        '- 10:30 UTC - technical completed TASK-7 Database schema created',
        '',
        '## Notes',
        '_No notes yet. Edit them on the WORKING.md page of the dashboard or with `mission working edit`._',
        '',
      ].join('\n'),
    );
    expectNothingForMachines(markdown);
  });

  it("names an agent's in-progress task as its current work, people by name, and tells actorless events without an actor", () => {
    const markdown = renderWorkingMarkdown({
      lastUpdated: new Date('2026-02-02T10:30:00.000Z'),
      agents: [{ ...technical, status: 'active' }],
      tasks: [
        task(4, 'Older work', 'in_progress', {
          assignees: [{ kind: 'agent', id: technical.id }],
          updatedAt: '2026-02-02T08:00:00.000Z',
        }),
        task(5, 'Fix the login\nbug', 'in_progress', {
          assignees: [
            { kind: 'agent', id: technical.id },
            { kind: 'user', id: ownerId },
          ],
          updatedAt: '2026-02-02T09:00:00.000Z',
        }),
      ],
      activities: [
        activity(5, {
          type: 'task-created',
          actor: { kind: 'user', id: ownerId },
          summary: 'TASK-5 created: Fix the login bug',
          data: { key: 'TASK-5', title: 'Fix the login bug' },
          createdAt: '2026-02-02T09:15:00.000Z',
        }),
        activity(4, {
          type: 'task-lease-expired',
          summary: 'TASK-4 returned to inbox: the lease expired without a heartbeat',
          data: {
            key: 'TASK-4',
            holder: { kind: 'agent', id: technical.id },
            reason: 'the lease expired without a heartbeat',
            status: 'inbox',
          },
          createdAt: '2026-02-01T23:59:00.000Z',
        }),
        activity(3, {
          type: 'workspace-created',
          actor: { kind: 'user', id: ownerId },
          summary: 'owner@example.com created the workspace Default',
          createdAt: '2026-02-01T22:30:00.000Z',
        }),
        activity(2, {
          type: 'working-state-updated',
          actor: { kind: 'agent', id: '00000000-0000-7000-8000-0000000000ff' },
          data: { version: 2, restoredFrom: 1 },
          createdAt: '2026-02-01T22:00:00.000Z',
        }),
        activity(1, {
          type: 'task-status-changed',
          actor: { kind: 'user', id: '00000000-0000-7000-8000-0000000000ee' },
          summary: 'TASK-4 moved from inbox to in_progress',
          data: { key: 'TASK-4', from: 'inbox', to: 'in_progress' },
          createdAt: '2025-12-31T23:00:00.000Z',
        }),
      ],
      userNames: new Map([[ownerId, 'Olivia Owner']]),
      notes: '## Plan\n- ship it\n\n',
    });

    expect(markdown).toContain('- technical (active) - working on TASK-5 Fix the login bug, and 1 more task in progress\n');
    expect(markdown).toContain(
      '### In progress\n- TASK-4 Older work (technical)\n- TASK-5 Fix the login bug (technical and Olivia Owner)\n',
    );
    expect(markdown).toContain(
      [
        '## Recent Activity',
        '- 09:15 UTC - Olivia Owner created TASK-5 Fix the login bug',
        '- Feb 1, 23:59 UTC - TASK-4 Older work went back to the inbox without technical: the lease expired without a heartbeat',
        '- Feb 1, 22:30 UTC - Olivia Owner created the workspace',
        // Ids nobody can name any more read as what they were.
        '- Feb 1, 22:00 UTC - A deleted agent restored the notes of version 1 (now version 2)',
        '- Dec 31, 2025, 23:00 UTC - Someone moved TASK-4 Older work from the inbox to in progress',
        '',
      ].join('\n'),
    );
    expect(markdown.endsWith('## Notes\n## Plan\n- ship it\n')).toBe(true);
    expectNothingForMachines(markdown);
  });

  it('says what each agent is on by the state of its task, and when nobody is online or nothing happened', () => {
    const reviewer = agent('00000000-0000-7000-8000-0000000000a4', 'agent:reviewer:main', 'idle', 'Reviews');
    const planner = agent('00000000-0000-7000-8000-0000000000a5', 'agent:planner:main', 'idle', 'Plans');
    const markdown = renderWorkingMarkdown({
      lastUpdated: new Date('2026-02-02T10:30:00.000Z'),
      agents: [{ ...technical, status: 'idle' }, reviewer, planner],
      tasks: [
        task(1, 'Wait for the vendor', 'blocked', { assignees: [{ kind: 'agent', id: technical.id }] }),
        task(2, 'Check the copy', 'review', { assignees: [{ kind: 'agent', id: reviewer.id }] }),
        task(3, 'Plan the launch', 'assigned', { assignees: [{ kind: 'agent', id: planner.id }] }),
      ],
      activities: [],
      userNames: new Map(),
      notes: '',
    });
    expect(markdown).toContain(
      [
        '## Active Agents',
        '- technical (blocked) - blocked on TASK-1 Wait for the vendor',
        '- planner (idle) - next up: TASK-3 Plan the launch',
        '- reviewer (idle) - waiting for review of TASK-2 Check the copy',
        '',
      ].join('\n'),
    );
    expect(markdown).toContain('## Recent Activity\n_Nothing has happened yet._\n');

    const empty = renderWorkingMarkdown({
      lastUpdated: new Date('2026-02-02T10:30:00.000Z'),
      agents: [technical],
      tasks: [],
      activities: [],
      userNames: new Map(),
      notes: '',
    });
    expect(empty).toContain('## Active Agents\n_No agent is online._\n');
    expectNothingForMachines(markdown);
    expectNothingForMachines(empty);
  });

  it('describes events in words, with task titles from the board, and rewrites times inside summaries', () => {
    const owner = { kind: 'user', id: ownerId } as const;
    const board = [task(8, 'Write the launch post', 'assigned', { assignees: [{ kind: 'agent', id: technical.id }] })];
    const taskId = board[0]?.id;
    const markdown = renderWorkingMarkdown({
      lastUpdated: new Date('2026-02-02T10:30:00.000Z'),
      agents: [technical],
      tasks: board,
      activities: [
        activity(9, {
          type: 'task-assigned',
          actor: owner,
          taskId,
          data: { key: 'TASK-8', assignees: [{ kind: 'agent', id: technical.id }], previousAssignees: [] },
        }),
        activity(8, { type: 'task-updated', actor: owner, taskId, data: { key: 'TASK-8', fields: ['title', 'dueAt', 'dependencyIds'] } }),
        activity(7, {
          type: 'task-claimed',
          actor: { kind: 'agent', id: technical.id },
          taskId,
          data: { key: 'TASK-8', holder: { kind: 'agent', id: technical.id }, expiresAt: '2026-02-02T11:00:00.000Z' },
        }),
        activity(6, {
          type: 'message-posted',
          actor: { kind: 'agent', id: technical.id },
          taskId,
          data: { key: 'TASK-8', type: 'question', excerpt: 'Which tone?', messageId: taskId, replyToId: null },
        }),
        activity(5, {
          type: 'task-status-changed',
          actor: owner,
          taskId,
          data: { key: 'TASK-8', from: 'in_progress', to: 'blocked', reason: 'waiting on legal' },
        }),
        activity(4, { type: 'task-deleted', actor: owner, data: { key: 'TASK-2', title: 'Old idea' } }),
        activity(3, { type: 'member-added', actor: owner, data: { userId: '00000000-0000-7000-8000-0000000000bb', role: 'viewer' } }),
        activity(2, {
          type: 'agent-created',
          actor: owner,
          agentId: technical.id,
          data: { name: 'technical', role: 'Engineer', kind: 'specialist', sessionKey: 'agent:technical:main' },
        }),
        activity(1, {
          type: 'workspace-imported',
          actor: null,
          summary: 'restored from an archive exported at 2026-01-20T08:05:09.123Z',
          data: {},
          createdAt: '2026-02-02T10:00:00.000Z',
        }),
      ],
      userNames: new Map([[ownerId, 'Olivia Owner']]),
      notes: '',
    });
    expect(markdown).toContain(
      [
        '## Recent Activity',
        '- 10:30 UTC - Olivia Owner assigned TASK-8 Write the launch post to technical',
        '- 10:30 UTC - Olivia Owner edited TASK-8 Write the launch post (title, due date and dependencies)',
        '- 10:30 UTC - technical claimed TASK-8 Write the launch post',
        '- 10:30 UTC - technical asked on TASK-8 Write the launch post: "Which tone?"',
        '- 10:30 UTC - Olivia Owner moved TASK-8 Write the launch post from in progress to blocked: waiting on legal',
        '- 10:30 UTC - Olivia Owner deleted TASK-2 Old idea',
        '- 10:30 UTC - Someone joined as viewer',
        '- 10:30 UTC - Olivia Owner added the agent technical (Engineer)',
        '- 10:00 UTC - Restored from an archive exported at Jan 20, 08:05 UTC',
        '',
      ].join('\n'),
    );
    expectNothingForMachines(markdown);
  });

  it('caps long columns, most recently completed first, and lists blocked and failed work apart', () => {
    const done = Array.from({ length: 13 }, (_, index) =>
      task(index + 1, `Done ${index + 1}`, 'done', { completedAt: `2026-02-02T10:${String(index).padStart(2, '0')}:00.000Z` }),
    );
    const markdown = renderWorkingMarkdown({
      lastUpdated: new Date('2026-02-02T10:30:00.000Z'),
      agents: [],
      tasks: [
        ...done,
        task(20, 'Low', 'inbox', { priority: 'low' }),
        task(21, 'Urgent', 'inbox', { priority: 'urgent' }),
        task(22, 'Stuck', 'blocked'),
        task(23, 'Broke', 'failed'),
        task(24, 'Also broke', 'failed'),
      ],
      activities: [],
      userNames: new Map(),
      notes: 'n',
      limits: { done: 10, openColumn: 1 },
    });

    expect(markdown).toContain('### Inbox\n- TASK-21 Urgent\n- … and 1 more task\n');
    const doneSection = markdown.slice(markdown.indexOf('### Done'), markdown.indexOf('## Needs Attention'));
    expect(
      doneSection
        .split('\n')
        .filter((line) => line.startsWith('- TASK-'))
        .map((line) => line.slice(2, line.indexOf(' ', 2))),
    ).toEqual(['TASK-13', 'TASK-12', 'TASK-11', 'TASK-10', 'TASK-9', 'TASK-8', 'TASK-7', 'TASK-6', 'TASK-5', 'TASK-4']);
    expect(doneSection).toContain('- … and 3 more tasks\n');
    expect(markdown).toContain('## Needs Attention\n### Blocked\n- TASK-22 Stuck\n### Failed\n- TASK-23 Broke\n- … and 1 more task\n');
    expectNothingForMachines(markdown);
  });
});

describe('formatWorkingTime', () => {
  it('writes UTC with the zone named, leaving out the day and the year the reader already has', () => {
    const at = new Date('2026-12-03T09:12:45.678Z');
    expect(formatWorkingTime(at)).toBe('Dec 3, 2026, 09:12 UTC');
    expect(formatWorkingTime(at, new Date('2026-12-03T23:59:00.000Z'))).toBe('09:12 UTC');
    expect(formatWorkingTime(at, new Date('2026-12-04T00:00:00.000Z'))).toBe('Dec 3, 09:12 UTC');
    expect(formatWorkingTime(at, new Date('2027-12-03T09:12:00.000Z'))).toBe('Dec 3, 2026, 09:12 UTC');
  });
});
