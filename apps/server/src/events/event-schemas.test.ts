import {
  activitySchema,
  type EventDataInput,
  type EventType,
  eventTypeSchema,
  type PrincipalReference,
  pageSchema,
} from '@mission-control/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createId } from '../core/ids.js';
import type { DatabaseExecutor } from '../db/database.js';
import { describeEachEngine } from '../test/engines.js';
import { connectStream } from '../test/stream-client.js';
import { createTestServer, type TestServer } from '../test/test-server.js';
import { appendEvent, listEvents, toActivity } from './event.repository.js';

/** What the services write for each type, with the ids of a real agent, task and owner. */
function realisticData(ids: { agent: string; task: string; owner: string }): { [Type in EventType]: EventDataInput<Type> } {
  const agent: PrincipalReference = { kind: 'agent', id: ids.agent };
  const owner: PrincipalReference = { kind: 'user', id: ids.owner };
  const runId = createId();
  const usage = { runId, tokensIn: 1840, tokensOut: 412, costMicroDollars: 3390, modelCalls: 4, durationMs: 7215 };
  const budget = { budgetId: createId(), percentUsed: 83.25, period: '2026-01', usedTokens: 83_250, usedCostMicroDollars: 0 };
  return {
    'workspace-created': {},
    'workspace-updated': { fields: ['name'], name: 'Launch squad', wipLimits: {} },
    'retention-updated': { fields: ['messagesDays', 'runsDays'], messagesDays: 30, runsDays: 365 },
    'member-added': { userId: createId(), role: 'member' },
    'member-updated': { userId: ids.owner, role: 'owner', previousRole: 'admin' },
    'member-removed': { userId: createId() },
    'member-erased': { userId: createId(), pseudonym: 'Deleted user 4f2a9c', accountErased: true },
    'role-created': { roleId: createId(), name: 'Triage', baseRole: 'member', permissions: ['tasks.read', 'tasks.write'] },
    'role-updated': { roleId: createId(), name: 'Triage', baseRole: 'viewer', permissions: ['tasks.read'] },
    'role-deleted': { roleId: createId(), name: 'Triage' },
    'organization-updated': {
      organizationId: createId(),
      name: 'Acme',
      fields: ['name'],
      limits: { maxAgents: null, maxWorkspaces: 3, monthlyTokenLimit: null, monthlyCostLimitMicroDollars: null, requestsPerMinute: null },
      passwordSignInDisabled: true,
      mfaRequired: false,
    },
    'team-created': { organizationId: createId(), teamId: createId(), name: 'Platform' },
    'team-updated': {
      organizationId: createId(),
      teamId: createId(),
      name: 'Platform',
      change: 'access-granted',
      member: null,
      workspaceId: createId(),
    },
    'team-deleted': { organizationId: createId(), teamId: createId(), name: 'Platform' },
    'workspace-imported': { agents: 2, tasks: 14, messages: 40, documents: 3, exportedAt: '2026-01-01T08:00:00.000Z' },
    'invitation-created': { invitationId: createId(), role: 'admin', expiresAt: '2026-01-08T09:00:00.000Z' },
    'invitation-accepted': { invitationId: createId(), userId: createId(), role: 'admin' },
    'invitation-declined': { invitationId: createId() },
    'invitation-revoked': { invitationId: createId() },
    'agent-created': { name: 'jarvis', role: 'technical', kind: 'specialist', sessionKey: 'agent:technical:jarvis' },
    'agent-updated': { fields: ['memoryContext', 'status'] },
    'agent-deleted': {},
    'agent-status-changed': { from: 'active', to: 'offline', reason: 'missed-heartbeats' },
    'api-key-created': { apiKeyId: createId(), prefix: 'mc_agent_1a2b3c4d', owner: agent },
    'api-key-revoked': { apiKeyId: createId(), prefix: 'mc_agent_1a2b3c4d' },
    'task-created': {
      key: 'TASK-1',
      title: 'Write the launch post',
      status: 'assigned',
      priority: 'high',
      assignees: [agent],
      parentId: null,
    },
    'task-updated': { key: 'TASK-1', fields: ['description', 'dueAt'] },
    'task-assigned': { key: 'TASK-1', assignees: [agent, owner], previousAssignees: [agent] },
    'task-status-changed': { key: 'TASK-1', from: 'in_progress', to: 'blocked', reason: 'escalated: pricing unclear' },
    'task-deleted': { key: 'TASK-1', title: 'Write the launch post' },
    'task-claimed': { key: 'TASK-1', holder: agent, expiresAt: '2026-01-01T09:05:00.000Z' },
    'task-released': { key: 'TASK-1', status: 'inbox' },
    'task-lease-expired': { key: 'TASK-1', holder: agent, reason: 'the lease expired', status: 'assigned' },
    'task-escalated': { key: 'TASK-1', reason: 'pricing unclear' },
    'message-posted': { messageId: createId(), key: 'TASK-1', type: 'question', replyToId: createId(), excerpt: 'Which tier goes first?' },
    'reaction-added': { messageId: createId(), key: 'TASK-1', emoji: '👍' },
    'reaction-removed': { messageId: createId(), key: 'TASK-1', emoji: '🎉' },
    'attachment-added': { attachmentId: createId(), messageId: null, name: 'chart.png', size: 2048, type: 'image/png' },
    'alert-raised': {
      alertId: createId(),
      kind: 'stalled-agent',
      subject: { kind: 'agent', id: createId(), name: 'Writer' },
      measurements: { minutesWithoutProgress: 95 },
    },
    'alert-acknowledged': { alertId: createId(), kind: 'cost-spike', subject: { kind: 'workspace', id: null, name: 'Acme' } },
    'alert-resolved': {
      alertId: createId(),
      kind: 'disk-almost-full',
      subject: { kind: 'instance', id: null, name: '/data' },
      automatic: false,
    },
    'document-created': { documentId: createId(), title: 'Launch post', type: 'deliverable', version: 1 },
    'document-versioned': { documentId: createId(), title: 'Launch post', version: 4, fields: ['content'], restoredFrom: 2 },
    'document-deleted': { documentId: createId(), title: 'Launch post', version: 4 },
    'document-shared': { documentId: createId(), shareId: createId(), title: 'Launch post', expiresAt: '2026-12-08T10:00:00.000Z' },
    'document-share-revoked': { documentId: createId(), shareId: createId(), title: 'Launch post' },
    'attachment-removed': { attachmentId: createId(), messageId: null, name: 'chart.png' },
    'notification-created': { notificationId: createId(), recipient: owner, reason: 'status' },
    'working-state-updated': { version: 3, previousVersion: 2, notesLength: 120, restoredFrom: 1 },
    'budget-warning': budget,
    'budget-exhausted': { ...budget, percentUsed: 100, usedTokens: 100_000 },
    'run-started': { runId, trigger: 'wake', provider: 'openai-compatible', model: 'qwen3' },
    'run-step': { runId, index: 2, kind: 'model', tokensIn: 610, tokensOut: 95 },
    'run-finished': { ...usage, outcome: 'step-limit' },
    'run-failed': { ...usage, outcome: 'failed' },
    'run-cancel-requested': { runId, runnerId: createId(), requestedBy: owner },
    'agent-runtime-updated': { runtime: 'builtin', provider: 'anthropic', model: null, stepLimit: 20 },
    'runner-registered': { runnerId: createId(), name: 'laptop: app', host: 'laptop', adapter: 'codex', created: true },
    'runner-offline': { runnerId: createId(), name: 'laptop: app', closedRunIds: [runId] },
    'runner-deleted': { runnerId: createId(), name: 'laptop: app' },
    'session-ended': { sessionId: createId(), userId: ids.owner, reason: 'refresh-token-reused' },
    'webhook-created': { webhookId: createId(), host: 'hooks.example.com', events: ['*'] },
    'webhook-updated': { webhookId: createId(), changes: ['enabled'] },
    'webhook-deleted': { webhookId: createId() },
    'webhook-secret-rotated': { webhookId: createId(), previousSecretExpiresAt: '2026-01-02T09:00:00.000Z' },
    'webhook-disabled': { webhookId: createId(), reason: 'failing' },
    'webhook-delivery-dead': { webhookId: createId(), deliveryId: createId(), eventType: 'ping', attempts: 8, lastStatusCode: null },
    'inbound-hook-created': { hookId: createId(), name: 'Zapier', action: 'create-task' },
    'inbound-hook-updated': { hookId: createId(), changes: ['secret'] },
    'inbound-hook-deleted': { hookId: createId() },
    'inbound-hook-received': { hookId: createId(), action: 'create-task' },
    'notification-channels-updated': { changes: ['discordWebhookUrl'] },
    'workflow-run-started': { workflowRunId: runId, workflowId: runId, workflowName: 'release', version: 2, parentRunId: null },
    'workflow-step-started': { workflowRunId: runId, stepId: 'build', itemIndex: 3, kind: 'task', attempt: 2 },
    'workflow-step-finished': {
      workflowRunId: runId,
      stepId: 'build',
      itemIndex: null,
      status: 'failed',
      error: 'its task TASK-3 was failed',
    },
    'workflow-run-finished': {
      workflowRunId: runId,
      workflowId: runId,
      workflowName: 'release',
      version: 2,
      status: 'failed',
      error: 'step build failed',
      durationSeconds: 61.5,
    },
    'approval-requested': { approvalId: runId, title: 'Approve the release', sourceKind: 'workflow-step' },
    'approval-decided': { approvalId: runId, status: 'rejected', comment: 'Not yet' },
    'routine-fired': { routineId: runId, workflowRunId: runId, manual: true },
    'trigger-fired': { triggerId: runId, eventSeq: 1234, depth: 2 },
    'memory-created': { memoryId: createId(), kind: 'fact', importance: 3, embedded: false },
    'memory-deleted': { memoryId: createId(), reason: 'forgotten' },
    'memory-shared': { memoryId: createId(), toAgentIds: [ids.agent], toWorkspace: true },
    'skill-created': { skillId: createId(), name: 'Rotate credentials', version: 1, sourceTaskId: null },
    'skill-versioned': { skillId: createId(), name: 'Rotate credentials', version: 2, fields: ['body'] },
    'skill-deleted': { skillId: createId(), name: 'Rotate credentials', version: 2 },
    'listing-installed': {
      installationId: createId(),
      listingId: createId(),
      title: 'Digest team',
      version: '1.0.0',
      items: [{ kind: 'skill', id: createId(), name: 'Cite sources' }],
    },
    'listing-upgraded': {
      installationId: createId(),
      listingId: createId(),
      title: 'Digest team',
      from: '1.0.0',
      to: '2.0.0',
      items: [{ kind: 'skill', id: createId(), name: 'Cite sources' }],
    },
    'listing-uninstalled': {
      installationId: createId(),
      listingId: createId(),
      title: 'Digest team',
      version: '2.0.0',
      items: [{ kind: 'skill', id: createId(), name: 'Cite sources' }],
    },
    'mfa-enabled': { userId: ids.owner, method: 'totp' },
    'mfa-disabled': { userId: ids.owner, method: 'totp' },
    'mfa-recovery-code-used': { userId: ids.owner, remaining: 9 },
    'github-connection-created': { connectionId: createId(), owner: 'octo-org', repo: 'widgets', label: 'mission' },
    'github-connection-updated': { connectionId: createId(), changes: ['label'] },
    'github-connection-deleted': { connectionId: createId() },
    'github-issue-imported': { connectionId: createId(), issueNumber: 12, url: 'https://github.com/octo-org/widgets/issues/12' },
    'github-pull-request-opened': {
      connectionId: createId(),
      number: 13,
      url: 'https://github.com/octo-org/widgets/pull/13',
      branch: 'mission/task-7',
    },
    'github-pull-request-merged': { connectionId: createId(), number: 13, url: 'https://github.com/octo-org/widgets/pull/13' },
  };
}

