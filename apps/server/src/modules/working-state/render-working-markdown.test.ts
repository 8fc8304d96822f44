import type { Activity, Agent, Task } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { renderWorkingMarkdown } from './render-working-markdown.js';

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
      userEmails: new Map([[ownerId, 'owner@example.com']]),
      notes: '',
    });

    expect(markdown).toBe(
      [
        '# Mission Control - Working State',
        'Last Updated: 2026-02-02T10:30:00Z',
        '',
        '## Active Agents',
        // Reported active but holding no task: the derived state (deriveAgentState) says idle.
        '- agent:orchestrator:main [IDLE] - Coordinating project X',
        '- agent:sales:main [IDLE] - Awaiting new leads',
        '',
        '## Current Tasks',
        '### INBOX',
        '- [TASK-1] Research competitor pricing',
        '### ASSIGNED',
        '- [TASK-3] @agent:technical:main - Implement user authentication',
        '### IN_PROGRESS',
        '### REVIEW',
        '### DONE',
        '- [TASK-7] Database schema created',
        '',
        '## Recent Activity',
        '- 10:30 - agent:technical:main completed TASK-7',
        '',
        '## Notes',
        '_No notes yet. Write them with PUT /api/v1/state/working-md._',
        '',
      ].join('\n'),
    );
  });

  it("names an agent's in-progress task as its current work, people by email, and the system for actorless events", () => {
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
        activity(3, {
          type: 'task-created',
          actor: { kind: 'user', id: ownerId },
          summary: 'TASK-5 created: Fix the login bug',
          data: { key: 'TASK-5', title: 'Fix the login bug' },
          createdAt: '2026-02-02T09:15:00.000Z',
        }),
        activity(2, { type: 'task-lease-expired', summary: 'TASK-4 lease expired', createdAt: '2026-02-01T23:59:00.000Z' }),
        activity(1, {
          type: 'workspace-created',
          actor: { kind: 'user', id: ownerId },
          summary: 'owner@example.com created the workspace Default',
          createdAt: '2026-02-01T22:30:00.000Z',
        }),
        activity(1, {
          type: 'working-state-updated',
          actor: { kind: 'agent', id: '00000000-0000-7000-8000-0000000000ff' },
          data: { version: 2, restoredFrom: 1 },
          createdAt: '2026-02-01T22:00:00.000Z',
        }),
      ],
      userEmails: new Map([[ownerId, 'owner@example.com']]),
      notes: '## Plan\n- ship it\n\n',
    });

    expect(markdown).toContain('- agent:technical:main [ACTIVE] - Fix the login bug (TASK-5) and 1 more in progress\n');
    expect(markdown).toContain(
      '### IN_PROGRESS\n- [TASK-4] @agent:technical:main - Older work\n- [TASK-5] @agent:technical:main @owner@example.com - Fix the login bug\n',
    );
    expect(markdown).toContain(
      [
        '## Recent Activity',
        '- 09:15 - owner@example.com created TASK-5: Fix the login bug',
        '- 2026-02-01 23:59 - system: TASK-4 lease expired',
        '- 2026-02-01 22:30 - owner@example.com created the workspace Default',
        '- 2026-02-01 22:00 - agent:00000000-0000-7000-8000-0000000000ff restored the notes of version 1 (now version 2)',
        '',
      ].join('\n'),
    );
    expect(markdown.endsWith('## Notes\n## Plan\n- ship it\n')).toBe(true);
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
      ],
      activities: [],
      userEmails: new Map(),
      notes: 'n',
      limits: { done: 10 },
    });

    expect(markdown).toContain('### INBOX\n- [TASK-21] Urgent\n- [TASK-20] Low\n');
    const doneSection = markdown.slice(markdown.indexOf('### DONE'), markdown.indexOf('## Needs Attention'));
    expect(
      doneSection
        .split('\n')
        .filter((line) => line.startsWith('- ['))
        .map((line) => line.slice(3, line.indexOf(']'))),
    ).toEqual(['TASK-13', 'TASK-12', 'TASK-11', 'TASK-10', 'TASK-9', 'TASK-8', 'TASK-7', 'TASK-6', 'TASK-5', 'TASK-4']);
    expect(doneSection).toContain('- … and 3 more (GET /api/v1/tasks?status=done)');
    expect(markdown).toContain('## Needs Attention\n### BLOCKED\n- [TASK-22] Stuck\n### FAILED\n- [TASK-23] Broke\n');
  });
});
