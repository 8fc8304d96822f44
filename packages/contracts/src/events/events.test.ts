import { describe, expect, it } from 'vitest';
import { type Activity, activitySchema, type EventDataInput, type EventType, eventDataSchemas, eventTypeSchema } from '../activities.js';

const id = (n: number) => `0193d6a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const agent = { kind: 'agent' as const, id: id(1) };
const user = { kind: 'user' as const, id: id(2) };
const at = '2026-02-01T10:00:00.000Z';
const outcome = {
  runId: id(20),
  outcome: 'completed' as const,
  tokensIn: 1200,
  tokensOut: 300,
  costMicroDollars: 4500,
  modelCalls: 3,
  durationMs: 5400,
};
const budget = { budgetId: id(30), percentUsed: 81.5, period: '2026-02', usedTokens: 81_500, usedCostMicroDollars: 0 };

/** One plausible data object per event type; the mapped type makes a missing type a compile error. */
const samples: { [Type in EventType]: EventDataInput<Type> } = {
  'workspace-created': {},
  'workspace-updated': { fields: ['wipLimits'], name: 'Acme', wipLimits: { in_progress: 5 } },
  'retention-updated': { fields: ['messagesDays'], messagesDays: 90, runsDays: null },
  'member-added': { userId: id(3), role: 'member' },
  'member-updated': { userId: id(3), role: 'admin', previousRole: 'member' },
  'member-removed': { userId: id(3) },
  'member-erased': { userId: id(3), pseudonym: 'Deleted user 4f2a9c', accountErased: true },
  'role-created': { roleId: id(7), name: 'Triage', baseRole: 'member', permissions: ['tasks.read', 'tasks.write'] },
  'role-updated': { roleId: id(7), name: 'Triage', baseRole: 'member', permissions: ['tasks.read'] },
  'role-deleted': { roleId: id(7), name: 'Triage' },
  'organization-updated': {
    organizationId: id(8),
    name: 'Acme',
    fields: ['limits'],
    limits: { maxAgents: 5, maxWorkspaces: null, monthlyTokenLimit: null, monthlyCostLimitMicroDollars: null, requestsPerMinute: 600 },
    passwordSignInDisabled: false,
    mfaRequired: true,
  },
  'team-created': { organizationId: id(8), teamId: id(9), name: 'Platform' },
  'team-updated': {
    organizationId: id(8),
    teamId: id(9),
    name: 'Platform',
    change: 'member-added',
    member: { kind: 'user', id: id(3) },
    workspaceId: null,
  },
  'team-deleted': { organizationId: id(8), teamId: id(9), name: 'Platform' },
  'workspace-imported': { agents: 1, tasks: 3, messages: 5, documents: 2, exportedAt: at },
  'invitation-created': { invitationId: id(8), role: 'member', expiresAt: at },
  'invitation-accepted': { invitationId: id(8), userId: id(3), role: 'member' },
  'invitation-declined': { invitationId: id(8) },
  'invitation-revoked': { invitationId: id(8) },
  'agent-created': { name: 'jarvis', role: 'technical', kind: 'specialist', sessionKey: 'agent:technical:jarvis' },
  'agent-updated': { fields: ['memoryContext'] },
  'agent-deleted': {},
  'agent-status-changed': { from: 'active', to: 'offline', reason: 'missed-heartbeats' },
  'api-key-created': { apiKeyId: id(4), prefix: 'mc_live_abcd1234', owner: agent },
  'api-key-revoked': { apiKeyId: id(4), prefix: 'mc_live_abcd1234' },
  'task-created': { key: 'TASK-7', title: 'Write the launch post', status: 'inbox', priority: 'high', assignees: [], parentId: null },
  'task-updated': { key: 'TASK-7', fields: ['title', 'priority'] },
  'task-assigned': { key: 'TASK-7', assignees: [agent], previousAssignees: [] },
  'task-status-changed': { key: 'TASK-7', from: 'assigned', to: 'in_progress' },
  'task-deleted': { key: 'TASK-7', title: 'Write the launch post' },
  'task-claimed': { key: 'TASK-7', holder: agent, expiresAt: at },
  'task-released': { key: 'TASK-7', status: 'assigned', reason: 'blocked on review' },
  'task-lease-expired': { key: 'TASK-7', holder: agent, reason: 'the lease expired', status: 'inbox' },
  'task-escalated': { key: 'TASK-7', reason: 'needs a decision on pricing' },
  'message-posted': { messageId: id(5), key: 'TASK-7', type: 'comment', replyToId: null, excerpt: 'Draft is up' },
  'reaction-added': { messageId: id(5), key: 'TASK-7', emoji: '👍' },
  'reaction-removed': { messageId: id(5), key: 'TASK-7', emoji: '👍' },
  'document-created': { documentId: id(6), title: 'Launch post', type: 'deliverable', version: 1 },
  'document-versioned': { documentId: id(6), title: 'Launch post', version: 3, fields: ['content'], restoredFrom: 1 },
  'document-deleted': { documentId: id(6), title: 'Launch post', version: 3 },
  'attachment-added': { attachmentId: id(7), messageId: null, name: 'chart.png', size: 2048, type: 'image/png' },
  'alert-raised': {
    alertId: id(8),
    kind: 'cost-spike',
    subject: { kind: 'workspace', id: null, name: 'Acme' },
    measurements: { observed: 9 },
  },
  'alert-acknowledged': { alertId: id(8), kind: 'cost-spike', subject: { kind: 'workspace', id: null, name: 'Acme' } },
  'alert-resolved': { alertId: id(8), kind: 'stalled-agent', subject: { kind: 'agent', id: id(2), name: 'Writer' }, automatic: true },
  'attachment-removed': { attachmentId: id(7), messageId: null, name: 'chart.png' },
  'document-shared': { documentId: id(6), shareId: id(8), title: 'Launch post', expiresAt: null },
  'document-share-revoked': { documentId: id(6), shareId: id(8), title: 'Launch post' },
  'notification-created': { notificationId: id(7), recipient: user, reason: 'mentioned' },
  'working-state-updated': { version: 2, previousVersion: 1, notesLength: 42 },
  'budget-warning': budget,
  'budget-exhausted': { ...budget, percentUsed: 100 },
  'run-started': { runId: id(20), trigger: 'schedule', provider: 'openai-compatible', model: 'qwen3' },
  'run-step': { runId: id(20), index: 0, kind: 'tool-call', toolName: 'claim_task', isError: false },
  'run-finished': outcome,
  'run-failed': { ...outcome, outcome: 'failed' },
  'run-cancel-requested': { runId: id(20), runnerId: id(40), requestedBy: user },
  'agent-runtime-updated': { runtime: 'builtin', provider: null, model: 'qwen3', stepLimit: 12 },
  'runner-registered': { runnerId: id(40), name: 'laptop: app', host: 'laptop', adapter: 'claude-code', created: true },
  'runner-offline': { runnerId: id(40), name: 'laptop: app', closedRunIds: [id(20)] },
  'runner-deleted': { runnerId: id(40), name: 'laptop: app' },
  'session-ended': { sessionId: id(40), userId: id(3), reason: 'signed-out' },
  'webhook-created': { webhookId: id(40), host: 'hooks.example.com', events: ['task-created'] },
  'webhook-updated': { webhookId: id(40), changes: ['url'] },
  'webhook-deleted': { webhookId: id(40) },
  'webhook-secret-rotated': { webhookId: id(40), previousSecretExpiresAt: at },
  'webhook-disabled': { webhookId: id(40), reason: 'gone' },
  'webhook-delivery-dead': { webhookId: id(40), deliveryId: id(41), eventType: 'task-created', attempts: 8, lastStatusCode: 500 },
  'inbound-hook-created': { hookId: id(42), name: 'CI', action: 'create-task' },
  'inbound-hook-updated': { hookId: id(42), changes: ['template'] },
  'inbound-hook-deleted': { hookId: id(42) },
  'inbound-hook-received': { hookId: id(42), action: 'post-message', messageId: id(5) },
  'notification-channels-updated': { changes: ['slackWebhookUrl'] },
  'mfa-enabled': { userId: id(3), method: 'totp' },
  'mfa-disabled': { userId: id(3), method: 'totp' },
  'mfa-recovery-code-used': { userId: id(3), remaining: 9 },
  'workflow-run-started': {
    workflowRunId: '0190a0b0-0000-7000-8000-000000000001',
    workflowId: '0190a0b0-0000-7000-8000-000000000002',
    workflowName: 'release',
    version: 1,
    parentRunId: null,
  },
  'workflow-step-started': {
    workflowRunId: '0190a0b0-0000-7000-8000-000000000001',
    stepId: 'build',
    itemIndex: null,
    kind: 'task',
    attempt: 1,
  },
  'workflow-step-finished': {
    workflowRunId: '0190a0b0-0000-7000-8000-000000000001',
    stepId: 'build',
    itemIndex: 2,
    status: 'done',
    error: null,
  },
  'workflow-run-finished': {
    workflowRunId: '0190a0b0-0000-7000-8000-000000000001',
    workflowId: '0190a0b0-0000-7000-8000-000000000002',
    workflowName: 'release',
    version: 1,
    status: 'completed',
    error: null,
    durationSeconds: 12.5,
  },
  'approval-requested': { approvalId: '0190a0b0-0000-7000-8000-000000000003', title: 'Ship it?', sourceKind: 'workflow-step' },
  'approval-decided': { approvalId: '0190a0b0-0000-7000-8000-000000000003', status: 'approved', comment: 'Yes' },
  'routine-fired': { routineId: '0190a0b0-0000-7000-8000-000000000004', workflowRunId: null, manual: false },
  'trigger-fired': { triggerId: '0190a0b0-0000-7000-8000-000000000005', eventSeq: 42, depth: 1 },
  'github-connection-created': { connectionId: id(50), owner: 'octo-org', repo: 'widgets', label: 'mission' },
  'github-connection-updated': { connectionId: id(50), changes: ['label'] },
  'github-connection-deleted': { connectionId: id(50) },
  'github-issue-imported': { connectionId: id(50), issueNumber: 12, url: 'https://github.com/octo-org/widgets/issues/12' },
  'github-pull-request-opened': {
    connectionId: id(50),
    number: 13,
    url: 'https://github.com/octo-org/widgets/pull/13',
    branch: 'mission/task-7',
  },
  'github-pull-request-merged': { connectionId: id(50), number: 13, url: 'https://github.com/octo-org/widgets/pull/13' },
  'memory-created': { memoryId: id(43), kind: 'lesson', importance: 4, embedded: true },
  'memory-deleted': { memoryId: id(43), reason: 'pruned' },
  'memory-shared': { memoryId: id(43), toAgentIds: [id(2)], toWorkspace: false },
  'skill-created': { skillId: id(44), name: 'Bisect a regression', version: 1, sourceTaskId: id(3) },
  'skill-versioned': { skillId: id(44), name: 'Bisect a regression', version: 2, fields: ['body', 'capabilities'] },
  'skill-deleted': { skillId: id(44), name: 'Bisect a regression', version: 2 },
  'listing-installed': {
    installationId: id(45),
    listingId: id(46),
    title: 'Scout',
    version: '1.0.0',
    items: [{ kind: 'agent', id: id(47), name: 'scout' }],
  },
  'listing-upgraded': {
    installationId: id(45),
    listingId: id(46),
    title: 'Scout',
    from: '1.0.0',
    to: '1.1.0',
    items: [{ kind: 'agent', id: id(47), name: 'scout' }],
  },
  'listing-uninstalled': {
    installationId: id(45),
    listingId: id(46),
    title: 'Scout',
    version: '1.1.0',
    items: [{ kind: 'agent', id: id(47), name: 'scout' }],
  },
};

function activityOf(type: string, data: unknown) {
  return {
    seq: 12,
    id: id(100),
    workspaceId: id(101),
    type,
    actor: user,
    taskId: null,
    agentId: null,
    summary: `a ${type} event`,
    data,
    createdAt: at,
  };
}

describe('event schemas', () => {
  it('has exactly one data schema for every event type', () => {
    expect(Object.keys(eventDataSchemas).sort()).toEqual([...eventTypeSchema.options].sort());
    expect(Object.keys(samples).sort()).toEqual([...eventTypeSchema.options].sort());
  });

  it('has one variant of the activity union per event type, whose data is that data schema, with an id and a description', () => {
    const variants = new Map(activitySchema.options.map((variant) => [variant.shape.type.value, variant]));
    for (const type of eventTypeSchema.options) {
      const variant = variants.get(type);
      expect(variant, type).toBeDefined();
      expect(variant?.shape.data, type).toBe(eventDataSchemas[type]);
      expect(variant?.meta()?.id, type).toMatch(/^[A-Z][A-Za-z]+Event$/);
      expect(variant?.description?.length ?? 0, type).toBeGreaterThan(10);
    }
    // The one extra variant is the fallback the server delivers for a stored event it cannot read.
    expect([...variants.keys()].filter((type) => !eventTypeSchema.safeParse(type).success)).toEqual(['event-unreadable']);
    expect(new Set(activitySchema.options.map((variant) => variant.meta()?.id)).size).toBe(activitySchema.options.length);
  });

  it.each(eventTypeSchema.options)('parses a %s event and narrows its data by type', (type) => {
    const parsed: Activity = activitySchema.parse(activityOf(type, samples[type]));
    expect(parsed.type).toBe(type);
    expect(parsed.data).toEqual(samples[type]);
  });

  it('reads data with a field a later version added (dropping it), and leaves out optional fields', () => {
    const parsed = activitySchema.parse(activityOf('task-status-changed', { key: 'TASK-1', from: 'inbox', to: 'done', addedLater: 1 }));
    if (parsed.type !== 'task-status-changed') throw new Error(`expected task-status-changed, got ${parsed.type}`);
    expect(parsed.data).toEqual({ key: 'TASK-1', from: 'inbox', to: 'done' });
    expect(parsed.data.reason).toBeUndefined();
  });

  it('refuses data that misses a field or has the wrong type, and an unknown event type', () => {
    expect(activitySchema.safeParse(activityOf('task-status-changed', { key: 'TASK-1', to: 'done' })).success).toBe(false);
    expect(activitySchema.safeParse(activityOf('task-claimed', { key: 'TASK-1', holder: agent, expiresAt: 'tomorrow' })).success).toBe(
      false,
    );
    expect(
      activitySchema.safeParse(activityOf('notification-created', { notificationId: id(1), recipient: 'me', reason: 'mentioned' })).success,
    ).toBe(false);
    expect(activitySchema.safeParse(activityOf('task-teleported', {})).success).toBe(false);
  });

  it('parses the fallback for an unreadable stored event', () => {
    const parsed = activitySchema.parse(activityOf('event-unreadable', { storedType: 'task-teleported', issues: ['type: unknown'] }));
    expect(parsed.type).toBe('event-unreadable');
  });
});