describeEachEngine('every event type through the outbox', (engine) => {
  let server: TestServer;
  let ids: { agent: string; task: string; owner: string };
  const countEvents = async () =>
    Number(
      (
        await server.database.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
    );

  beforeEach(async () => {
    server = await createTestServer(engine);
    const { agent } = await server.createAgentWithKey();
    const task = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Write the launch post' } });
    ids = { agent: agent.id, task: task.json().id, owner: server.ownerPrincipal.id };
  });
  afterEach(async () => {
    await server.close();
  });

  it('stores each type with its data and reads back exactly what was written, from the repository and the API', async () => {
    const samples = realisticData(ids);
    const written = new Map<number, Record<string, unknown>>();
    const at = server.clock.now();
    const append = async <Type extends EventType>(executor: DatabaseExecutor, type: Type, data: EventDataInput<Type>) => {
      const event = {
        workspaceId: server.workspaceId,
        type,
        actor: { kind: 'agent' as const, id: ids.agent },
        taskId: type.startsWith('task-') ? ids.task : null,
        agentId: ids.agent,
        summary: `a ${type} event`,
        data,
      };
      const seq = await appendEvent(executor, { ...event, at });
      written.set(seq, { ...event, seq, createdAt: at.toISOString() });
    };
    await server.database.db.transaction().execute(async (trx) => {
      for (const type of eventTypeSchema.options) await append(trx, type, samples[type]);
    });

    const rows = await listEvents(server.database.db, { workspaceId: server.workspaceId, limit: 200 });
    const read = rows.map(toActivity).filter((activity) => written.has(activity.seq));
    expect(read).toHaveLength(eventTypeSchema.options.length);
    for (const activity of read) {
      expect(activity).toEqual({ ...written.get(activity.seq), id: expect.any(String) });
    }

    const response = await server.request({ method: 'GET', url: '/api/v1/activities?limit=200' });
    expect(response.statusCode).toBe(200);
    const fromApi = pageSchema(activitySchema)
      .parse(response.json())
      .data.filter((activity) => written.has(activity.seq));
    expect(fromApi).toEqual(read);
  });

  it('refuses data that does not match its schema, naming the type and the field, and stores nothing', async () => {
    const before = await countEvents();
    const base = { workspaceId: server.workspaceId, actor: null, taskId: ids.task, summary: 'TASK-1 moved', at: server.clock.now() };
    const attempts: [unknown, RegExp][] = [
      [{ key: 'TASK-1', to: 'done' }, /task-status-changed.*from/],
      [{ key: 'TASK-1', from: 'review', to: 'finished' }, /task-status-changed.*to:/],
      [{ key: 'TASK-1', from: 'review', to: 'done', movedBy: 'someone' }, /task-status-changed.*movedBy/],
      [undefined, /task-status-changed.*\(data\): .*expected object/],
    ];
    for (const [data, message] of attempts) {
      await expect(
        server.database.db.transaction().execute(async (trx) => {
          // @ts-expect-error: the point is data the type system would refuse too
          await appendEvent(trx, { ...base, type: 'task-status-changed', data });
        }),
      ).rejects.toThrow(message);
      // @ts-expect-error: the same, without a transaction
      await expect(appendEvent(server.database.db, { ...base, type: 'task-status-changed', data })).rejects.toThrow(message);
    }
    expect(await countEvents()).toBe(before);
  });

  it('delivers a stored row it cannot read as event-unreadable, in the feed and on the stream, and warns once per row', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => {
      if (warning.code === 'MISSION_UNREADABLE_EVENT') warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    try {
      // Stores what a broken or newer writer could have stored, so its type and actor are deliberately unchecked.
      const insertRaw = (type: string, data: string, actorKind = 'user') =>
        server.database.db
          .insertInto('events')
          .values({
            id: createId(),
            workspace_id: server.workspaceId,
            type: type as EventType,
            actor_kind: actorKind as 'user' | 'agent',
            actor_id: ids.owner,
            task_id: ids.task,
            agent_id: null,
            summary: `stored by a broken or newer writer (${type})`,
            data,
            created_at: server.clock.now().toISOString(),
          })
          .returning(['id', 'seq'])
          .executeTakeFirstOrThrow();
      const broken = [
        await insertRaw(
          'task-created',
          JSON.stringify({ key: 7, title: 'Wrong key type', status: 'inbox', priority: 'low', assignees: [], parentId: null }),
        ),
        await insertRaw('task-teleported', JSON.stringify({ to: 'mars' })),
        await insertRaw('task-deleted', JSON.stringify({ key: 'TASK-1', title: 'Write the launch post' }), 'robot'),
        // jsonb refuses text that is not JSON, so only SQLite can hold such a row.
        ...(engine === 'sqlite' ? [await insertRaw('task-updated', '{not json')] : []),
      ];
      const brokenSeqs = broken.map((row) => row.seq);

      const rows = await listEvents(server.database.db, { workspaceId: server.workspaceId, limit: 200 });
      const unreadable = rows.map(toActivity).filter((activity) => brokenSeqs.includes(activity.seq));
      expect(unreadable.map((activity) => activity.type)).toEqual(broken.map(() => 'event-unreadable'));
      const [wrongKey, unknownType, badActor] = [...unreadable].reverse();
      expect(wrongKey).toMatchObject({
        type: 'event-unreadable',
        actor: { kind: 'user', id: ids.owner },
        taskId: ids.task,
        summary: 'stored by a broken or newer writer (task-created)',
        data: { storedType: 'task-created', issues: [expect.stringMatching(/^data\.key: /)] },
      });
      expect(unknownType?.data).toMatchObject({
        storedType: 'task-teleported',
        issues: ['type: task-teleported is not an event type this version knows'],
      });

      // An actor that is neither a user nor an agent is not shown as one.
      expect(badActor).toMatchObject({
        actor: null,
        data: { storedType: 'task-deleted', issues: [expect.stringMatching(/^actor\.kind: /)] },
      });

      const feed = await server.request({ method: 'GET', url: '/api/v1/activities?limit=200' });
      expect(feed.statusCode).toBe(200);
      const fromFeed = pageSchema(activitySchema)
        .parse(feed.json())
        .data.filter((activity) => brokenSeqs.includes(activity.seq));
      expect(fromFeed).toEqual(unreadable);

      // The stream replays them in order and stays up for what comes next.
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const client = connectStream(`${address.replace('http', 'ws')}/api/v1/ws/activities?token=${server.ownerToken}&after=0`);
      try {
        await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'After the broken rows' } });
        await client.waitFor((messages) =>
          messages.some(
            (message) =>
              message.type === 'event' && message.data.type === 'task-created' && message.data.data.title === 'After the broken rows',
          ),
        );
        const streamed = client.events().filter((message) => brokenSeqs.includes(message.seq));
        expect(streamed.map((message) => message.data)).toEqual(unreadable.toReversed());
      } finally {
        client.close();
      }

      await new Promise((resolve) => setImmediate(resolve));
      for (const row of broken) expect(warnings.filter((warning) => warning.includes(`#${row.seq} `))).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
